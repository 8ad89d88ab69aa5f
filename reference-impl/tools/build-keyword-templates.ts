/**
 * Renders the keyword spotter's templates (perception/keywords/vocabulary.ts: the duration
 * grammar's phrases, the unit words, the task verbs, in the template voices) with the offline
 * TTS and stores them in reference-impl/models/keyword-templates.json (minutes):
 *
 *   npx tsx reference-impl/tools/build-keyword-templates.ts
 *
 * Deterministic: the same eSpeak NG build gives the same file (reference-impl/test/keywords.test.ts
 * rebuilds some entries and compares them with the stored ones).
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildKeywordTemplates, encodeKeywordTemplates, KEYWORD_TEMPLATES_URL } from '../perception/keywords/templates.ts';

const t0 = performance.now();
const templates = await buildKeywordTemplates({
  onVoice: (voice, n) => console.log(`${voice.name}: ${n} templates so far (${((performance.now() - t0) / 1000).toFixed(0)} s)`),
});
const path = fileURLToPath(KEYWORD_TEMPLATES_URL);
await writeFile(path, encodeKeywordTemplates(templates));
console.log(`wrote ${templates.length} templates to ${path}`);
