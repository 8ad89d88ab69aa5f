import { synthesize } from '../../datasets/tts/espeak.ts';
import { FRAME_SAMPLES } from '../frames.ts';
import { Listener } from '../perception/listener.ts';
import { NeuralVad } from '../perception/neural-vad.ts';
import { PitchTracker } from '../perception/pitch.ts';
import { SileroStream, SileroBatcher, loadSileroModel } from '../perception/silero.ts';
import { userTrack } from '../test/conversation.ts';
import { TRAIN_TEXTS } from './eot-texts.ts';
const silero = new SileroBatcher(await loadSileroModel('cpu'));
const voices = ['en-us+m3', 'en-gb-scotland', 'en-us-nyc', 'en-gb+belinda'];
async function probe(text: string, voice: string, rate: number) {
  const s = await synthesize(text, { name: voice, rate_wpm: rate, pitch: 50 });
  const track = userTrack(2500, [{ pcm: s.pcm, atMs: 500 }]);
  const l = new Listener(new NeuralVad(new SileroStream(silero)), new PitchTracker());
  const fr = [];
  for (let i = 0; (i + 1) * FRAME_SAMPLES <= track.length; i++) fr.push(await l.hear(track.subarray(i * FRAME_SAMPLES, (i + 1) * FRAME_SAMPLES)));
  const on = fr.findIndex((f) => f.speech);
  const w = fr.slice(on, on + 12);
  const sp = w.filter((f) => f.speech).length;
  const pr = w.reduce((a, f) => a + f.probability, 0) / w.length;
  const vo = w.filter((f) => f.pitchHz !== null).length;
  const pitches = w.filter((f) => f.pitchHz).map((f) => 12 * Math.log2(f.pitchHz! / 100));
  const sl = pitches.length > 2 ? pitches[pitches.length - 1] - pitches[0] : 0;
  return `${text.slice(0, 12).padEnd(12)} ${voice.padEnd(15)} ${rate} speech=${sp} prob=${pr.toFixed(2)} voiced=${vo} dSt=${sl.toFixed(1)}`;
}
for (const t of ['mm-hmm', 'yeah', 'uh-huh', 'right', 'okay', 'I see', 'sure', 'yep']) for (const v of voices.slice(0, 2)) console.log('BC', await probe(t, v, 170));
for (const t of TRAIN_TEXTS.slice(0, 8)) for (const v of voices.slice(0, 2)) console.log('UT', await probe(t, v, 170));
