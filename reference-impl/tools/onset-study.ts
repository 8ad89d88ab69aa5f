/**
 * How well the first few hundred ms of user speech over the agent tell a backchannel from a
 * bid for the turn (perception/keywords/onset-words.ts), on voices the templates never heard:
 *
 *   npx tsx reference-impl/tools/onset-study.ts [dev|unseen|core]
 *
 * ELAPSED=120,160,200 (ms after the VAD's onset) judges at other points; DUMP=<file> writes
 * every clip's margins, closest-bid distances, VAD lag and burst length as JSON (for choosing
 * thresholds on dev). It also prints what each barge-in choice that judges words would do with
 * the clips (its early checks, its decision and its length rule, estimated from the same
 * judgements).
 *
 * dev: the end-of-turn training voices that are not template voices, with backchannels and
 * bids of our own (some opening with words the templates do not have; its backchannels are
 * template words); unseen: those voices less the ones that share a language with the held-out
 * set, plus Festival's ked (the training engine) at three pitches and rates, the same bids plus
 * 8 continuations (a user going on mid-sentence over an answer the agent began in their pause),
 * and backchannels that no template, suite or held-out scenario has (what a user's own
 * backchannels are to the agent); core: the core suite's voices, words and barge-in sentences
 * (look at it once the choices are made on dev).
 * Each voice says two context sentences (the agent's only knowledge of the speaker) and then
 * each clip, over a room-tone floor, heard by the real Listener (Silero): the stretch judged
 * runs from PREROLL_MS before the VAD's first speech frame to `elapsed` ms after it.
 */
import { writeFileSync } from 'node:fs';
import { synthesizeWith, type SpeechVoice } from '../../datasets/tts/engine.ts';
import { CORE_VOICES } from '../../datasets/recipes/core-suite.ts';
import { HELD_OUT_LANGUAGES } from '../../datasets/recipes/held-out-suite.ts';
import { INTERRUPTIONS, USER_BACKCHANNELS } from '../../datasets/recipes/core-texts.ts';
import { createRng } from '../../datasets/prng.ts';
import { FRAME_MS, FRAME_SAMPLES } from '../frames.ts';
import { rawMfcc } from '../perception/keywords/mfcc.ts';
import { bundledOnsetClassifier } from '../perception/keywords/onset-model.ts';
import type { OnsetClass } from '../perception/keywords/onset-words.ts';
import { BARGE_IN_POLICIES, BARGE_INS, DEFAULT_POLICY } from '../policy.ts';
import { Burst } from '../perception/burst.ts';
import { addSpeech, CepstralStats } from '../perception/keywords/speaker-norm.ts';
import { ONSET_TEMPLATE_VOICES } from '../perception/keywords/onset-vocabulary.ts';
import { Listener } from '../perception/listener.ts';
import { NeuralVad } from '../perception/neural-vad.ts';
import { PitchTracker } from '../perception/pitch.ts';
import { SileroStream } from '../perception/silero.ts';
import { testSilero } from '../testing/conversation.ts';
import { userTrack } from '../testing/signals.ts';
import { ONSET_DEV_VOICES, UNSEEN_BACKCHANNELS } from './onset-dev-voices.ts';
import { DEV_TEXTS, TRAIN_TEXTS } from './eot-texts.ts';

const set = process.argv[2] === 'core' || process.argv[2] === 'unseen' ? process.argv[2] : 'dev';
const PREROLL_MS = 60;
const ELAPSED_MS = process.env.ELAPSED ? process.env.ELAPSED.split(',').map(Number) : [200, 240, 280, 320, 360];
const GAP_MS = 1200;

const DEV_BACKCHANNELS = ['mm-hmm', 'yeah', 'uh-huh', 'right', 'okay', 'I see', 'mhm', 'yes', 'sure'];
const DEV_BIDS = [
  'Wait, what did you just say about that?',
  'Hold on a moment, I need to write this down.',
  'Sorry, I did not catch the last part.',
  'Stop there, that is enough for now.',
  'Actually, I think I already know this.',
  'Hang on, my phone is ringing.',
  'Excuse me, can I ask something quickly?',
  'No, that is not what I asked.',
  'But how much does it cost?',
  'Listen, I only have a minute.',
  // Openers the templates do not have:
  'Really? I never knew that.',
  'Please slow down a little.',
  'Could you repeat the first step?',
  'Why is that the case?',
  'I already tried that yesterday.',
];

const templateVoices = new Set(ONSET_TEMPLATE_VOICES.map((v) => v.name));
const espeakVoices = (names: readonly string[]) => names.map((name) => ({ name }));
const FESTIVAL_DEV: readonly { engine: 'festival'; name: string }[] = [0, 1, 2].map(() => ({ engine: 'festival', name: 'ked' }));
const voices: readonly { engine?: 'festival'; name: string }[] =
  set === 'core'
    ? espeakVoices(CORE_VOICES.map((v) => v.name))
    : set === 'unseen'
      ? // Without the dev voices that share a language with the held-out set.
        [...espeakVoices(ONSET_DEV_VOICES.filter((v) => !templateVoices.has(v) && !HELD_OUT_LANGUAGES.some((l) => v.startsWith(l)))), ...FESTIVAL_DEV]
      : espeakVoices(ONSET_DEV_VOICES.filter((v) => !templateVoices.has(v)));
const backchannels = set === 'core' ? USER_BACKCHANNELS : set === 'unseen' ? UNSEEN_BACKCHANNELS : DEV_BACKCHANNELS;
/**
 * A user going on after a pause the agent took for the end of their turn: the rest of a sentence
 * from its fourth word (the end-of-turn study's development texts). Over the agent's answer this
 * is a bid too (the agent should stop), and it opens with any word at all.
 */
const CONTINUATIONS = DEV_TEXTS.filter((t) => t.split(' ').length >= 9)
  .slice(0, 8)
  .map((t) => t.split(' ').slice(3).join(' '));
const bids = set === 'core' ? INTERRUPTIONS : set === 'unseen' ? [...DEV_BIDS, ...CONTINUATIONS] : DEV_BIDS;

const classifier = await bundledOnsetClassifier();
/** The barge-in choices that judge words, and where each judges a held burst (ms after its first speech frame), by what margin. */
const JUDGING = BARGE_INS.filter((name) => BARGE_IN_POLICIES[name].judgeOnsetWords).map((name) => {
  const p = BARGE_IN_POLICIES[name];
  return { name, policy: p, points: [...p.earlyBidChecks, { atMs: p.holdAfterSpeechMs + p.decideAfterHoldMs, marginAbove: p.bidMarginAbove }] };
});
const POLICY_MS = [...new Set(JUDGING.flatMap((j) => j.points.map((p) => p.atMs)))];
const silero = await testSilero();
const rng = createRng(set === 'core' ? 7 : 3);
const rows: {
  policyMargins: number[];
  cls: OnsetClass;
  text: string;
  voice: string;
  margins: number[];
  bidDistances: number[];
  vadLagMs: number;
  burstSpeechMs: number;
}[] = [];

for (const v of voices) {
  const voice: SpeechVoice = { ...v, rate_wpm: rng.int(140, 210), pitch: rng.int(30, 70) };
  const name = `${v.engine ?? 'espeak'}:${v.name}@${voice.rate_wpm}/${voice.pitch}`;
  const context = [TRAIN_TEXTS[rng.int(0, TRAIN_TEXTS.length - 1)], TRAIN_TEXTS[rng.int(0, TRAIN_TEXTS.length - 1)]];
  const clips: { pcm: Int16Array; atMs: number; cls: OnsetClass | null; text: string; wordMs: number }[] = [];
  let atMs = 500;
  const place = async (text: string, cls: OnsetClass | null) => {
    const { pcm, words } = await synthesizeWith(text, voice);
    clips.push({ pcm, atMs, cls, text, wordMs: atMs + (words[0]?.startMs ?? 0) });
    atMs += Math.ceil((pcm.length * 1000) / 16000 / FRAME_MS) * FRAME_MS + GAP_MS;
  };
  for (const t of context) await place(t, null);
  for (const t of backchannels) await place(t, 'backchannel');
  for (const t of bids) await place(t, 'bid');
  const track = userTrack(atMs, clips, 'room_tone', rng.int(1, 1000));
  const listener = new Listener(new NeuralVad(new SileroStream(silero)), new PitchTracker());
  const speechFrames: boolean[] = [];
  for (let i = 0; (i + 1) * FRAME_SAMPLES <= track.length; i++)
    speechFrames.push((await listener.hear(track.subarray(i * FRAME_SAMPLES, (i + 1) * FRAME_SAMPLES))).speech);
  // The speaker as the agent knows them: the speech frames of the context sentences.
  const stats = new CepstralStats();
  const contextEndFrame = clips[context.length].atMs / FRAME_MS;
  const contextSpeech: Int16Array[] = [];
  for (let i = 0; i < contextEndFrame; i++) if (speechFrames[i]) contextSpeech.push(track.subarray(i * FRAME_SAMPLES, (i + 1) * FRAME_SAMPLES));
  addSpeech(stats, Int16Array.from(contextSpeech.flatMap((f) => Array.from(f))));
  for (const c of clips.slice(context.length)) {
    const onset = speechFrames.indexOf(true, Math.floor((c.atMs - 100) / FRAME_MS));
    // The stretch from PREROLL_MS before the onset to `elapsed` ms after it, judged once per point.
    const judged = new Map<number, ReturnType<typeof classifier.judge>>();
    const judgeAt = (elapsed: number) => {
      if (!judged.has(elapsed))
        judged.set(elapsed, classifier.judge(rawMfcc(track.subarray((onset * FRAME_MS - PREROLL_MS) * 16, (onset * FRAME_MS + elapsed) * 16)), stats));
      return judged.get(elapsed)!;
    };
    const judgements = ELAPSED_MS.map(judgeAt);
    // How late the VAD's first speech frame begins after the first word does.
    rows.push({
      policyMargins: POLICY_MS.map((atMs) => judgeAt(atMs).marginToBid),
      cls: c.cls!,
      text: c.text,
      voice: name,
      margins: judgements.map((j) => j.marginToBid),
      bidDistances: judgements.map((j) => j.bid.distance),
      vadLagMs: onset * FRAME_MS - c.wordMs,
      burstSpeechMs: burstSpeechMs(speechFrames, onset),
    });
  }
}

/** The burst's speech as the policy counts it: its speech frames until burstWindowMs without any. */
function burstSpeechMs(speechFrames: readonly boolean[], onset: number): number {
  const burst = new Burst();
  for (let i = onset; i < speechFrames.length && burst.silenceMs < DEFAULT_POLICY.burstWindowMs; i++) {
    if (speechFrames[i]) burst.speech(FRAME_MS);
    else burst.silence(FRAME_MS);
  }
  return burst.speechMs;
}

console.log(`set ${set}: ${voices.length} voices, ${backchannels.length} backchannels and ${bids.length} bids each`);
ELAPSED_MS.forEach((elapsed, k) => {
  const of = (cls: OnsetClass) => rows.filter((r) => r.cls === cls).map((r) => r.margins[k]);
  const bc = of('backchannel');
  const bid = of('bid');
  const line = [-0.4, -0.2, -0.1, 0, 0.1, 0.2, 0.4].map((thr) => {
    const bcKept = bc.filter((m) => m <= thr).length / bc.length;
    const bidCaught = bid.filter((m) => m > thr).length / bid.length;
    return `thr ${thr.toFixed(1)}: bc kept ${(100 * bcKept).toFixed(0)}% bid caught ${(100 * bidCaught).toFixed(0)}%`;
  });
  console.log(`elapsed ${elapsed} ms\n  ${line.join('\n  ')}`);
});
// What each choice would do with each clip (estimated: each point judged as if the burst were
// still going; a stop lands at the VAD's lag plus the point, or plus backchannelMaxSpeechMs for
// a burst resumed by its words that goes on that long).
const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;
for (const { name, policy, points } of JUDGING) {
  const stopAtMs = (r: (typeof rows)[number]): { byWords: boolean; atMs: number } | null => {
    const caught = points.find((p) => r.policyMargins[POLICY_MS.indexOf(p.atMs)] > p.marginAbove);
    if (caught) return { byWords: true, atMs: r.vadLagMs + caught.atMs };
    return r.burstSpeechMs >= policy.backchannelMaxSpeechMs ? { byWords: false, atMs: r.vadLagMs + policy.backchannelMaxSpeechMs } : null;
  };
  const bc = rows.filter((r) => r.cls === 'backchannel').map(stopAtMs);
  const bid = rows.filter((r) => r.cls === 'bid').map(stopAtMs);
  const stops = bid.map((s) => s?.atMs ?? Infinity).sort((a, b) => a - b);
  console.log(
    `--barge-in ${name} (estimated): backchannels stopped ${pct(bc.filter(Boolean).length, bc.length)} ` +
      `(by words ${pct(bc.filter((s) => s?.byWords).length, bc.length)}, by length ${pct(bc.filter((s) => s && !s.byWords).length, bc.length)}); ` +
      `bids caught by words ${pct(bid.filter((s) => s?.byWords).length, bid.length)}, stopped ${pct(bid.filter(Boolean).length, bid.length)}, ` +
      `stop p50 ${stops[Math.floor((stops.length - 1) / 2)]} ms after the first word`,
  );
}
if (process.env.DUMP) writeFileSync(process.env.DUMP, JSON.stringify({ set, elapsedMs: ELAPSED_MS, rows }));
const k = ELAPSED_MS.indexOf(280);
if (k >= 0)
  for (const r of rows.filter((r) => (r.cls === 'backchannel') === r.margins[k] > 0))
    console.log(`  on the wrong side of margin 0 at 280 ms: ${r.cls} "${r.text}" (${r.voice}) margin ${r.margins[k].toFixed(2)}`);
process.exit(0);
