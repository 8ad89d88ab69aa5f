/**
 * The one place crosstalk calls ffmpeg (fluent-ffmpeg 2.1.3, whose upstream is archived, with
 * the static binary of @ffmpeg-installer/ffmpeg): draw still frames with lavfi sources and
 * filters, decode a recorded video to 16 kHz PCM and JPEG frames, and encode small test clips.
 * Everything runs offline; errors carry ffmpeg's own last lines.
 */
import { createRequire } from 'node:module';
import ffmpeg from 'fluent-ffmpeg';

const require = createRequire(import.meta.url);
const FFMPEG_PATH: string = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
ffmpeg.setFfmpegPath(FFMPEG_PATH);

function run(command: ffmpeg.FfmpegCommand, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    command
      .on('end', () => resolve())
      .on('error', (err: Error, _stdout: string | null, stderr: string | null) =>
        reject(
          new Error(
            `ffmpeg ${what} failed: ${err.message}\n${String(stderr ?? '')
              .split('\n')
              .slice(-4)
              .join('\n')}`,
          ),
        ),
      )
      .run();
  });
}

/** One JPEG frame: a `color` lavfi source of the given size, then `filters` (drawbox, drawgrid...). */
export function renderStill(outFile: string, size: { width: number; height: number }, background: string, filters: string[]): Promise<void> {
  const command = ffmpeg()
    .input(`color=c=${background}:s=${size.width}x${size.height}:d=1`)
    .inputFormat('lavfi')
    .videoFilters(filters.length ? filters : ['null'])
    .frames(1)
    .outputOptions(['-q:v', '3'])
    .output(outFile);
  return run(command, `drawing ${outFile}`);
}

/** Decode a recorded file: mono 16 kHz PCM16 (raw little-endian) and JPEG frames at `fps` (frame-000001.jpg = t 0). */
export function decodeVideo(file: string, fps: number, audioOut: string, framePattern: string, size: { width: number; height: number }): Promise<void> {
  const command = ffmpeg(file)
    .output(audioOut)
    .noVideo()
    .audioChannels(1)
    .audioFrequency(16_000)
    .audioCodec('pcm_s16le')
    .format('s16le')
    .output(framePattern)
    .noAudio()
    .videoFilters([`fps=${fps}`, `scale=${size.width}:${size.height}`])
    .outputOptions(['-q:v', '3']);
  return run(command, `decoding ${file}`);
}

/** Raw RGB24 pixels of an image (for checks of what was drawn). */
export function decodeToRgb(imageFile: string, rawOut: string): Promise<void> {
  return run(ffmpeg(imageFile).outputOptions(['-f', 'rawvideo', '-pix_fmt', 'rgb24']).output(rawOut), `decoding ${imageFile}`);
}

/**
 * A small recorded-style clip: `frames` (JPEG files, one per 1/fps s) and a 16 kHz WAV, muxed
 * to MP4 (H.264 is not in every build: MPEG-4 part 2 and AAC are).
 */
export function encodeClip(framePattern: string, fps: number, wav: string, outFile: string): Promise<void> {
  const command = ffmpeg()
    .input(framePattern)
    .inputOptions(['-framerate', String(fps)])
    .input(wav)
    .videoCodec('mpeg4')
    .audioCodec('aac')
    .outputOptions(['-q:v', '16', '-g', '60', '-shortest', '-pix_fmt', 'yuv420p', '-ac', '1', '-b:a', '24k'])
    .output(outFile);
  return run(command, `encoding ${outFile}`);
}

/**
 * A clip drawn by ffmpeg's own sources, not by crosstalk: `sources` are lavfi inputs (testsrc2,
 * life, mandelbrot, color), `graph` a filter_complex over them ending in [v], muxed with `wav`
 * to MP4 (MPEG-4 part 2 and AAC, as encodeClip), `durationMs` long.
 */
export function renderLavfiClip(outFile: string, sources: readonly string[], graph: string, wav: string, durationMs: number): Promise<void> {
  const command = ffmpeg();
  for (const s of sources) command.input(s).inputFormat('lavfi');
  command
    .input(wav)
    .complexFilter(graph)
    .videoCodec('mpeg4')
    .audioCodec('aac')
    .outputOptions([
      '-map',
      '[v]',
      '-map',
      `${sources.length}:a`,
      '-t',
      String(durationMs / 1000),
      '-q:v',
      '16',
      '-g',
      '60',
      '-pix_fmt',
      'yuv420p',
      '-ac',
      '1',
      '-b:a',
      '24k',
    ])
    .output(outFile);
  return run(command, `drawing ${outFile}`);
}
