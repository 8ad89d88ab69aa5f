// Types of scripts/apt.mjs (plain JavaScript: it runs before `npm ci`), for its test.
import type { SpawnSyncReturns } from 'node:child_process';

export interface AptCommand {
  file: 'apt-get';
  args: string[];
  env: Record<string, string>;
}
export type Spawn = (file: string, args: string[], options: object) => Pick<SpawnSyncReturns<string>, 'status' | 'stderr'> & { error?: Error };

export const OPTIONAL_DEBIAN: { option: string; files: string[]; packages: string[]; neededBy: string }[];
export const LOCK_TIMEOUT_S: number;
export const RETRY_DELAYS_S: number[];
export function aptCommands(packages: string[], lockTimeoutS?: number): AptCommand[];
export function isLockError(stderr: string): boolean;
export function afterFailure(attempt: number, stderr: string, delaysS?: number[]): { retry: true; delayS: number } | { retry: false; reason: 'lock' | 'error' };
export function adviceFor(packages: string[], reason: 'lock' | 'error', done: { tries: number; elapsedS: number }): string;
export function installDebianPackages(
  packages: string[],
  options?: {
    spawn?: Spawn;
    sleep?: (s: number) => void;
    log?: (line: string) => void;
    echo?: (text: string) => void;
    delaysS?: number[];
    lockTimeoutS?: number;
  },
): { ok: true } | { ok: false; message: string };
