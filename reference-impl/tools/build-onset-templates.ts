/**
 * Renders the onset classifier's templates (perception/keywords/onset-vocabulary.ts) with the
 * offline TTS and stores them in reference-impl/models/onset-templates.json (about 3 minutes):
 *
 *   npx tsx reference-impl/tools/build-onset-templates.ts
 *
 * Deterministic: the same eSpeak NG build gives the same file (reference-impl/test/onset.test.ts
 * rebuilds one voice and compares it with the stored one).
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { synthesize } from '../../datasets/tts/espeak.ts';
import { encodeOnsetTemplates, ONSET_TEMPLATES_URL } from '../perception/keywords/onset-model.ts';
import { ONSET_TEMPLATE_VOICES, ONSET_VOCABULARY } from '../perception/keywords/onset-vocabulary.ts';
import { buildVoiceTemplates, type OnsetTemplate } from '../perception/keywords/onset-words.ts';

const templates: OnsetTemplate[] = [];
for (const [i, voice] of ONSET_TEMPLATE_VOICES.entries()) {
  templates.push(...(await buildVoiceTemplates(synthesize, voice, i, ONSET_VOCABULARY)));
  console.log(`${voice.name}: ${templates.length} templates so far`);
}
const path = fileURLToPath(ONSET_TEMPLATES_URL);
await writeFile(path, encodeOnsetTemplates(templates));
console.log(`wrote ${templates.length} templates to ${path}`);
