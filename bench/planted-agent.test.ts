/**
 * Known answers for the planted agent (bench/planted-agent.ts), neither of them timed:
 * - its onset claim is the truth: in virtual time, where the path to the ear adds nothing, the
 *   harness measures the answer's onset where the agent says it planted it (within one frame;
 *   in practice to the sample), on every turn of a session;
 * - its own process plants by sample count alone: over a real WebSocket, the answer's first
 *   frame comes back in reply to the user frame that ends at the planted sample, whatever the
 *   wall clock did (each frame is followed by a ping, whose pong comes after every reply to it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Adapter } from '../harness/adapter.ts';
import { readRecording } from '../harness/recording/reader.ts';
import { runSession } from '../harness/runner/session.ts';
import { toneMediaSource } from '../harness/runner/testing/tone-media.ts';
import { parseScenario } from '../harness/scenario/load.ts';
import { score } from '../harness/scoring/score.ts';
import { vowelVoice } from '../harness/audio/vowel-voice.ts';
import { PLANTED_FRAME, PLANTED_SAMPLE_RATE, PlantedAgent, startPlantedAgentProcess } from './planted-agent.ts';
import { plantedVersusMeasured } from './onset.ts';
import type { RecordingEvent } from '../harness/recording/events.ts';
import type { Segment } from '../harness/scoring/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'crosstalk-planted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The planted agent in-process, on the session clock (virtual time). */
function inProcess(): Adapter {
  return {
    name: 'planted',
    capabilities: { inputSampleRate: PLANTED_SAMPLE_RATE, video: false, transcripts: false, serverTurnDetection: true, virtualTime: true, truncation: false },
    async open(ctx) {
      const agent = new PlantedAgent({ answerAfterMs: 500, answerMs: 1500 });
      return {
        sendAudio(pcm) {
          for (const s of agent.push(pcm)) {
            if (s.planted) ctx.emit({ type: 'vendor', name: 'planted.onset', payload: { type: 'planted.onset', ...s.planted } });
            if (s.out) ctx.emit({ type: 'audio', pcm: s.out, sampleRate: PLANTED_SAMPLE_RATE });
          }
        },
        async close() {},
      };
    },
  };
}

const SCENARIO = `version: 1
id: planted
family: turn_taking
tail_ms: 2500
timeline:
  - id: q1
    at_ms: 730
    speak: { text: "one two three four five" }
    expect: [ { take_turn: { within_ms: 1500 } } ]
  - id: q2
    after: { event: agent_speech_end, delay_ms: 410, timeout_ms: 8000 }
    speak: { text: "six seven eight" }
    expect: [ { take_turn: { within_ms: 1500 } } ]
`;

describe('planted agent', () => {
  it('is measured where it says it planted its onsets (virtual time)', async () => {
    const out = join(dir, 'virtual');
    const outcome = await runSession({
      loaded: parseScenario(SCENARIO, join(dir, 'planted.yaml'), 'kat'),
      sessionId: 'p',
      dir: out,
      adapter: inProcess(),
      media: toneMediaSource(),
      clock: 'virtual',
      harnessVersion: 'test',
    });
    expect(outcome.status).toBe('completed');
    const recording = readRecording(out);
    const pairs = plantedVersusMeasured(recording.events, score(recording).segments);
    expect(pairs).toHaveLength(2);
    for (const p of pairs) {
      expect(p.measuredMs).not.toBeNull();
      expect(Math.abs(p.measuredMs! - p.plantedMs)).toBeLessThanOrEqual(20);
    }
    // Planted on a frame boundary 500 ms after the last loud frame of each question (which ends within a frame of the question).
    const ends = recording.events.flatMap((e) => (e.type === 'action.start' ? [e.speechEndMs] : []));
    expect(ends).toHaveLength(2);
    pairs.forEach((p, i) => {
      expect(p.plantedMs % 20).toBe(0);
      expect(p.plantedMs - ends[i]).toBeGreaterThanOrEqual(480);
      expect(p.plantedMs - ends[i]).toBeLessThanOrEqual(540);
    });
  });

  it("splits measured minus planted into the agent's part and the harness's", () => {
    // Session clock zero at epoch 5,000 ms; the frame ending at the planted 1,400 ms went out 3 ms
    // late; the agent sent its answer 7 ms after that; the scorer found it at 1,412 ms. Measured
    // minus planted is 12 ms: 7 the agent's, 5 the harness's (3 sending, 2 reading back).
    const events = [
      { type: 'frame.sent', t: 1_403, seq: 69, deadlineMs: 1_400 },
      { type: 'vendor', t: 1_405, name: 'planted.onset', payload: { type: 'planted.onset', sample: 22_400, ms: 1_400, sentEpochMs: 5_000 + 1_403 + 7 } },
      { type: 'vendor', t: 3_005, name: 'planted.onset', payload: { type: 'planted.onset', sample: 48_000, ms: 3_000 } },
      {
        type: 'session.end',
        t: 5_000,
        reason: 'completed',
        pacing: { frames: 250, p50Ms: 0, p99Ms: 0, maxMs: 3 },
        timing: {
          harnessErrorMs: 3,
          flagged: false,
          playout: { underruns: 0, underrunMs: 0, catchUpMs: 0, owedAtEndMs: 0 },
          owedAtOnsetMaxMs: 0,
          clockOriginEpochMs: 5_000,
        },
      },
    ] as RecordingEvent[];
    const segments: Segment[] = [
      { channel: 'agent', startMs: 1_412, endMs: 2_900, kind: 'speech', echo: false },
      { channel: 'agent', startMs: 3_020, endMs: 4_000, kind: 'speech', echo: false },
    ];
    const [first, second] = plantedVersusMeasured(events, segments);
    expect(first).toEqual({ plantedMs: 1_400, measuredMs: 1_412, agentMs: 7 });
    // No send stamp from the agent (and no frame sent at 3,000 ms): the split is unknown, not zero.
    expect(second).toEqual({ plantedMs: 3_000, measuredMs: 3_020, agentMs: null });
  });

  it('its own process answers from the planted sample, by sample count', async () => {
    const agent = await startPlantedAgentProcess({ answerAfterMs: 500, answerMs: 400 });
    const ws = new WebSocket(agent.url);
    try {
      await new Promise((r, j) => ws.once('open', r).once('error', j));
      const texts: Record<string, unknown>[] = [];
      const binaryAfterFrames: number[] = [];
      let framesSent = 0;
      /** The machine's clock (as the agent stamps it) when each frame was sent and its pong came back. */
      const sentEpochMs: number[] = [];
      const pongEpochMs: number[] = [];
      const epochNow = () => performance.timeOrigin + performance.now();
      ws.on('message', (data, isBinary) => {
        if (isBinary) binaryAfterFrames.push(framesSent);
        else texts.push(JSON.parse(String(data)) as Record<string, unknown>);
      });
      ws.send(JSON.stringify({ type: 'session.start', sampleRate: 16000, encoding: 'pcm_s16le' }));
      await new Promise<void>((r) => ws.once('message', () => r()));
      expect(texts[0]?.type).toBe('session.ready');
      // 300 ms quiet, 600 ms of voice, then quiet: the turn ends at sample 14,400 (900 ms).
      const user = new Int16Array(2 * PLANTED_SAMPLE_RATE);
      user.set(vowelVoice(600), 300 * 16);
      for (let at = 0; at < user.length; at += PLANTED_FRAME) {
        framesSent++;
        sentEpochMs.push(epochNow());
        ws.send(user.subarray(at, at + PLANTED_FRAME));
        ws.ping();
        await new Promise<void>((r) => ws.once('pong', () => r()));
        pongEpochMs.push(epochNow());
      }
      const planted = texts.find((t) => t.type === 'planted.onset');
      expect(planted).toEqual({ type: 'planted.onset', sample: 14_400 + 8_000, ms: 1_400, sentEpochMs: expect.any(Number) });
      // Its send stamp, on the clock both processes share, falls between our send of frame 70 and
      // that frame's pong (1 ms allowed for the two processes' clock origins).
      expect(planted!.sentEpochMs as number).toBeGreaterThanOrEqual(sentEpochMs[69] - 1);
      expect(planted!.sentEpochMs as number).toBeLessThanOrEqual(pongEpochMs[69] + 1);
      // The answer's first frame replies to the frame that ends at sample 22,400 (frame 70); 400 ms = 20 frames.
      expect(binaryAfterFrames[0]).toBe(22_400 / PLANTED_FRAME);
      expect(binaryAfterFrames).toEqual(Array.from({ length: 20 }, (_, i) => 70 + i));
    } finally {
      ws.close();
      await agent.close();
    }
  });
});
