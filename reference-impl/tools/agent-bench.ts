/**
 * What the reference agent does on synthesized speech, measured in virtual time (so the
 * numbers are the agent's own, free of any network or scheduling delay), plus its CPU cost:
 *
 *   npx tsx reference-impl/tools/agent-bench.ts
 *
 * answer latency: planted end of the user's last word -> first agent audio frame;
 * stop latency:   planted start of a 1 s barge-in 1 s into the answer -> first silent frame;
 * hold rate:      share of 1.5 s pauses opened at inner word boundaries with no agent answer
 *                 (backchannels allowed) before the utterance really ends;
 * CPU:            process CPU time per second of user audio stepped, one session; and for the
 *                 whole WebSocket path (client and server in this one process, loopback).
 */
import { openPauses } from '../../datasets/pauses.ts';
import { synthesize } from '../../datasets/tts/espeak.ts';
import { runAgent, userTrack } from '../test/conversation.ts';
import { RawClient } from '../test/raw-client.ts';
import { startReferenceServer } from '../server.ts';
import { buildVoiceBank } from '../voice-bank.ts';

const VOICES = [
  { name: 'en-us', rate_wpm: 170, pitch: 50 },
  { name: 'en-gb+f3', rate_wpm: 150, pitch: 60 },
  { name: 'en-us+m3', rate_wpm: 200, pitch: 35 },
];
const STATEMENTS = [
  'We moved into the new apartment last month and we still have boxes everywhere.',
  'I was thinking about going to the market tomorrow morning to buy some fresh vegetables.',
  'The meeting went well, although a few people had questions about the budget.',
];
const QUESTIONS = [
  'Can you tell me what time the library opens on Saturday?',
  'Do you know whether the train to Boston leaves from this platform?',
  'How long does it take to drive from here to the airport in the evening?',
];
const LEAD_MS = 500;

const bank = await buildVoiceBank();
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `n=${s.length} median ${q(0.5).toFixed(0)} ms, p90 ${q(0.9).toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms`;
};

const answer: Record<'statement' | 'question', number[]> = { statement: [], question: [] };
const stop: number[] = [];
let held = 0;
let pauses = 0;
let cpuUs = 0;
let audioMs = 0;
const barge = await synthesize('Hold on, wait.', { name: 'en-gb', rate_wpm: 170, pitch: 50 });

for (const voice of VOICES) {
  for (const [kind, texts] of [['statement', STATEMENTS], ['question', QUESTIONS]] as const) {
    for (const text of texts) {
      const s = await synthesize(text, voice);
      const endMs = LEAD_MS + s.words[s.words.length - 1].endMs;
      const track = userTrack(endMs + 8_000, [{ pcm: s.pcm, atMs: LEAD_MS }]);
      const t0 = process.cpuUsage();
      const run = await runAgent(bank, track);
      cpuUs += process.cpuUsage(t0).user + process.cpuUsage(t0).system;
      audioMs += (track.length / 16_000) * 1000;
      const startMs = run.speechStartAfter(0);
      if (startMs !== null && startMs >= endMs) answer[kind].push(startMs - endMs);
      if (startMs === null) continue;
      const bargeAtMs = startMs + 1_000;
      const withBarge = await runAgent(bank, userTrack(bargeAtMs + 3_000, [{ pcm: s.pcm, atMs: LEAD_MS }, { pcm: barge.pcm, atMs: bargeAtMs }]));
      const stopMs = withBarge.silenceStartAfter(bargeAtMs);
      if (stopMs !== null) stop.push(stopMs - bargeAtMs);

      for (let k = 3; k < s.words.length - 1; k++) {
        let clip: ReturnType<typeof openPauses>;
        try {
          clip = openPauses(s, [{ after_word: k, ms: 1_500 }]);
        } catch {
          continue; // no boundary there (the synthesizer ran the two words together)
        }
        const realEndMs = LEAD_MS + clip.words[clip.words.length - 1].endMs;
        const r = await runAgent(bank, userTrack(realEndMs + 500, [{ pcm: clip.pcm, atMs: LEAD_MS }]));
        pauses++;
        // A backchannel in the pause is fine; an answer before the real end is a takeover.
        if (!r.eventsOf('decision').some((d) => d.event.decision.kind === 'answer' && d.tMs < realEndMs)) held++;
      }
    }
  }
}

console.log(`answer latency, statements: ${stats(answer.statement)} (of ${VOICES.length * STATEMENTS.length})`);
console.log(`answer latency, questions:  ${stats(answer.question)} (of ${VOICES.length * QUESTIONS.length})`);
console.log(`stop latency:               ${stats(stop)}`);
console.log(`1.5 s inner pauses held:    ${held}/${pauses} (${((100 * held) / pauses).toFixed(1)} %)`);
console.log(`CPU per second of audio:    ${(cpuUs / 1000 / (audioMs / 1000)).toFixed(2)} ms (one session, in-process step)`);

// The same tracks through the server over loopback, all at once (the server is input-clocked).
const server = await startReferenceServer({ bank });
const long = userTrack(60_000, []);
const c = await RawClient.start(server.url);
const t0 = process.cpuUsage();
c.audio(long);
await c.end();
const wsUs = process.cpuUsage(t0).user + process.cpuUsage(t0).system;
await server.close();
console.log(`CPU per second of audio:    ${(wsUs / 1000 / 60).toFixed(2)} ms (WebSocket path, client + server, 60 s of room tone)`);
