/**
 * Every new suite against the bundled reference agent (in-process, virtual time), with the
 * real media (cached TTS, DSP effects, ffmpeg frames). Asserts only that sessions complete and
 * that each scenario yields its family's metrics: the reference agent's quality on these
 * families is not judged here. Of the long sessions, the 30-minute one runs here (about 30 s);
 * the 60-minute one is in bench/long-session.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSuite } from '../../harness/scenario/load.ts';
import { runSession } from '../../harness/runner/session.ts';
import { readRecording } from '../../harness/recording/reader.ts';
import { score } from '../../harness/scoring/score.ts';
import { createReferenceAdapter } from '../../adapters/reference/adapter.ts';
import { createMediaSource } from '../media-source.ts';
import { BUILDERS, SCENARIOS_DIR } from './conversation-suites.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crosstalk-ref-suites-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const media = createMediaSource();
const adapter = createReferenceAdapter({ mode: 'in-process' });

describe('new suites against the reference agent (virtual time)', () => {
  for (const family of Object.keys(BUILDERS)) {
    it(`${family}: sessions complete and score their family`, async () => {
      for (const loaded of loadSuite(family, SCENARIOS_DIR)) {
        const out = join(dir, loaded.key);
        const outcome = await runSession({ loaded, sessionId: loaded.key, dir: out, adapter, media, clock: 'virtual', harnessVersion: 'test' });
        expect(outcome.status, `${loaded.key}: ${outcome.error}`).toBe('completed');
        const rows = score(readRecording(out)).metrics.filter((m) => m.family === family);
        expect(rows.length, loaded.key).toBeGreaterThan(0);
      }
    }, 600_000);
  }

  it('long_session: the 30-minute session completes and yields drift rows', async () => {
    const loaded = loadSuite('long_session', SCENARIOS_DIR).find((l) => l.scenario.id === 'long-session-01')!;
    const out = join(dir, loaded.key);
    const outcome = await runSession({ loaded, sessionId: loaded.key, dir: out, adapter, media, clock: 'virtual', harnessVersion: 'test' });
    expect(outcome.status, outcome.error).toBe('completed');
    const rows = score(readRecording(out)).metrics;
    expect(rows.some((m) => m.name === 'long_session.drift_ms' && m.subject === 'turn_taking.latency_ms')).toBe(true);
  }, 600_000);
});
