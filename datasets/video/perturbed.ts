/**
 * Visual perturbations a good partner does not react to, drawn into a clip by ffmpeg (not by
 * crosstalk's scene renderer: the picture is one of ffmpeg's own sources):
 * - camera noise: temporal sensor noise on every frame (ffmpeg `noise`, strength 0-100, seeded);
 * - distractor motion: a grey object crossing the frame left to right during [fromMs, toMs);
 * - a lighting change: the luma scaled by `gain` during [fromMs, toMs) (a lamp, a cloud);
 * and, optionally, the one real cue: a raised hand (the shapes of scenes.ts) during [fromMs, toMs).
 * Deterministic for a seed. Times are on the clip's clock, which is the session's (a recorded
 * video plays from t = 0).
 */
import { USER_SAMPLE_RATE } from '../../harness/media.ts';
import { frameFilters } from './scenes.ts';

type ClipSource = 'life' | 'mandelbrot' | 'testsrc2';

interface Span {
  fromMs: number;
  toMs: number;
}

interface VisualPerturbation {
  cameraNoise?: number;
  distractorMotion?: Span;
  lighting?: Span & { gain: number };
}

export interface PerturbedClipSpec {
  source: ClipSource;
  seed: number;
  durationMs: number;
  width: number;
  height: number;
  fps: number;
  perturb: VisualPerturbation;
  /** The real cue (a raised hand), if any. */
  cue?: Span;
}

/** Side of the distractor object, as a share of the frame height. */
export const DISTRACTOR_SIZE = 0.2;
/** Its top edge, as a share of the frame height. */
export const DISTRACTOR_Y = 0.15;

const s = (ms: number) => (ms / 1000).toFixed(3);
const during = (span: Span) => `enable='between(t,${s(span.fromMs)},${s(span.toMs)})'`;

function sourceOf(spec: PerturbedClipSpec): string {
  const size = `s=${spec.width}x${spec.height}:r=${spec.fps}`;
  switch (spec.source) {
    case 'life':
      return `life=${size}:seed=${spec.seed}:ratio=0.2:mold=8:life_color=0x4080C0:death_color=0x202020:mold_color=0x305070`;
    case 'mandelbrot':
      return `mandelbrot=${size}:maxiter=200`;
    case 'testsrc2':
      return `testsrc2=${size}`;
  }
}

/** The lavfi inputs and the filter graph (ending in [v]) of a clip. */
export function perturbedClipGraph(spec: PerturbedClipSpec): { sources: string[]; graph: string } {
  const { width: W, height: H, perturb: p } = spec;
  const sources = [sourceOf(spec)];
  const chain: string[] = [];
  let label = '[0:v]';
  const step = (filter: string) => {
    const next = `[s${chain.length}]`;
    chain.push(`${label}${filter}${next}`);
    label = next;
  };
  step('format=yuv420p');
  if (p.distractorMotion) {
    const side = Math.round(DISTRACTOR_SIZE * H);
    sources.push(`color=c=0x9A9A9A:s=${side}x${side}:r=${spec.fps}`);
    const { fromMs, toMs } = p.distractorMotion;
    const x = `-overlay_w+(main_w+overlay_w)*(t-${s(fromMs)})/${s(toMs - fromMs)}`;
    chain.push(`${label}[1:v]overlay=x='${x}':y=${Math.round(DISTRACTOR_Y * H)}:shortest=1:${during(p.distractorMotion)}[s${chain.length}]`);
    label = `[s${chain.length - 1}]`;
  }
  if (p.lighting) step(`lutyuv=y='clip(val*${p.lighting.gain},16,235)':${during(p.lighting)}`);
  if (spec.cue) for (const box of frameFilters('plain', W, H, 'raised_hand')) step(`${box}:${during(spec.cue)}`);
  if (p.cameraNoise) step(`noise=alls=${p.cameraNoise}:allf=t:all_seed=${spec.seed}`);
  chain[chain.length - 1] = chain[chain.length - 1].replace(/\[s\d+\]$/, '[v]');
  return { sources, graph: chain.join(';') };
}

/** Audio for the clip: digital silence (the scenario's own noise floor goes under it). */
export function silentAudio(durationMs: number): Int16Array {
  return new Int16Array(Math.round((durationMs * USER_SAMPLE_RATE) / 1000));
}
