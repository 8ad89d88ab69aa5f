/**
 * Reading Linux /proc/<pid>/stat (and a thread's /proc/<pid>/task/<tid>/stat). The command name
 * in parentheses may hold spaces and parentheses itself, so fields are counted after its last ')'.
 */
import { readdirSync, readFileSync } from 'node:fs';

/**
 * The fields after the command name, from field 3 (state) on: field k of proc(5) is at index
 * k - 3. Undefined when the file cannot be read (the process or thread has exited).
 */
export function statFields(path: string): string[] | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The ids of the processes alive now (the numeric entries of /proc). */
export function procPids(): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
}
