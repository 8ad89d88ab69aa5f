/**
 * The AvMedia the CLI injects next to the MediaSource (harness/runner/av-media.ts): side talk
 * and background sound rendered with their DSP treatment (effects/), vocal tics
 * (effects/vocal-tics.ts), and video frames drawn or
 * decoded with ffmpeg (video/). Deterministic; TTS and frames are cached under datasets/cache/.
 * With a perturbation (`run --perturb`), the room (reverb) and the line (telephone) apply to
 * these sounds too, as the user's microphone picks them up; rate (the user's speaking rate) and
 * the speech level of a noise perturbation apply to the user's own speech only.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { USER_SAMPLE_RATE, type RenderedSpeech } from '../harness/media.ts';
import type { AvMedia } from '../harness/runner/av-media.ts';
import { renderBed } from './effects/beds.ts';
import { background, sideTalk } from './effects/treatments.ts';
import { DEFAULT_TTS_CACHE_DIR } from './media-source.ts';
import { renderTic } from './effects/vocal-tics.ts';
import { seedFor } from './prng.ts';
import { renderSpeech, voiceOf } from './speech.ts';
import { cachedSynthesizer } from './tts/cache.ts';
import { perturbClip } from './perturb/apply.ts';
import type { Perturbation } from './perturb/spec.ts';
import { openGeneratedTrack, openRecordedTrack } from './video/tracks.ts';

/** datasets/cache/video/ (git-ignored). */
export const DEFAULT_VIDEO_CACHE_DIR = fileURLToPath(new URL('./cache/video/', import.meta.url));
export const DEFAULT_VIDEO_SIZE = { width: 320, height: 240 };

const rmsDbfs = (pcm: Int16Array) => 10 * Math.log10(pcm.reduce((s, x) => s + (x / 32768) ** 2, 0) / Math.max(1, pcm.length));

/** A treated clip keeps the dry clip's truth; the reflections' tail only lengthens it. */
function treated(dry: RenderedSpeech, pcm: Int16Array): RenderedSpeech {
  return { ...dry, pcm };
}

export function createAvMedia(opts: { ttsCacheDir?: string; videoCacheDir?: string; perturbation?: Perturbation } = {}): AvMedia {
  const clean = cleanAvMedia(opts);
  const p = opts.perturbation;
  const path = p && (p.reverb || p.telephone) ? { reverb: p.reverb, telephone: p.telephone } : undefined;
  if (!path) return clean;
  return {
    ...clean,
    renderSideTalk: async (spec, defaults, file) => perturbClip(await clean.renderSideTalk(spec, defaults, file), path, defaults.seed),
    renderBackground: async (spec, defaults, file) => perturbClip(await clean.renderBackground(spec, defaults, file), path, defaults.seed),
    renderVocalTic: async (spec, defaults, actionId) => perturbClip(await clean.renderVocalTic(spec, defaults, actionId), path, defaults.seed),
  };
}

function cleanAvMedia(opts: { ttsCacheDir?: string; videoCacheDir?: string }): AvMedia {
  const synthesize = cachedSynthesizer(opts.ttsCacheDir ?? DEFAULT_TTS_CACHE_DIR);
  const videoCache = opts.videoCacheDir ?? DEFAULT_VIDEO_CACHE_DIR;
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
      if (spec.file) return openRecordedTrack(videoCache, resolve(dirname(scenarioFile), spec.file), size);
      return openGeneratedTrack(
        videoCache,
        spec.scene ?? 'slide',
        size,
        cues.map((c) => c.cue),
      );
    },
  };
}
