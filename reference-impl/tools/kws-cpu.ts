/**
 * What the keyword spotter costs the agent's event loop, per call (`spot`, as the agent calls it
 * at a turn's end), on the development set's turns (kws-dev.ts: requests and ordinary sentences
 * written for the spotter, in voices that are neither template nor suite voices) plus long turns
 * (four of its sentences of one voice joined, up to 12 s: the turn buffer keeps 12 s at most):
 *
 *   npx tsx reference-impl/tools/kws-cpu.ts [turns.bin]
 *
 * The turns are rendered once and kept in `turns.bin` (default /tmp/kws-cpu-turns.bin), so that
 * another checkout's spotter can be measured on the same audio: the script imports only
 * `defaultKeywordSpotter` from perception/keywords/templates.ts, so it runs unchanged in a copy
 * of an older tree (copy it to that tree's reference-impl/tools/ and pass the same file).
 *
 * Prints, over all turns and per kind: process CPU per call (p50, p90, max; each call is made
 * REPEAT times, default 3, and its least CPU kept, since the machine is shared), the longest
 * single stretch the event loop was held (a ticker on setImmediate measures the gaps between
 * its turns while the spotter runs), and the frame distances DTW computed per call (thousands;
 * machine-independent: where dtw.ts does not count them, as before the bounded search, every
 * template's whole table is counted, which is what that code computed).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as dtw from '../perception/keywords/dtw.ts';
import { mfcc, pooled } from '../perception/keywords/mfcc.ts';
import { defaultKeywordSpotter } from '../perception/keywords/templates.ts';

interface Turn {
  kind: string;
  pcm: Int16Array;
}

const file = process.argv[2] ?? '/tmp/kws-cpu-turns.bin';

async function render(): Promise<Turn[]> {
  const { devTurns } = await import('./kws-dev.ts');
  const { trimToFrames } = await import('../voice-bank.ts');
  const dev = await devTurns();
  const turns: Turn[] = dev.map((t) => ({ kind: t.kind, pcm: t.pcm }));
  // Long turns: four consecutive ordinary sentences of one voice, joined (at most 12 s).
  const others = dev.filter((t) => t.kind === 'other');
  for (let i = 0; i + 4 <= others.length; i += 4) {
    const parts = others.slice(i, i + 4).filter((t) => t.voice === others[i].voice);
    const n = parts.reduce((a, p) => a + p.pcm.length, 0);
    const joined = new Int16Array(Math.min(n, 12 * 16_000));
    let at = 0;
    for (const p of parts) {
      if (at >= joined.length) break;
      joined.set(p.pcm.subarray(0, joined.length - at), at);
      at += p.pcm.length;
    }
    turns.push({ kind: 'long', pcm: trimToFrames(joined) });
  }
  return turns;
}

function save(turns: Turn[]): void {
  const header = JSON.stringify(turns.map((t) => ({ kind: t.kind, samples: t.pcm.length })));
  const head = Buffer.from(header);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length);
  writeFileSync(file, Buffer.concat([len, head, ...turns.map((t) => Buffer.from(t.pcm.buffer, t.pcm.byteOffset, t.pcm.byteLength))]));
}

function load(): Turn[] {
  const b = readFileSync(file);
  const n = b.readUInt32LE(0);
  const meta = JSON.parse(b.subarray(4, 4 + n).toString()) as { kind: string; samples: number }[];
  let at = 4 + n;
  return meta.map((m) => {
    const pcm = new Int16Array(m.samples);
    Buffer.from(pcm.buffer).set(b.subarray(at, at + m.samples * 2));
    at += m.samples * 2;
    return { kind: m.kind, pcm };
  });
}

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

if (!existsSync(file)) {
  const turns = await render();
  save(turns);
  console.log(`rendered ${turns.length} turns into ${file}`);
}
const turns = load();
const t0 = performance.now();
const spotter = await defaultKeywordSpotter();
console.log(`spotter ready in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${turns.length} turns`);
// Warm up the JIT on a few turns first (not counted).
for (const t of turns.slice(0, 6)) await spotter.spot(t.pcm);

const counter = (dtw as { dtwWork?: { distances: number } }).dtwWork;
/** The old spotter (one template list per kind, every table computed whole): its distances for a turn. */
const wholeTables = (pcm: Int16Array): number => {
  const s = spotter as unknown as { durations: { template: { features: { frames: number } } }[]; tasks: { features: { frames: number } }[] };
  if (!Array.isArray(s.durations)) return NaN;
  const n = pooled(mfcc(pcm)).frames;
  return [...s.durations.map((d) => d.template), ...s.tasks].reduce((a, t) => a + (n * 2 < t.features.frames ? 0 : t.features.frames * n), 0);
};
const repeat = Number(process.env.REPEAT ?? 3);
const rows: { kind: string; seconds: number; cpuMs: number; maxHoldMs: number; kDistances: number; heard: string }[] = [];
for (const t of turns) {
  let cpuMs = Infinity;
  let maxHoldMs = Infinity;
  let heard = '';
  let kDistances = 0;
  for (let r = 0; r < repeat; r++) {
    const d0 = counter?.distances ?? 0;
    const one = await measure(t.pcm);
    cpuMs = Math.min(cpuMs, one.cpuMs);
    maxHoldMs = Math.min(maxHoldMs, one.maxHoldMs);
    heard = one.heard;
    kDistances = (counter ? counter.distances - d0 : wholeTables(t.pcm)) / 1000;
  }
  rows.push({ kind: t.kind, seconds: t.pcm.length / 16_000, cpuMs, maxHoldMs, kDistances, heard });
}

async function measure(pcm: Int16Array): Promise<{ cpuMs: number; maxHoldMs: number; heard: string }> {
  let running = true;
  let last = performance.now();
  let maxHold = 0;
  const tick = () => {
    const now = performance.now();
    maxHold = Math.max(maxHold, now - last);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const c0 = process.cpuUsage();
  const got = await spotter.spot(pcm);
  const c = process.cpuUsage(c0);
  running = false;
  return { cpuMs: (c.user + c.system) / 1000, maxHoldMs: maxHold, heard: got ? `${got.kind}:${got.text}` : '-' };
}
const line = (name: string, rs: typeof rows) => {
  const cpu = rs.map((r) => r.cpuMs);
  const hold = rs.map((r) => r.maxHoldMs);
  const secs = rs.map((r) => r.seconds);
  const work = rs.map((r) => r.kDistances);
  console.log(
    `${name.padEnd(9)} n ${String(rs.length).padStart(3)}  audio p50 ${q(secs, 0.5).toFixed(1)} s max ${Math.max(...secs).toFixed(1)} s | CPU per call p50 ${q(cpu, 0.5).toFixed(1)} ms, p90 ${q(cpu, 0.9).toFixed(1)} ms, max ${Math.max(...cpu).toFixed(1)} ms | longest hold p50 ${q(hold, 0.5).toFixed(1)} ms, max ${Math.max(...hold).toFixed(1)} ms | distances p50 ${q(work, 0.5).toFixed(0)}k, max ${Math.max(...work).toFixed(0)}k`,
  );
};
line('all', rows);
for (const kind of [...new Set(rows.map((r) => r.kind))])
  line(
    kind,
    rows.filter((r) => r.kind === kind),
  );
if (process.env.VERBOSE)
  for (const r of rows)
    console.log(`${r.kind}\t${r.seconds.toFixed(1)}\t${r.cpuMs.toFixed(1)}\t${r.maxHoldMs.toFixed(2)}\t${r.kDistances.toFixed(0)}k\t${r.heard}`);
if (process.env.HEARD) writeFileSync(process.env.HEARD, rows.map((r) => r.heard).join('\n') + '\n');
