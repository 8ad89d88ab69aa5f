/**
 * What the schema cannot say about a content check (`says`): its pattern must compile, and
 * min_keywords must name a count of the keywords given.
 */
import { InputError } from '../errors.ts';
import type { Expectation } from './schema.ts';

const TIMED = ['speak_at', 'interpret', 'deliver'] as const;

export function checkSays(e: Expectation, file: string, line: number | undefined, field: string): void {
  for (const kind of TIMED) {
    const says = e[kind]?.says;
    if (!says) continue;
    const at = `${field}.${kind}.says`;
    if (says.pattern !== undefined) {
      try {
        new RegExp(says.pattern, 'iu');
      } catch (err) {
        throw new InputError(`says.pattern is not a valid regular expression: ${(err as Error).message}`, {
          file,
          line,
          field: `${at}.pattern`,
          hint: 'Write a JavaScript regular expression (it is matched case-insensitively), e.g. "\\\\b(now|time)\\\\b".',
        });
      }
    }
    if (says.min_keywords !== undefined && says.min_keywords > (says.keywords?.length ?? 0)) {
      throw new InputError(`says.min_keywords is ${says.min_keywords}, but ${says.keywords?.length ?? 'no'} keywords are given`, {
        file,
        line,
        field: `${at}.min_keywords`,
        hint: 'Give at least that many keywords, or lower min_keywords.',
      });
    }
  }
}
