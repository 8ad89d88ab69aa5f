/**
 * How well the contour cue tells utterance ends from word boundaries inside utterances, on
 * espeak-ng speech: for each sentence and voice, the contour is read at the real end and at
 * every inner word boundary (as if the user paused there), and the shapes are counted.
 *
 *   npx tsx reference-impl/tools/contour-study.ts
 *
 * The figures quoted in perception/contour.ts come from this script.
 */
import { synthesize } from '../../datasets/tts/espeak.ts';
import { FRAME_SAMPLES, SAMPLE_RATE } from '../frames.ts';
import { ContourTracker, type ContourShape } from '../perception/contour.ts';
import { PitchTracker } from '../perception/pitch.ts';
import { EnergyVad } from '../perception/vad.ts';

const SENTENCES = [
  'I was thinking about going to the market tomorrow morning to buy some fresh vegetables for dinner.',
  'Can you tell me what time the library opens on Saturday?',
  'My sister lives in a small town near the coast, and she works at the hospital there.',
  'Do you know whether the train to Boston leaves from this platform?',
  'We moved into the new apartment last month and we still have boxes everywhere.',
  'What is the best way to learn a new language as an adult?',
  'So yesterday I called the bank about my card, and they told me it would take a week.',
  'Is it true that you can see the mountains from the top of that building?',
  'The meeting went well, although a few people had questions about the budget.',
  'How long does it take to drive from here to the airport in the evening?',
  'Honestly, I am not sure what to do about the car, because the repairs are expensive.',
  'Could you recommend a good book for someone who likes history and travel?',
];

const VOICES = [
  { name: 'en-us', rate_wpm: 170, pitch: 50 },
  { name: 'en-gb+f3', rate_wpm: 150, pitch: 60 },
  { name: 'en-us+m3', rate_wpm: 200, pitch: 35 },
  { name: 'en-gb', rate_wpm: 130, pitch: 45 },
  { name: 'en-us+f2', rate_wpm: 185, pitch: 70 },
];

/** The contour shape as the agent would read it if the user stopped at `endSample`. */
function shapeAt(pcm: Int16Array, endSample: number): ContourShape {
  const vad = new EnergyVad();
  const pitch = new PitchTracker();
  const contour = new ContourTracker();
  for (let i = 0; i + FRAME_SAMPLES <= endSample; i += FRAME_SAMPLES) {
    const frame = pcm.subarray(i, i + FRAME_SAMPLES);
    const speech = vad.process(frame).speech;
    const hz = pitch.process(frame).hz;
    if (speech && hz !== null) contour.addVoiced(hz);
  }
  return contour.summary().shape;
}

const counts = new Map<string, Map<ContourShape, number>>();
const count = (group: string, shape: ContourShape): void => {
  const m = counts.get(group) ?? new Map<ContourShape, number>();
  m.set(shape, (m.get(shape) ?? 0) + 1);
  counts.set(group, m);
};

for (const voice of VOICES) {
  for (const text of SENTENCES) {
    const s = await synthesize(text, voice);
    count(text.endsWith('?') ? 'question end' : 'statement end', shapeAt(s.pcm, s.pcm.length));
    // Inner boundaries: after the 3rd word up to the one before last.
    for (const w of s.words.slice(3, -1)) {
      count(w.text.endsWith(',') ? 'inner, after comma' : 'inner word boundary', shapeAt(s.pcm, Math.round((w.endMs * SAMPLE_RATE) / 1000)));
    }
  }
}

for (const [group, m] of counts) {
  const n = [...m.values()].reduce((a, b) => a + b, 0);
  const parts = [...m].map(([shape, k]) => `${shape} ${((100 * k) / n).toFixed(1)} %`).join(', ');
  console.log(`${group} (n=${n}): ${parts}`);
}
