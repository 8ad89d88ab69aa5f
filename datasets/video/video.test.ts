/**
 * Real ffmpeg, real files: generated frames show what the cue says, and a recorded clip decodes
 * to PCM and frames on the scenario's clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeToRgb } from './ffmpeg.ts';
import { openGeneratedTrack, openRecordedTrack } from './tracks.ts';
import { RECORDED_CLIP, RECORDED_CUE_MS } from '../recipes/recorded-clip.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-video-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SIZE = { fps: 2, width: 320, height: 240 };

async function pixel(jpeg: Uint8Array, x: number, y: number): Promise<[number, number, number]> {
  const file = join(dir, `p-${Math.random().toString(36).slice(2)}.jpg`);
  writeFileSync(file, jpeg);
  await decodeToRgb(file, `${file}.rgb`);
  const rgb = readFileSync(`${file}.rgb`);
  const at = (y * SIZE.width + x) * 3;
  return [rgb[at], rgb[at + 1], rgb[at + 2]];
}
const isRed = ([r, g, b]: number[]) => r > 180 && g < 80 && b < 80;

describe('generated video', () => {
  it('JPEG frames; the highlight cue draws a red frame round line 3 of the slide, the bare slide does not', async () => {
    const track = await openGeneratedTrack(join(dir, 'cache'), 'slide', SIZE, ['highlight']);
    const bare = track.frame(0, null);
    const cued = track.frame(1, { id: 'cue', kind: 'highlight', elapsedMs: 0 });
    for (const f of [bare, cued]) expect([f[0], f[1], f[f.length - 2], f[f.length - 1]]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    // Left edge of the red outline: x = 8 % of 320, y at the middle of line 3.
    const y = Math.round(240 * (0.3 + 0.24 + 0.025));
    expect(isRed(await pixel(cued, 26, y))).toBe(true);
    expect(isRed(await pixel(bare, 26, y))).toBe(false);
  });

  it('object_moves puts the object on the right; cached frames are reused byte for byte', async () => {
    const a = await openGeneratedTrack(join(dir, 'cache'), 'desk', SIZE, ['object_moves']);
    const b = await openGeneratedTrack(join(dir, 'cache'), 'desk', SIZE, ['object_moves']);
    const moved = a.frame(3, { id: 'm', kind: 'object_moves', elapsedMs: 500 });
    expect(b.frame(3, { id: 'm', kind: 'object_moves', elapsedMs: 500 })).toEqual(moved);
    const [, gRight] = await pixel(moved, 260, 150);
    const [, gLeft] = await pixel(a.frame(0, null), 45, 150);
    expect(gRight).toBeGreaterThan(130);
    expect(gLeft).toBeGreaterThan(130);
    expect((await pixel(moved, 45, 150))[1]).toBeLessThan(200);
  });
});

describe('recorded video', () => {
  it('the shipped clip decodes to 16 kHz PCM and frames at the asked fps; the hand is up from the cue time', async () => {
    const clip = fileURLToPath(new URL(`../../scenarios/visual_interjection/${RECORDED_CLIP}`, import.meta.url));
    const track = await openRecordedTrack(join(dir, 'cache'), clip, SIZE);
    expect(Math.abs(track.audio!.length / 16_000 - 18)).toBeLessThan(0.1);
    const hand = (index: number) => pixel(track.frame(index, null), Math.round(320 * 0.79), Math.round(240 * 0.5));
    const skin = ([r, g, b]: number[]) => r > 190 && g > 140 && g < 200 && b < 140;
    const cueFrame = (RECORDED_CUE_MS / 1000) * SIZE.fps;
    expect(skin(await hand(cueFrame - 1))).toBe(false);
    expect(skin(await hand(cueFrame))).toBe(true);
    expect(skin(await hand(cueFrame + 9))).toBe(true);
    expect(skin(await hand(cueFrame + 10))).toBe(false);
    expect(track.frame(10_000, null)).toEqual(track.frame(35, null)); // past the end: the last frame held
  });
});
