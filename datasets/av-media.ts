/**
 * The MediaSource's renders beyond the user's own speech (media-source.ts puts them together):
 * side talk and background sound rendered with their DSP treatment (effects/), vocal tics
 * (effects/vocal-tics.ts), and video frames drawn or decoded with ffmpeg (video/).
 * Deterministic; frames are cached under datasets/cache/video/.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { USER_SAMPLE_RATE, type MediaSource, type RenderedSpeech } from '../harness/media.ts';
import { renderBed } from './effects/beds.ts';
import { background, sideTalk } from './effects/treatments.ts';
import { renderTic } from './effects/vocal-tics.ts';
import { seedFor } from './prng.ts';
import { renderSpeech, voiceOf } from './speech.ts';
import type { Synthesizer } from './tts/cache.ts';
import { openGeneratedTrack, openRecordedTrack } from './video/tracks.ts';

/** datasets/cache/video/ (git-ignored). */
const DEFAULT_VIDEO_CACHE_DIR = fileURLToPath(new URL('./cache/video/', import.meta.url));
const DEFAULT_VIDEO_SIZE = { width: 320, height: 240 };

const rmsDbfs = (pcm: Int16Array) => 10 * Math.log10(pcm.reduce((s, x) => s + (x / 32768) ** 2, 0) / Math.max(1, pcm.length));

/** A treated clip keeps the dry clip's truth; the reflections' tail only lengthens it. */
function treated(dry: RenderedSpeech, pcm: Int16Array): RenderedSpeech {
  return { ...dry, pcm };
}

type AvRenders = Pick<MediaSource, 'renderSideTalk' | 'renderBackground' | 'renderVocalTic' | 'openVideo'>;

export function avRenders(synthesize: Synthesizer, videoCacheDir = DEFAULT_VIDEO_CACHE_DIR): AvRenders {
  return {
    async renderSideTalk(spec, defaults, scenarioFile) {
      const dry = await renderSpeech(spec, defaults, scenarioFile, synthesize);
      return treated(dry, sideTalk(dry.pcm, USER_SAMPLE_RATE, spec.gain_db));
    },
    async renderBackground(spec, defaults, scenarioFile) {
      if (spec.noise === undefined) {
        const dry = await renderSpeech({ text: spec.text, clip: spec.clip, voice: spec.voice }, defaults, scenarioFile, synthesize);
        return treated(dry, background(dry.pcm, USER_SAMPLE_RATE, spec.gain_db));
      }
      const bed = await renderBed(spec.noise, spec.ms!, defaults.seed, synthesize);
      // Level the treated bed snr_db under the user's speech: the treatment's gain is relative to its input.
      const pcm = background(bed, USER_SAMPLE_RATE, defaults.userSpeechDbfs - spec.snr_db! - rmsDbfs(bed));
      // A bed sounds from its first sample to its planned end (the echo tail aside).
      return { pcm, sampleRate: USER_SAMPLE_RATE, words: [], speechStartMs: 0, speechEndMs: spec.ms!, pauses: [] };
    },
    async renderVocalTic(spec, defaults, actionId) {
      const pcm = await renderTic(spec.sound, {
        seed: seedFor(defaults.seed, actionId),
        voice: voiceOf(undefined, defaults),
        gainDb: spec.gain_db,
        synthesize,
      });
      return { pcm, sampleRate: USER_SAMPLE_RATE, words: [], speechStartMs: 0, speechEndMs: (pcm.length * 1000) / USER_SAMPLE_RATE, pauses: [] };
    },
    async openVideo(spec, cues, scenarioFile) {
      const size = { fps: spec.fps, width: spec.width ?? DEFAULT_VIDEO_SIZE.width, height: spec.height ?? DEFAULT_VIDEO_SIZE.height };
      if (spec.file) return openRecordedTrack(videoCacheDir, resolve(dirname(scenarioFile), spec.file), size);
      return openGeneratedTrack(
        videoCacheDir,
        spec.scene ?? 'slide',
        size,
        cues.map((c) => c.cue),
      );
    },
  };
}
