/**
 * Video tracks for the runner (harness/media.ts VideoTrack), cached under
 * datasets/cache/video/ (git-ignored; regenerated in well under a second per scenario):
 * - generated: one JPEG of the bare scene and one per cue kind the scenario shows, drawn by
 *   ffmpeg once and held in memory (a few KB each);
 * - recorded: a video file decoded once to 16 kHz PCM and JPEG frames at the scenario's fps;
 *   frames are read from disk when sent, so a long file does not sit in memory. Past the last
 *   frame, the last frame is held.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../harness/errors.ts';
import type { VideoTrack } from '../../harness/media.ts';
import type { CueKind } from '../../harness/scenario/schema.ts';
import { decodeVideo, renderStill } from './ffmpeg.ts';
import { BACKGROUND, frameFilters, type SceneKind } from './scenes.ts';

/** Bump when drawing or decoding changes, so cached frames are not reused. */
const VIDEO_PIPELINE_VERSION = 1;

interface FrameSpec {
  fps: number;
  width: number;
  height: number;
}

const key = (...parts: (string | number)[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);

/** Build `dir` with `fill` into a temporary folder and rename it, so a crash leaves no half cache. */
async function cached(dir: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  if (existsSync(dir)) return;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await fill(tmp);
  if (!existsSync(dir)) renameSync(tmp, dir);
  else rmSync(tmp, { recursive: true, force: true });
}

export async function openGeneratedTrack(cacheDir: string, scene: SceneKind, size: FrameSpec, cues: readonly CueKind[]): Promise<VideoTrack> {
  const kinds = [...new Set(cues)].filter((c): c is Exclude<CueKind, 'recorded'> => c !== 'recorded').sort();
  const dir = join(cacheDir, `gen-${key(VIDEO_PIPELINE_VERSION, scene, size.width, size.height, ...kinds)}`);
  const name = (cue: string | null) => `${cue ?? 'base'}.jpg`;
  await cached(dir, async (tmp) => {
    for (const cue of [null, ...kinds]) await renderStill(join(tmp, name(cue)), size, BACKGROUND[scene], frameFilters(scene, size.width, size.height, cue));
  });
  const images = new Map([null, ...kinds].map((cue) => [cue, new Uint8Array(readFileSync(join(dir, name(cue))))]));
  return { frame: (_index, cue) => images.get(cue && cue.kind !== 'recorded' ? cue.kind : null)! };
}

export async function openRecordedTrack(cacheDir: string, file: string, size: FrameSpec): Promise<VideoTrack> {
  if (!existsSync(file))
    throw new InputError(`video file not found: ${file}`, { file, field: 'video.file', hint: 'Check the path (relative to the scenario file).' });
  const contentKey = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
  const dir = join(cacheDir, `rec-${key(VIDEO_PIPELINE_VERSION, contentKey, size.fps, size.width, size.height)}`);
  await cached(dir, async (tmp) => {
    await decodeVideo(file, size.fps, join(tmp, 'audio.s16le'), join(tmp, 'frame-%06d.jpg'), size);
    writeFileSync(join(tmp, 'source.txt'), `${file}\n`);
  });
  const frames = readdirSync(dir).filter((f) => f.startsWith('frame-')).length;
  if (frames === 0)
    throw new InputError('the video file has no video frames', { file, field: 'video.file', hint: 'Use a file with a video stream (mp4, webm, mkv...).' });
  const raw = readFileSync(join(dir, 'audio.s16le'));
  const audio = new Int16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + (raw.length & ~1)));
  const framePath = (index: number) => join(dir, `frame-${String(Math.min(index, frames - 1) + 1).padStart(6, '0')}.jpg`);
  return { audio, frame: (index) => new Uint8Array(readFileSync(framePath(index))) };
}
