/**
 * How the Listener's level gate (perception/listener.ts) tells the user's own speech from side
 * talk, on the suites' own texts, voices and treatments:
 *
 *   npx tsx reference-impl/tools/listener-study.ts
 *
 * Each scenario of side_talk and core becomes one track: its speech actions in order (side talk
 * with its treatment, at its gain), 1.5 s apart, over -55 dBFS room tone, heard frame by frame by
 * the real Listener (Silero included). Reported per class of speech (own, side talk, user
 * backchannel): frames the VAD calls speech that the gate calls distant, the longest run of a
 * side talk's frames let through as the user's (the policy needs 200 ms of speech for a turn, 400
 * ms to hold an answer), and where each stretch's median 100 ms peak sits under the user's level.
 */
import { join } from 'node:path';
import { createMediaSource } from '../../datasets/media-source.ts';
import type { RenderedSpeech } from '../../harness/media.ts';
import { loadSuite } from '../../harness/scenario/load.ts';
import { quantile } from '../../harness/stats.ts';
import { FRAME_MS, FRAME_SAMPLES } from '../frames.ts';
import { Listener } from '../perception/listener.ts';
import { NeuralVad } from '../perception/neural-vad.ts';
import { PitchTracker } from '../perception/pitch.ts';
import { SileroStream } from '../perception/silero.ts';
import { testSilero } from '../testing/conversation.ts';
import { userTrack } from '../testing/signals.ts';

type Kind = 'own' | 'side' | 'backchannel';
const GAP_MS = 1500;
const root = join(import.meta.dirname, '..', '..', 'scenarios');
const media = createMediaSource();
const silero = await testSilero();

const frames: Record<Kind, { speech: number; distant: number }> = {
  own: { speech: 0, distant: 0 },
  side: { speech: 0, distant: 0 },
  backchannel: { speech: 0, distant: 0 },
};
const stretchBelowDb: Record<Kind, number[]> = { own: [], side: [], backchannel: [] };
const sideRunsMs: number[] = [];

for (const suite of ['side_talk', 'core']) {
  for (const s of loadSuite(suite, root)) {
    const sc = s.scenario;
    const defaults = { voice: sc.voice, seed: sc.seed ?? 0 };
    const clips: { pcm: Int16Array; atMs: number; kind: Kind }[] = [];
    let atMs = 500;
    for (const a of sc.timeline) {
      let r: RenderedSpeech | undefined;
      let kind: Kind = 'own';
      if (a.speak) r = await media.renderSpeech(a.speak, defaults, s.file);
      else if (a.backchannel) [r, kind] = [await media.renderSpeech(a.backchannel, defaults, s.file), 'backchannel'];
      else if (a.side_talk) [r, kind] = [await media.renderSideTalk(a.side_talk, defaults, s.file), 'side'];
      if (!r) continue;
      clips.push({ pcm: r.pcm, atMs, kind });
      atMs += (r.pcm.length * 1000) / 16000 + GAP_MS;
    }
    const track = userTrack(atMs, clips);
    const listener = new Listener(new NeuralVad(new SileroStream(silero)), new PitchTracker());
    let run = 0;
    let stretch: { kind: Kind; peaks: number[] } | null = null;
    let silentMs = 0;
    const closeStretch = () => {
      const ref = listener.userLevelDbfs();
      if (stretch && stretch.peaks.length >= 5 && ref !== null) stretchBelowDb[stretch.kind].push(ref - quantile(stretch.peaks, 0.5));
      stretch = null;
    };
    const recent: number[] = [];
    for (let i = 0; (i + 1) * FRAME_SAMPLES <= track.length; i++) {
      const h = await listener.hear(track.subarray(i * FRAME_SAMPLES, (i + 1) * FRAME_SAMPLES));
      recent.push(h.levelDbfs);
      if (recent.length > 5) recent.shift();
      const ms = i * FRAME_MS;
      const kind = clips.find((c) => ms >= c.atMs && ms < c.atMs + (c.pcm.length * 1000) / 16000)?.kind;
      const voiced = h.speech || h.distant;
      if (kind && voiced) {
        frames[kind].speech++;
        if (h.distant) frames[kind].distant++;
        stretch ??= { kind, peaks: [] };
        stretch.peaks.push(Math.max(...recent));
      }
      silentMs = voiced ? 0 : silentMs + FRAME_MS;
      if (silentMs >= 300) closeStretch();
      run = kind === 'side' && h.speech ? run + FRAME_MS : (run > 0 && sideRunsMs.push(run), 0);
    }
    closeStretch();
  }
}

for (const kind of ['own', 'side', 'backchannel'] as const) {
  const f = frames[kind];
  const below = stretchBelowDb[kind];
  const q = (p: number) => quantile(below, p).toFixed(1);
  console.log(
    `${kind.padEnd(12)} speech frames ${f.speech}, heard distant ${f.distant} (${((100 * f.distant) / f.speech).toFixed(1)} %); ` +
      `stretches ${below.length}, median peak under the user's level: min ${q(0)}, p10 ${q(0.1)}, p50 ${q(0.5)}, p90 ${q(0.9)}, max ${q(1)} dB`,
  );
}
console.log(
  `side talk let through as the user's: longest run ${Math.max(0, ...sideRunsMs)} ms, runs of 200 ms or more: ${sideRunsMs.filter((r) => r >= 200).length}`,
);
process.exit(0);
