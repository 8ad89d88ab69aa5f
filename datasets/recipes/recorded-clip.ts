/**
 * The recorded clip of the visual_interjection suite (scenarios/visual_interjection/media/
 * raised-hand.mp4): a plain scene on which a hand goes up at RECORDED_CUE_MS and stays for
 * 5 s, over quiet room tone, 18 s in all. It stands for a video someone recorded: the suite
 * ships it (about 90 KB) because the scenario loader checks that it exists, and this recipe
 * rebuilds it only when it is missing.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { USER_SAMPLE_RATE } from '../../harness/media.ts';
import { encodeWav } from '../audio/wav.ts';
import { createNoise } from '../noise.ts';
import { encodeClip, renderStill } from '../video/ffmpeg.ts';
import { BACKGROUND, frameFilters } from '../video/scenes.ts';

export const RECORDED_CLIP = 'media/raised-hand.mp4';
export const RECORDED_CUE_MS = 10_000;
const CLIP_MS = 18_000;
const CUE_LENGTH_MS = 5000;
const FPS = 2;
const SIZE = { width: 320, height: 240 };

export async function writeRecordedClip(suiteDir: string): Promise<string> {
  const out = join(suiteDir, RECORDED_CLIP);
  if (existsSync(out)) return out;
  mkdirSync(join(suiteDir, 'media'), { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'crosstalk-clip-'));
  try {
    await renderStill(join(tmp, 'base.jpg'), SIZE, BACKGROUND.plain, frameFilters('plain', SIZE.width, SIZE.height, null));
    await renderStill(join(tmp, 'hand.jpg'), SIZE, BACKGROUND.plain, frameFilters('plain', SIZE.width, SIZE.height, 'raised_hand'));
    for (let k = 0; k < (CLIP_MS * FPS) / 1000; k++) {
      const t = (k * 1000) / FPS;
      const hand = t >= RECORDED_CUE_MS && t < RECORDED_CUE_MS + CUE_LENGTH_MS;
      copyFileSync(join(tmp, hand ? 'hand.jpg' : 'base.jpg'), join(tmp, `f-${String(k).padStart(4, '0')}.jpg`));
    }
    const tone = createNoise({ kind: 'room_tone', level_dbfs: -55 }, 7).next((CLIP_MS * USER_SAMPLE_RATE) / 1000);
    writeFileSync(
      join(tmp, 'audio.wav'),
      encodeWav(
        Int16Array.from(tone, (v) => Math.round(v * 32767)),
        USER_SAMPLE_RATE,
      ),
    );
    await encodeClip(join(tmp, 'f-%04d.jpg'), FPS, join(tmp, 'audio.wav'), out);
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
