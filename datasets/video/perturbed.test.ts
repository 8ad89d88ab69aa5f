/**
 * Visual perturbations drawn by real ffmpeg (perturbed.ts), with known answers read back from
 * the decoded frames: the distractor crosses only during its span and moves left to right, the
 * lighting change scales the luma by its gain only during its span, the hand shows only during
 * the cue, camera noise moves every pixel off the clean picture (the same for the same seed);
 * the picture is ffmpeg's own source.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../audio/wav.ts';
import { decodeToRgb, decodeVideo, renderLavfiClip } from './ffmpeg.ts';
import { DISTRACTOR_SIZE, DISTRACTOR_Y, perturbedClipGraph, silentAudio, type PerturbedClipSpec } from './perturbed.ts';

const W = 160;
const H = 120;
const FPS = 4;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-perturbed-video-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** RGB frames of a clip at FPS, frame k at k / FPS s. */
async function frames(name: string, spec: Omit<PerturbedClipSpec, 'width' | 'height' | 'fps'>): Promise<Buffer[]> {
  const wav = join(dir, 'silence.wav');
  writeFileSync(wav, encodeWav(silentAudio(spec.durationMs), 16_000));
  const clip = join(dir, `${name}.mp4`);
  const { sources, graph } = perturbedClipGraph({ ...spec, width: W, height: H, fps: FPS });
  await renderLavfiClip(clip, sources, graph, wav, spec.durationMs);
  const out = join(dir, name);
  await decodeVideo(clip, FPS, join(dir, `${name}.pcm`), join(dir, `${name}-%04d.jpg`), { width: W, height: H });
  const jpgs = readdirSync(dir)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.jpg'))
    .sort();
  const rgb: Buffer[] = [];
  for (const f of jpgs) {
    await decodeToRgb(join(dir, f), `${out}-${f}.rgb`);
    rgb.push(readFileSync(`${out}-${f}.rgb`));
  }
  return rgb;
}

const at = (rgb: Buffer, x: number, y: number) => [rgb[(y * W + x) * 3], rgb[(y * W + x) * 3 + 1], rgb[(y * W + x) * 3 + 2]];
const luma = (rgb: Buffer) => {
  let s = 0;
  for (let i = 0; i < rgb.length; i += 3) s += 0.299 * rgb[i] + 0.587 * rgb[i + 1] + 0.114 * rgb[i + 2];
  return s / (rgb.length / 3);
};
const isHand = ([r, g, b]: number[]) => Math.abs(r - 0xe0) < 30 && Math.abs(g - 0xac) < 30 && Math.abs(b - 0x69) < 35;
/** Columns of the distractor's row that are its flat grey. */
function greyColumns(rgb: Buffer): number[] {
  const y = Math.round((DISTRACTOR_Y + DISTRACTOR_SIZE / 2) * H);
  const out: number[] = [];
  for (let x = 0; x < W; x++) {
    const [r, g, b] = at(rgb, x, y);
    if (Math.abs(r - 0x9a) < 14 && Math.abs(g - 0x9a) < 14 && Math.abs(b - 0x9a) < 14) out.push(x);
  }
  return out;
}

describe('perturbed clips (ffmpeg lavfi sources)', () => {
  it('distractor motion only in its span, left to right; the hand only during the cue', async () => {
    const f = await frames('motion', {
      source: 'mandelbrot',
      seed: 1,
      durationMs: 6000,
      perturb: { distractorMotion: { fromMs: 1000, toMs: 3000 } },
      cue: { fromMs: 4000, toMs: 5500 },
    });
    expect(f.length).toBe(24);
    const centre = (k: number) => {
      const cols = greyColumns(f[k]);
      return cols.length > 5 ? cols.reduce((a, b) => a + b, 0) / cols.length : null;
    };
    // Frames 0-3 (0-0.75 s) and 13-23 (3.25 s on): no distractor; frames 5-11: it, moving right.
    for (const k of [0, 2, 13, 16, 20]) expect(centre(k), `frame ${k}`).toBeNull();
    const xs = [5, 7, 9, 11].map(centre);
    for (const x of xs) expect(x).not.toBeNull();
    for (let i = 1; i < xs.length; i++) expect(xs[i]!).toBeGreaterThan(xs[i - 1]!);
    // The palm (scenes.ts raised_hand) at 0.79 W, 0.5 H: frames 16-21 (4-5.25 s), not 14 or 23.
    const palm = (k: number) => isHand(at(f[k], Math.round(0.79 * W), Math.round(0.5 * H)));
    expect([14, 16, 18, 21, 23].map(palm)).toEqual([false, true, true, true, false]);
  }, 120_000);

  it('a lighting change scales the luma by its gain during its span; camera noise is seeded noise over the picture', async () => {
    const lit = await frames('light', { source: 'testsrc2', seed: 2, durationMs: 4000, perturb: { lighting: { fromMs: 2000, toMs: 4000, gain: 0.5 } } });
    const before = luma(lit[4]);
    const during = luma(lit[12]);
    expect(during / before).toBeGreaterThan(0.45);
    expect(during / before).toBeLessThan(0.65);
    const clean = await frames('clean', { source: 'testsrc2', seed: 3, durationMs: 2000, perturb: {} });
    const noisy = await frames('noisy', { source: 'testsrc2', seed: 3, durationMs: 2000, perturb: { cameraNoise: 20 } });
    let d = 0;
    for (let i = 0; i < clean[2].length; i++) d += (clean[2][i] - noisy[2][i]) ** 2;
    expect(Math.sqrt(d / clean[2].length)).toBeGreaterThan(5);
    // Deterministic: two renders with one seed are equal.
    const again = await frames('noisy2', { source: 'testsrc2', seed: 3, durationMs: 2000, perturb: { cameraNoise: 20 } });
    expect(again[2].equals(noisy[2])).toBe(true);
  }, 120_000);
});
