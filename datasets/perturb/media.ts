/**
 * A MediaSource with a run's perturbations (`run --perturb`): every rendered clip of the user's
 * speech goes through perturbClip (apply.ts), the noise floor stream gets the perturbation's
 * noise on top, and perturbation() tells the session the label to record and the echo path to
 * run. The room (reverb) and the line (telephone) apply to side talk, background and vocal tics
 * too, as the user's microphone picks them up; rate (the user's speaking rate) and the speech
 * level of a noise perturbation apply to the user's own speech only.
 */
import type { MediaSource } from '../../harness/media.ts';
import type { Synthesizer } from '../tts/cache.ts';
import { seedFor } from '../prng.ts';
import { perturbClip } from './apply.ts';
import { perturbationNoise, renderBabbleLoop, sumStreams } from './noise.ts';
import { formatPerturbation, type Perturbation } from './spec.ts';

/** Seed of the one babble loop a run renders (the noise stream's start in it is per scenario). */
const BABBLE_SEED = 22;

export function perturbMediaSource(inner: MediaSource, p: Perturbation, synthesize: Synthesizer): MediaSource & { ready(): Promise<void> } {
  const label = formatPerturbation(p);
  const micPath: Perturbation = { reverb: p.reverb, telephone: p.telephone };
  let babble: Int16Array | undefined;
  let loading: Promise<void> | undefined;
  const ready = (): Promise<void> => {
    if (p.noise?.kind !== 'babble') return Promise.resolve();
    loading ??= renderBabbleLoop(BABBLE_SEED, synthesize).then((pcm) => {
      // In shared memory: each session's noise recipe carries the loop to the noise thread without a copy.
      babble = new Int16Array(new SharedArrayBuffer(pcm.byteLength));
      babble.set(pcm);
    });
    return loading;
  };
  return {
    ...inner,
    ready,
    async renderSpeech(speech, defaults, scenarioFile) {
      await ready();
      return perturbClip(await inner.renderSpeech(speech, defaults, scenarioFile), p, defaults.seed);
    },
    noise(spec, seed) {
      const floor = inner.noise(spec, seed);
      if (!p.noise) return floor;
      return sumStreams(floor, perturbationNoise(p.noise.kind, p.noise.snrDb, seedFor(seed, 'perturb:noise'), babble));
    },
    renderSideTalk: async (spec, defaults, file) => perturbClip(await inner.renderSideTalk(spec, defaults, file), micPath, defaults.seed),
    renderBackground: async (spec, defaults, file) => perturbClip(await inner.renderBackground(spec, defaults, file), micPath, defaults.seed),
    renderVocalTic: async (spec, defaults, actionId) => perturbClip(await inner.renderVocalTic(spec, defaults, actionId), micPath, defaults.seed),
    perturbation: () => ({ label, ...(p.echo ? { echo: p.echo } : {}) }),
  };
}
