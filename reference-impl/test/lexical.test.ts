/**
 * The lexical ear (perception/lexical/): Debian's PocketSphinx hearing the user's words as they
 * come, and the agent waiting on words that do not end a sentence. Known answers on Festival's
 * ked (an engine no suite uses): texts in no scenario file, cut where a sentence cannot end
 * ("We drove to the") and where it does.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openPauses } from '../../datasets/pauses.ts';
import { engineVersion, synthesizeWith } from '../../datasets/tts/engine.ts';
import { inCi } from '../../testing/ci.ts';
import { FRAME_MS, FRAME_SAMPLES } from '../frames.ts';
import { isClosedClass } from '../perception/lexical/closed-class.ts';
import { LexicalEar, type LexicalVerdict } from '../perception/lexical/lexical-ear.ts';
import { Recognizer, recognizerMissing, RECOGNIZER_PACKAGES } from '../perception/lexical/recognizer.ts';
import { DEFAULT_POLICY, LEXICAL_CHECK_MS, LEXICAL_RULE, referencePolicy, waitWithWords, type Decision, type PolicyConfig } from '../policy.ts';
import { PERCEPTION_LAG_MS, runAgent } from '../testing/conversation.ts';
import { noise, userTrack } from '../testing/signals.ts';
import { buildVoiceBank } from '../voice-bank.ts';
import { startReferenceServer } from '../server.ts';
import { RawClient } from '../testing/raw-client.ts';
import { InputError } from '../../harness/errors.ts';

const recognizerInstalled = recognizerMissing() === null;
const festivalInstalled = engineVersion('festival') !== undefined;
const KED = { engine: 'festival', name: 'ked', rate_wpm: 170, pitch: 50 } as const;
const LEAD_MS = 400;

describe.runIf(inCi && !recognizerInstalled)('the recognizer in CI', () => {
  it('is installed, so the lexical ear is tested', () => {
    expect.fail(`${recognizerMissing()}; CI=${process.env.CI} says this is CI, where set-up installs them (npm test: --recognizer).`);
  });
});

describe('closed-class words', () => {
  it('are the grammar words a sentence does not end on, in any case and with punctuation; object pronouns are not', () => {
    for (const w of ['the', 'To', 'and,', 'because', 'is', 'my', 'could']) expect(isClosedClass(w)).toBe(true);
    for (const w of ['morning.', 'station?', 'it', 'them', 'that', 'there', 'went']) expect(isClosedClass(w)).toBe(false);
  });
});

describe('the recognizer, when it cannot run', () => {
  it('names the missing file, the Debian packages and the command that installs them', () => {
    const why = recognizerMissing(['/nonexistent/en-us.lm.bin']);
    expect(why).toMatch(/^\/nonexistent\/en-us\.lm\.bin not found/);
    expect(why).toContain(`apt-get install ${RECOGNIZER_PACKAGES.join(' ')}`);
    expect(why).toContain('node scripts/setup.mjs --recognizer');
  });

  it('a recognizer that dies fails the request waiting on it, saying why', async () => {
    const dead = new Recognizer(['/bin/sh', '-c', 'echo broken model >&2; exit 3']);
    const session = dead.openSession();
    await expect(dead.endUtterance(session)).rejects.toThrow(/recognizer .*exited \(3\): broken model/);
    // Later requests fail the same way at once; sending audio to it does not throw.
    dead.audio(session, new Int16Array(320));
    await expect(dead.endUtterance(session)).rejects.toThrow(/exited \(3\)/);
  });

  it.runIf(!recognizerInstalled)('asking for it without the packages is bad configuration (InputError)', () => {
    expect(() => new Recognizer()).toThrow(InputError);
  });
});

describe.skipIf(!recognizerInstalled || !festivalInstalled)(
  'the lexical ear on Festival ked (Debian python3-pocketsphinx, pocketsphinx-en-us, festival)',
  () => {
    const recognizer = recognizerInstalled ? new Recognizer() : null;
    afterAll(() => recognizer?.dispose());

    /** The rendering of `text` cut after its `words`-th word, in room tone, heard with speech flags from the planted truth. */
    async function hearCut(text: string, words: number): Promise<{ verdict: LexicalVerdict | null; checkedAtMs: number | null; endMs: number }> {
      const s = await synthesizeWith(text, KED);
      const endMs = s.words[words - 1].endMs + 30;
      const track = userTrack(LEAD_MS + endMs + 400, [{ pcm: s.pcm.subarray(0, Math.round(endMs * 16)), atMs: LEAD_MS }]);
      const ear = new LexicalEar(recognizer!, LEXICAL_CHECK_MS);
      let verdict: LexicalVerdict | null = null;
      let checkedAtMs: number | null = null;
      for (let i = 0; (i + 1) * FRAME_SAMPLES <= track.length; i++) {
        const tMs = i * FRAME_MS;
        await ear.hear(track.subarray(i * FRAME_SAMPLES, (i + 1) * FRAME_SAMPLES), tMs >= LEAD_MS && tMs < LEAD_MS + endMs);
        if (ear.verdict() && !verdict) [verdict, checkedAtMs] = [ear.verdict(), tMs + FRAME_MS];
      }
      ear.close();
      return { verdict, checkedAtMs, endMs: LEAD_MS + endMs };
    }

    it('hears a finished sentence, ending on a word a sentence ends on, LEXICAL_CHECK_MS into the silence', async () => {
      const { verdict, checkedAtMs, endMs } = await hearCut('We drove to the lake house on Sunday morning.', 9);
      expect(verdict).toMatchObject({ words: ['we', 'drove', 'to', 'the', 'lake', 'house', 'on', 'sunday', 'morning'], endsOnClosedClass: false });
      expect(verdict!.endLog10).toBeGreaterThan(-1);
      // The speech flags end on the frame grid: the check is LEXICAL_CHECK_MS after the last speech frame.
      expect(checkedAtMs! - Math.ceil(endMs / FRAME_MS) * FRAME_MS).toBe(LEXICAL_CHECK_MS);
    });

    it('hears a turn cut after "to the" end on a closed-class word, less likely to end a sentence', async () => {
      const cut = await hearCut('We drove to the lake house on Sunday morning.', 4);
      expect(cut.verdict).toMatchObject({ words: ['we', 'drove', 'to', 'the'], endsOnClosedClass: true });
      const whole = await hearCut('We drove to the lake house on Sunday morning.', 9);
      expect(cut.verdict!.endLog10!).toBeLessThan(whole.verdict!.endLog10! - 1);
    });

    it('noise is not words: bursts of it, taken for speech, change no wait', async () => {
      const ear = new LexicalEar(recognizer!, LEXICAL_CHECK_MS);
      const burstMs = 700;
      const gapMs = 400;
      let last: LexicalVerdict | null = null;
      for (let b = 0; b < 8; b++) {
        const burst = noise(burstMs, -26, 100 + b, b % 2 ? 'pink' : 'white');
        for (let i = 0; (i + 1) * FRAME_SAMPLES <= burst.length; i++) await ear.hear(burst.subarray(i * FRAME_SAMPLES, (i + 1) * FRAME_SAMPLES), true);
        for (let i = 0; i < gapMs / FRAME_MS; i++) await ear.hear(new Int16Array(FRAME_SAMPLES), false);
        last = ear.verdict() ?? last;
      }
      ear.close();
      expect(last).not.toBeNull();
      // Whatever it made of the noise, the words change no wait.
      for (const waitMs of [DEFAULT_POLICY.finishedSilenceMs, DEFAULT_POLICY.holdingSilenceMs])
        expect(waitWithWords(waitMs, last, LEXICAL_RULE, DEFAULT_POLICY)).toBe(waitMs);
    });

    it('the agent (default rule) answers a question its prosody takes for a hesitation at the maybe wait, once the words may end a sentence', async () => {
      const bank = await buildVoiceBank();
      const q = await synthesizeWith('Can you suggest a good name for a small grey kitten with white paws?', { ...KED, pitch: 30 });
      const endMs = LEAD_MS + q.words[q.words.length - 1].endMs;
      const track = userTrack(endMs + 3_500, [{ pcm: q.pcm, atMs: LEAD_MS }]);
      const lastAnswer = async (lexical: 'off' | 'pocketsphinx') => {
        const run = await runAgent(bank, track, { policy: referencePolicy('talk', 'espeak', lexical), recognizer: recognizer! });
        const answer = run
          .eventsOf('decision')
          .filter((d) => d.event.decision.kind === 'answer')
          .at(-1)!;
        return { ...answer, decision: answer.event.decision as Extract<Decision, { kind: 'answer' }> };
      };
      const prosodyAlone = await lastAnswer('off');
      expect(prosodyAlone.decision.requiredSilenceMs).toBe(DEFAULT_POLICY.holdingSilenceMs);
      const withWords = await lastAnswer('pocketsphinx');
      expect(withWords.decision.requiredSilenceMs).toBe(DEFAULT_POLICY.maybeSilenceMs);
      expect(withWords.tMs - endMs).toBeLessThanOrEqual(DEFAULT_POLICY.maybeSilenceMs + PERCEPTION_LAG_MS);
      expect(withWords.tMs).toBeGreaterThan(endMs);
      expect(withWords.decision.words!.understood).toBeGreaterThanOrEqual(LEXICAL_RULE.minUnderstood);
      expect(withWords.decision.words!.endLog10).toBeGreaterThanOrEqual(LEXICAL_RULE.releaseAboveLog10!);
    });

    it('with the closed-class hold (a rule the study weighs, not the default), the agent waits out a pause after "to the" that its prosody alone takes', async () => {
      const bank = await buildVoiceBank();
      const whole = await synthesizeWith('My brother and I drove to the lake house on Sunday morning.', KED);
      const clip = openPauses(whole, [{ after_word: 7, ms: 1_500 }]);
      const pause = { startMs: LEAD_MS + clip.pauses[0].startMs, endMs: LEAD_MS + clip.pauses[0].endMs };
      const track = userTrack(LEAD_MS + clip.words[clip.words.length - 1].endMs + 3_000, [{ pcm: clip.pcm, atMs: LEAD_MS }]);
      const hold: PolicyConfig = { ...referencePolicy(), lexical: { minUnderstood: 0, holdOnClosedClass: true, releaseAboveLog10: null } };
      const speaksInPause = async (policy: PolicyConfig) => {
        const run = await runAgent(bank, track, { policy, recognizer: recognizer! });
        const first = run.speechStartAfter(pause.startMs);
        return first !== null && first < pause.endMs;
      };
      expect(await speaksInPause(referencePolicy())).toBe(true);
      expect(await speaksInPause(hold)).toBe(false);
    });

    it('the reference server started with --lexical pocketsphinx decides the same, the words in its agent.decision', async () => {
      const bank = await buildVoiceBank();
      const q = await synthesizeWith('Can you suggest a good name for a small grey kitten with white paws?', { ...KED, pitch: 30 });
      const track = userTrack(LEAD_MS + q.words[q.words.length - 1].endMs + 3_500, [{ pcm: q.pcm, atMs: LEAD_MS }]);
      const server = await startReferenceServer({ bank, policy: referencePolicy('talk', 'espeak', 'pocketsphinx') });
      try {
        const c = await RawClient.start(server.url);
        c.audio(track);
        await c.end();
        const answers = c.jsonOfType('agent.decision').filter((d) => d.kind === 'answer');
        expect(answers.at(-1)).toMatchObject({ requiredSilenceMs: DEFAULT_POLICY.maybeSilenceMs, words: { endsOnClosedClass: false } });
      } finally {
        await server.close();
      }
    });
  },
);
