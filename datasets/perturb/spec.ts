/**
 * The perturbation spec of a run (`crosstalk run --perturb <spec>`): comma-separated items, each
 * kind at most once, in any order; they are applied in the fixed order of PERTURBATION_ORDER.
 *
 *   rate:<factor>                 time-scale the user's speech, pitch kept (1.1 = 10 % faster;
 *                                 0.5 to 2); planted times are divided by the factor
 *   reverb:<rt60>ms               a synthetic room with this RT60 (100 to 2000 ms)
 *   telephone:g711                8 kHz, 300-3400 Hz, G.711 mu-law
 *   telephone:opus@<kbps>kbps     8 kHz, 300-3400 Hz, Opus narrowband at this bitrate (6 to 24)
 *   noise:<kind>@<snr>dB          additive noise (white, pink, brown, room_tone, babble) at this
 *                                 SNR against the user's active speech level (-5 to 40 dB)
 *   echo:<gain>dB@<delay>ms       the agent's played audio back into the user's microphone,
 *                                 attenuated (gain -60 to 0 dB) and delayed (20 to 2000 ms)
 *
 * `formatPerturbation` writes the canonical form (the order above, numbers as given): that is
 * what the store (sessions.perturbation) and the recording header hold.
 */
import { InputError } from '../../harness/errors.ts';

const NOISE_KINDS = ['white', 'pink', 'brown', 'room_tone', 'babble'] as const;
export type PerturbNoiseKind = (typeof NOISE_KINDS)[number];

export interface Perturbation {
  rate?: { factor: number };
  reverb?: { rt60Ms: number };
  telephone?: { codec: 'g711' } | { codec: 'opus'; kbps: number };
  noise?: { kind: PerturbNoiseKind; snrDb: number };
  echo?: { gainDb: number; delayMs: number };
}

const PERTURBATION_ORDER = ['rate', 'reverb', 'telephone', 'noise', 'echo'] as const;
type Kind = (typeof PERTURBATION_ORDER)[number];

const FIELD = '--perturb';
const GRAMMAR =
  'Grammar: rate:1.1, reverb:400ms, telephone:g711 or telephone:opus@8kbps, noise:pink@10dB (white, pink, brown, room_tone, babble), echo:-20dB@120ms; comma-separated, each kind once.';

function bad(message: string): InputError {
  return new InputError(message, { field: FIELD, hint: GRAMMAR });
}

/** A number with an optional unit suffix (`400ms`, `-20dB`), within [min, max]. */
function num(text: string, unit: string, min: number, max: number, what: string): number {
  const m = new RegExp(`^(-?\\d+(?:\\.\\d+)?)${unit}$`, 'i').exec(text);
  if (!m) throw bad(`${what} "${text}" is not a number${unit ? ` in ${unit}` : ''}`);
  const v = Number(m[1]);
  if (v < min || v > max) throw bad(`${what} ${v}${unit} is outside ${min} to ${max}${unit}`);
  return v;
}

/** The two halves of `a@b`, or an error naming the item. */
function at(arg: string, item: string): [string, string] {
  const parts = arg.split('@');
  if (parts.length !== 2) throw bad(`"${item}" needs the form ${item.split(':')[0]}:<a>@<b>`);
  return [parts[0], parts[1]];
}

export function parsePerturbation(spec: string): Perturbation {
  const items = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw bad(`${FIELD} names no perturbation`);
  const out: Perturbation = {};
  for (const item of items) {
    const colon = item.indexOf(':');
    const kind = (colon < 0 ? item : item.slice(0, colon)) as Kind;
    const arg = colon < 0 ? '' : item.slice(colon + 1);
    if (!PERTURBATION_ORDER.includes(kind)) throw bad(`unknown perturbation "${kind}" in "${item}"`);
    if (out[kind] !== undefined) throw bad(`perturbation "${kind}" is given twice`);
    if (!arg) throw bad(`"${item}" needs a value`);
    switch (kind) {
      case 'rate':
        out.rate = { factor: num(arg, '', 0.5, 2, 'rate factor') };
        break;
      case 'reverb':
        out.reverb = { rt60Ms: num(arg, 'ms', 100, 2000, 'reverb RT60') };
        break;
      case 'telephone': {
        if (arg === 'g711') out.telephone = { codec: 'g711' };
        else if (arg.startsWith('opus@')) out.telephone = { codec: 'opus', kbps: num(arg.slice(5), 'kbps', 6, 24, 'Opus bitrate') };
        else throw bad(`unknown telephone path "${arg}" (g711 or opus@<kbps>kbps)`);
        break;
      }
      case 'noise': {
        const [kind, snr] = at(arg, item);
        if (!(NOISE_KINDS as readonly string[]).includes(kind)) throw bad(`unknown noise kind "${kind}" (${NOISE_KINDS.join(', ')})`);
        out.noise = { kind: kind as PerturbNoiseKind, snrDb: num(snr, 'dB', -5, 40, 'noise SNR') };
        break;
      }
      case 'echo': {
        const [gain, delay] = at(arg, item);
        out.echo = { gainDb: num(gain, 'dB', -60, 0, 'echo gain'), delayMs: num(delay, 'ms', 20, 2000, 'echo delay') };
        break;
      }
    }
  }
  return out;
}

export function formatPerturbation(p: Perturbation): string {
  const parts: string[] = [];
  if (p.rate) parts.push(`rate:${p.rate.factor}`);
  if (p.reverb) parts.push(`reverb:${p.reverb.rt60Ms}ms`);
  if (p.telephone) parts.push(p.telephone.codec === 'g711' ? 'telephone:g711' : `telephone:opus@${p.telephone.kbps}kbps`);
  if (p.noise) parts.push(`noise:${p.noise.kind}@${p.noise.snrDb}dB`);
  if (p.echo) parts.push(`echo:${p.echo.gainDb}dB@${p.echo.delayMs}ms`);
  return parts.join(',');
}
