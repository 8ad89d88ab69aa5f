/**
 * The JSON a bench run leaves behind (`bench/figures/<bench>.json`, one file per bench name,
 * replaced by its latest run; git history keeps the older ones). The README's generated figures
 * are rendered from these files (scripts/readme-figures.ts), so a figure in the README is always
 * one a run printed, with when, at which commit and on what machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Row } from './engine.ts';

export const FIGURES_DIR = join(import.meta.dirname, 'figures');

export interface BenchTable {
  title: string;
  rows: Row[];
}

export interface Machine {
  platform: string;
  arch: string;
  node: string;
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  /** 1-minute load average when the bench started: a busy machine makes real-time and speed figures worse. */
  loadAverage1m: number;
}

export function loadAverage1m(): number {
  return Math.round(loadavg()[0] * 100) / 100;
}

interface Provenance {
  /** Short hash of HEAD when the run started. */
  commit: string;
  /** Present (true) when tracked files other than the figures differed from that commit. */
  dirty?: true;
}

export interface BenchSummary extends Provenance {
  bench: string;
  /** ISO 8601, when the bench started. */
  date: string;
  machine: Machine;
  wallSeconds: number;
  /** 1-minute load average when the bench ended (absent in files written before it was recorded). */
  loadAverage1mAtEnd?: number;
  tables: BenchTable[];
}

export function machineFacts(): Machine {
  return {
    platform: process.platform,
    arch: process.arch,
    node: process.version,
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage1m: loadAverage1m(),
  };
}

/** HEAD and whether the work tree differs from it (untracked files and the figures themselves do not count). */
export function gitProvenance(repoRoot: string): Provenance {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  const commit = git('rev-parse', '--short', 'HEAD');
  const changed = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)bench/figures');
  return changed === '' ? { commit } : { commit, dirty: true };
}

/** Writes `<dir>/<bench>.json` atomically (a temporary file renamed over it). */
export function writeSummary(summary: BenchSummary, dir = FIGURES_DIR): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${summary.bench}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(summary, null, 2) + '\n');
  renameSync(tmp, file);
  return file;
}

export function readSummary(bench: string, dir = FIGURES_DIR): BenchSummary {
  return JSON.parse(readFileSync(join(dir, `${bench}.json`), 'utf8')) as BenchSummary;
}
