/**
 * The onset classifier's templates as stored in reference-impl/models/onset-templates.json
 * (built by reference-impl/tools/build-onset-templates.ts; rendering them takes minutes, reading
 * them milliseconds). Features are speaker-normalized MFCCs, kept as bytes: value * TEMPLATE_SCALE
 * rounded, clipped to a signed byte (steps of 0.04 standard deviations, far under the distance
 * between two words).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { onceAsync } from '../../../harness/once.ts';
import { MFCC_DIMS } from './mfcc.ts';
import { OnsetClassifier, TEMPLATE_MS, type OnsetClass, type OnsetTemplate } from './onset-words.ts';

export const ONSET_TEMPLATES_URL = new URL('../../models/onset-templates.json', import.meta.url);
const FORMAT = 'crosstalk-onset-templates/1';
export const TEMPLATE_SCALE = 24;

interface Stored {
  format: string;
  mfccDims: number;
  templateMs: number;
  scale: number;
  templates: { cls: OnsetClass; text: string; voice: string; frames: number }[];
  /** All templates' features in order, one signed byte per value, base64. */
  data: string;
}

export function quantized(v: number): number {
  return Math.max(-128, Math.min(127, Math.round(v * TEMPLATE_SCALE)));
}

export function encodeOnsetTemplates(templates: readonly OnsetTemplate[]): string {
  const bytes = Int8Array.from(templates.flatMap((t) => Array.from(t.features.data, quantized)));
  const stored: Stored = {
    format: FORMAT,
    mfccDims: MFCC_DIMS,
    templateMs: TEMPLATE_MS,
    scale: TEMPLATE_SCALE,
    templates: templates.map((t) => ({ cls: t.cls, text: t.text, voice: t.voice, frames: t.features.frames })),
    data: Buffer.from(bytes.buffer).toString('base64'),
  };
  return `${JSON.stringify(stored)}\n`;
}

export function decodeOnsetTemplates(json: string, source: string): OnsetTemplate[] {
  const s = JSON.parse(json) as Stored;
  if (s.format !== FORMAT || s.mfccDims !== MFCC_DIMS || s.templateMs !== TEMPLATE_MS) {
    throw new Error(
      `${source}: onset templates of format ${s.format} (${s.mfccDims} MFCCs, ${s.templateMs} ms) do not fit this code (${FORMAT}, ${MFCC_DIMS}, ${TEMPLATE_MS} ms); rebuild them with: npx tsx reference-impl/tools/build-onset-templates.ts`,
    );
  }
  const bytes = new Int8Array(Buffer.from(s.data, 'base64'));
  let at = 0;
  const out = s.templates.map((t) => {
    const n = t.frames * MFCC_DIMS;
    const data = Float32Array.from(bytes.subarray(at, at + n), (b) => b / s.scale);
    at += n;
    return { cls: t.cls, text: t.text, voice: t.voice, features: { data, frames: t.frames } };
  });
  if (at !== bytes.length) throw new Error(`${source}: ${bytes.length} feature bytes for templates that need ${at}; rebuild it`);
  return out;
}

/** The bundled classifier, read once per process. */
export const bundledOnsetClassifier: () => Promise<OnsetClassifier> = onceAsync(async () => {
  const path = fileURLToPath(ONSET_TEMPLATES_URL);
  return new OnsetClassifier(decodeOnsetTemplates(await readFile(path, 'utf8'), path));
});
