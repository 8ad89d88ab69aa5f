/**
 * The reference agent shown a cue, end to end over its real WebSocket server: a drawn-cue
 * scenario of the visual_interjection suite run by the session runner in real time (video
 * frames through the generic crosstalk-ws client), scored by the engine's own metric. The agent
 * reacts within the scenario's within_ms and says nothing between its answer and the cue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createMediaSource } from '../../../datasets/media-source.ts';
import { readRecording } from '../../../harness/recording/reader.ts';
import { runSession } from '../../../harness/runner/session.ts';
import { loadSuite } from '../../../harness/scenario/load.ts';
import { score } from '../../../harness/scoring/score.ts';
import { mergeRuns } from '../../../harness/scoring/segments.ts';
import { createReferenceAdapter } from '../adapter.ts';

/** A raised hand on a plain scene at 2 fps: the suite's shortest drawn-cue scenario. */
const SCENARIO = 'visual-interjection-02';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-visual-ws-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reference agent over ws: visual interjection', () => {
  it(`${SCENARIO}: reacts to the cue within the scenario's within_ms, and not before it`, async () => {
    const loaded = loadSuite('visual_interjection', resolve(import.meta.dirname, '../../../scenarios')).find((s) => s.scenario.id === SCENARIO)!;
    const adapter = createReferenceAdapter({ mode: 'ws' });
    try {
      const out = await runSession({
        loaded,
        sessionId: SCENARIO,
        dir,
        adapter,
        media: createMediaSource(),
        clock: 'real',
        harnessVersion: 'test',
      });
      expect(out.status, out.error).toBe('completed');
    } finally {
      await adapter.dispose?.();
    }
    const recording = readRecording(dir);
    expect(recording.events.filter((e) => e.type === 'video.frame').length).toBeGreaterThan(20);
    const { segments, metrics } = score(recording);
    const cueMs = recording.events.flatMap((e) => (e.type === 'action.start' && e.id === 'cue' ? [e.startMs] : []))[0];
    const withinMs = loaded.scenario.timeline.find((a) => a.id === 'cue')!.expect![0].react!.within_ms;
    const metric = (name: string) => metrics.find((m) => m.name === `visual_interjection.${name}`)!.value;
    expect(metric('reacted')).toBe(1);
    expect(metric('reaction_latency_ms')).toBeLessThanOrEqual(withinMs);
    expect(metric('false_interjections')).toBe(0);
    // Stronger than the metric's 3 s window: from the end of the answer to the cue, silence.
    const agentOnsets = segments.filter((s) => s.channel === 'agent').map((s) => s.startMs);
    // The answer to the intro is one utterance; under load its sentences can come apart by more
    // than the 300 ms merge gap (each is synthesized as it is spoken), never by a second.
    const utterances = mergeRuns(
      segments.filter((s) => s.channel === 'agent' && s.startMs < cueMs),
      1000,
      0,
    );
    expect(utterances).toHaveLength(1);
    expect(agentOnsets.filter((t) => t >= cueMs)[0] - cueMs).toBe(metric('reaction_latency_ms'));
  });
});
