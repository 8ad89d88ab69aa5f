/**
 * The 30-minute long session in virtual time against the scripted agent, whose answer delay
 * grows by a planted 6 ms per minute: the drift metric recovers it, and the harness's own
 * memory stays bounded (recordings stream to disk). The 60-minute one and real time are in
 * bench/long-session.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSuite } from '../../harness/scenario/load.ts';
import { runSession } from '../../harness/runner/session.ts';
import { readRecording } from '../../harness/recording/reader.ts';
import { score } from '../../harness/scoring/score.ts';
import { quantile } from '../../harness/stats.ts';
import { toneMediaSource } from '../../harness/runner/testing/tone-media.ts';
import { createScriptedAdapter } from '../../adapters/scripted/adapter.ts';
import type { ActionStart } from '../../harness/recording/events.ts';
import { SCENARIOS_DIR } from './conversation-suites.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-long-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GROWTH_MS_PER_MIN = 6;
const ANSWER_DELAY_MS = 430;

describe('30-minute session, virtual time', () => {
  it('completes; the planted drift of turn-taking latency is recovered; memory stays bounded', async () => {
    const loaded = loadSuite('long_session', SCENARIOS_DIR).find((l) => l.scenario.id === 'long-session-01')!;
    const behaviour = {
      video: true,
      visualReactionDelayMs: 700,
      timeDueDelayMs: 300,
      deliverDelayMs: 400,
      answerDelayMs: ANSWER_DELAY_MS,
      answerDelayGrowthMsPerMin: GROWTH_MS_PER_MIN,
    };
    const outcome = await runSession({
      loaded,
      sessionId: 'long',
      dir,
      adapter: createScriptedAdapter(behaviour),
      media: toneMediaSource(),
      clock: 'virtual',
      harnessVersion: 'test',
    });
    expect(outcome.status).toBe('completed');
    expect(outcome.durationMs).toBeGreaterThan(29 * 60_000);
    const recording = readRecording(dir);
    const { metrics } = score(recording);

    // Planted: each answer starts 430 + 6 * (turn end in minutes) ms after the turn end.
    const actions = new Map(recording.events.filter((e): e is ActionStart => e.type === 'action.start').map((a) => [a.id, a]));
    const endMs = recording.agent.length / 16;
    const planted = (third: 'early' | 'late') =>
      metrics
        .filter((m) => m.name === 'turn_taking.latency_ms' && m.value !== null)
        .map((m) => actions.get(m.subject)!)
        .filter((a) => (third === 'early' ? a.startMs < endMs / 3 : a.startMs >= (2 * endMs) / 3))
        .map((a) => ANSWER_DELAY_MS + (GROWTH_MS_PER_MIN * a.speechEndMs) / 60_000);
    const expected = quantile(planted('late'), 0.5) - quantile(planted('early'), 0.5);
    const drift = metrics.find((m) => m.name === 'long_session.drift_ms' && m.subject === 'turn_taking.latency_ms')!;
    expect(expected).toBeGreaterThan(80);
    expect(Math.abs(drift.value! - expected)).toBeLessThanOrEqual(20);
    expect(metrics.find((m) => m.name === 'long_session.pacing_drift_ms')?.value).toBe(0);
    // Every family of the session has a drift row.
    const families = new Set(metrics.filter((m) => m.family === 'long_session').map((m) => m.subject.split('.')[0]));
    for (const f of [
      'turn_taking',
      'pause',
      'interruption',
      'user_backchannel',
      'side_talk',
      'background',
      'visual_interjection',
      'time_awareness',
      'background_task',
    ])
      expect(families).toContain(f);

    // Memory: sampled once a minute; from minute 5 on, RSS may not climb with the audio recorded
    // (25 minutes of stereo 16 kHz is 96 MB: holding it would show).
    const samples = recording.events.filter((e) => e.type === 'harness.sample');
    expect(samples.length).toBe(29);
    const rss = samples.map((s) => (s.type === 'harness.sample' ? s.rssBytes : 0));
    expect(Math.max(...rss.slice(5)) - rss[4]).toBeLessThan(64 * 2 ** 20);
  }, 120_000);
});
