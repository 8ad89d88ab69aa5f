/** Exit codes of the `crosstalk` command (DESIGN.md): one meaning each. */
export const EXIT = {
  ok: 0,
  harnessError: 1,
  badInput: 2,
  gateFailed: 3,
  interrupted: 130,
} as const;

/**
 * Bad input or configuration: a message naming the file (and line, field) and what to do.
 * The CLI prints it without a stack trace and exits 2.
 */
export interface InputErrorWhere {
  /** The file at fault. */
  file?: string;
  /** 1-based line in it. */
  line?: number;
  /** The field or option at fault (`timeline[2].after.delay_ms`, `--perturb`). */
  field?: string;
  /** What to do about it. */
  hint?: string;
}

export class InputError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;
  readonly hint?: string;

  constructor(message: string, where: InputErrorWhere = {}) {
    super(message);
    this.name = 'InputError';
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
    this.hint = where.hint;
  }

  /** "file:line: field: message\n  hint" */
  describe(): string {
    const where = [this.file, this.line !== undefined ? String(this.line) : undefined].filter(Boolean).join(':');
    const head = [where, this.field].filter(Boolean).join(': ');
    return `${head ? head + ': ' : ''}${this.message}${this.hint ? `\n  ${this.hint}` : ''}`;
  }
}
