/**
 * Perturbations against the adversary zoo (issue 22 item 4): with an echo path (the agent's own
 * played audio back into the user's microphone, loud and soon: -6 dB after 100 ms) and noise
 * under the user (pink, 10 dB SNR), the content-free agents still pass no more than 10 % of
 * any family's sessions (PASSES_EXPLAINED aside): the echo of the agent is not a user turn, and
 * an agent that plays the user's audio back is still an echo, not an answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAdversaryAdapter } from '../adapters/adversary/adapter.ts';
import { familyOutcomes, MAX_ADVERSARY_PASS_RATE, passRate, playSuite, PASSES_EXPLAINED, type ZooMedia } from '../adapters/adversary/zoo.ts';
import { createMediaSource } from '../datasets/media-source.ts';
import { parsePerturbation } from '../datasets/perturb/spec.ts';
import { readRecording } from '../harness/recording/reader.ts';
import { runSession } from '../harness/runner/session.ts';
import { loadSuite } from '../harness/scenario/load.ts';

const PERTURBATION = 'noise:pink@10dB,echo:-6dB@100ms';
const PER_FAMILY = 4;
const zoo: ZooMedia = {
  media: createMediaSource({ perturbation: parsePerturbation(PERTURBATION) }),
  scenariosRoot: join(import.meta.dirname, '..', 'scenarios'),
};

describe(`adversaries under --perturb ${PERTURBATION}`, () => {
  it("records the perturbation and returns the agent's played audio into the user channel, -6 dB after 100 ms", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crosstalk-echo-'));
    try {
      const [loaded] = loadSuite('core', zoo.scenariosRoot).filter((s) => s.scenario.family === 'turn_taking');
      await runSession({
        loaded,
        sessionId: 'echo',
        dir,
        adapter: createAdversaryAdapter('canned'),
        media: zoo.media,
        clock: 'virtual',
        harnessVersion: 'test',
      });
      const r = readRecording(dir);
      expect(r.header.perturbation).toBe(PERTURBATION);
      // Least-squares gain of the agent channel, 100 ms late, in the user channel (speech and noise are independent of it).
      const delay = (100 * r.sampleRate) / 1000;
      let num = 0;
      let den = 0;
      for (let i = delay; i < r.agent.length; i++) {
        num += r.user[i] * r.agent[i - delay];
        den += r.agent[i - delay] ** 2;
      }
      expect(den).toBeGreaterThan(0);
      expect(20 * Math.log10(num / den)).toBeCloseTo(-6, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it.each(['echo', 'canned', 'talk-over', 'silent'])(
    '%s wins nothing through the echo or the noise',
    async (kind) => {
      const sessions = await playSuite(createAdversaryAdapter(kind), 'core', zoo, PER_FAMILY);
      for (const f of familyOutcomes(sessions)) {
        if (f.family in (PASSES_EXPLAINED[kind] ?? {})) continue;
        expect(passRate(f), `${kind} passed ${f.passed}/${f.sessions} ${f.family} sessions`).toBeLessThanOrEqual(MAX_ADVERSARY_PASS_RATE);
      }
    },
    600_000,
  );
});
