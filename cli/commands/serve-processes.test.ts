/**
 * `crosstalk serve reference --processes N`, the real command: N agent processes behind one
 * port, connections spread over them, all of them stopped by one SIGINT, an address that cannot
 * be had a clear failure.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { childPids } from '../../bench/cpu-share.ts';
import { procPids } from '../../harness/proc-stat.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'crosstalk.mjs');

function serve(...extra: string[]) {
  const child = spawn(process.execPath, [BIN, 'serve', 'reference', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return { child, out: () => out, err: () => err };
}

function listeningUrl(s: ReturnType<typeof serve>): Promise<string> {
  return new Promise((resolve, reject) => {
    s.child.stdout!.on('data', () => {
      const url = /listening on (ws:\/\/\S+)/.exec(s.out())?.[1];
      if (url) resolve(url);
    });
    s.child.once('exit', () => reject(new Error(`serve ended before listening: ${s.out()} ${s.err()}`)));
  });
}

/** A process's command line, split into its arguments ([] once it has exited). */
function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** Processes running `crosstalk serve reference` with this port in their command line, by pid. */
const servingOn = (port: string) =>
  procPids().filter((pid) => {
    const argv = argvOf(pid);
    return argv.includes(BIN) && argv.includes('reference') && argv.includes(port);
  });

/** The copies of the command among `pid`'s children (tsx's esbuild service is a child too). */
const copiesOf = (pid: number) => childPids(pid).filter((n) => argvOf(n).includes(BIN));

/** Established TCP connections on local `port` that process `pid` holds open (its socket fds matched to /proc/net/tcp). */
function connectionsHeld(pid: number, port: number): number {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // closed while listing
    }
  }
  const portHex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length > 9 && f[1].endsWith(portHex) && f[3] === '01' && inodes.has(f[9])).length;
}

/** `serve reference --processes 2` listening, its two copies, and `sessions` open connections to it. */
async function servingTwo(sessions: number) {
  const s = serve('--port', '0', '--processes', '2');
  // A failed expectation must not leave the server running (its copies go with it).
  onTestFinished(() => {
    if (s.child.exitCode === null) s.child.kill('SIGINT');
  });
  const url = await listeningUrl(s);
  const copies = copiesOf(s.child.pid!);
  expect(copies).toHaveLength(2);
  const sockets = Array.from({ length: sessions }, () => new WebSocket(url));
  await Promise.all(sockets.map((ws) => once(ws, 'open')));
  return { s, copies, sockets, port: Number(new URL(url).port) };
}

describe('crosstalk serve reference --processes', () => {
  it('serves from N processes behind one port, spreads connections over them, and stops them all on one SIGINT', async () => {
    const { s, copies, sockets, port } = await servingTwo(4);
    expect(s.out()).toMatch(/2 processes/);
    // Four connections, each dealt to the copy with the fewest open: two each.
    expect(copies.map((pid) => connectionsHeld(pid, port))).toEqual([2, 2]);

    const closed = sockets.map((ws) => once(ws, 'close'));
    s.child.kill('SIGINT');
    const [code] = (await once(s.child, 'exit')) as [number | null];
    await Promise.all(closed);
    expect(code).toBe(130);
    expect(servingOn('0')).toEqual([]);
  });

  it('stops the other copies and fails (exit 1) when a copy dies unasked, closing every open session', async () => {
    // One session on each copy.
    const { s, copies, sockets, port } = await servingTwo(2);
    expect(copies.map((pid) => connectionsHeld(pid, port))).toEqual([1, 1]);

    const closed = sockets.map((ws) => once(ws, 'close'));
    process.kill(copies[0], 'SIGKILL');
    const [code] = (await once(s.child, 'exit')) as [number | null];
    await Promise.all(closed);
    expect(code).toBe(1);
    expect(s.err()).toContain(`reference agent process ${copies[0]} exited (signal SIGKILL) before it was asked to; stopping the others`);
    expect(servingOn('0')).toEqual([]);
  });

  it('fails with exit 2 and the address when it cannot listen, and starts no copy', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const s = serve('--port', String(port), '--processes', '2');
      const [code] = (await once(s.child, 'exit')) as [number | null];
      expect(code).toBe(2);
      expect(s.err()).toMatch(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}`));
      expect(servingOn(String(port))).toEqual([]);
    } finally {
      taken.close();
    }
  });

  it('refuses a count that is not a whole number >= 1 (exit 2)', async () => {
    const s = serve('--processes', '0');
    const [code] = (await once(s.child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(s.err()).toMatch(/--processes must be a whole number >= 1, got 0/);
  });
});
