/**
 * `crosstalk run --perturb <spec>`: the option, how it is read (datasets/perturb/spec.ts, bad
 * input exits 2 naming the item), and what the run keeps of it: the canonical spec in the run
 * config (so --resume can refuse a different one) and, per session, sessions.perturbation and
 * the recording header (from MediaSource.perturbation()).
 */
import { formatPerturbation, parsePerturbation, type Perturbation } from '../datasets/perturb/spec.ts';

export const PERTURB_OPTION = {
  type: 'string',
  describe:
    "Perturb the user's side, comma-separated: rate:1.1 (time-scale, pitch kept), reverb:400ms (RT60), telephone:g711 or telephone:opus@8kbps, noise:<white|pink|brown|room_tone|babble>@10dB (SNR against the speech), echo:-20dB@120ms (the agent's played audio back into the microphone). Stored per session (sessions.perturbation)",
} as const;

export function perturbationOf(args: { perturb?: string }): Perturbation | undefined {
  return args.perturb === undefined ? undefined : parsePerturbation(args.perturb);
}

/** The canonical spec, for the run config and the resume check; absent: a clean run. */
export function perturbLabel(args: { perturb?: string }): string | undefined {
  const p = perturbationOf(args);
  return p && formatPerturbation(p);
}
