/**
 * Turning errors into what the user sees: a message without a stack trace for bad input, and
 * the exit codes of DESIGN.md.
 */
import { EXIT, InputError } from '../harness/errors.ts';
import { AdapterError } from '../harness/adapter.ts';

export function exitCodeFor(e: unknown): number {
  if (e instanceof InputError) return EXIT.badInput;
  if (e instanceof AdapterError) return e.kind === 'config' ? EXIT.badInput : EXIT.harnessError;
  return EXIT.harnessError;
}

export function describeError(e: unknown): string {
  if (e instanceof InputError) return `error: ${e.describe()}`;
  if (e instanceof AdapterError) return `error (${e.kind}): ${e.message}`;
  if (e instanceof Error) return `internal error: ${e.stack ?? e.message}\nThis is a bug in crosstalk; please report it with the command you ran.`;
  return `internal error: ${String(e)}`;
}
