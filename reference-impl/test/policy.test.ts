import { describe, expect, it } from 'vitest';
import type { Heard } from '../perception/listener.ts';
import {
  CAREFUL_POLICY,
  DEFAULT_POLICY,
  FAST_YIELD_POLICY,
  PATIENT_POLICY,
  TALK_POLICY,
  TurnPolicy,
  WORDS_POLICY,
  LEXICAL_CHECK_MS,
  type AgentActivity,
  type Decision,
  type OnsetJudge,
  type OnsetVerdict,
  type LexicalRule,
  type PolicyConfig,
  type WordsJudge,
} from '../policy.ts';
import type { LexicalVerdict } from '../perception/lexical/lexical-ear.ts';

// Perception stubbed as frames; the end-of-turn model stubbed as a fixed probability.
const FLOOR = -55;
const speech: Heard = { speech: true, distant: false, levelDbfs: FLOOR + 30, floorDbfs: FLOOR, pitchHz: 120, probability: 0.9 };
const silence: Heard = { speech: false, distant: false, levelDbfs: FLOOR, floorDbfs: FLOOR, pitchHz: null, probability: 0.05 };
/** An onset judge that always hears the same thing, and remembers when it was asked. */
function judgeAs(verdict: OnsetVerdict | null): OnsetJudge & { askedAtMs: number[] } {
  const askedAtMs: number[] = [];
  return { askedAtMs, judge: (sinceOnsetMs) => (askedAtMs.push(sinceOnsetMs), verdict) };
}
const BID: OnsetVerdict = { marginToBid: 0.5, soundsLike: 'Wait,' };
const BACKCHANNEL: OnsetVerdict = { marginToBid: -0.5, soundsLike: 'mm-hmm' };
const THRESHOLDS = { finished: 0.5, maybe: 0.2 };
const policyWith = (p: number, cfg: PolicyConfig = DEFAULT_POLICY, judge: OnsetJudge = judgeAs(BID)) =>
  new TurnPolicy({ probability: () => p, thresholds: THRESHOLDS }, cfg, judge);
const repeat = <T>(x: T, n: number): T[] => Array.from({ length: n }, () => x);
const frames = (ms: number) => ms / 20;

/** Steps the policy; `agent` gives the agent's activity before each frame. */
function run(policy: TurnPolicy, input: Heard[], agent: (i: number) => AgentActivity = () => 'silent'): { frame: number; d: Decision }[] {
  const out: { frame: number; d: Decision }[] = [];
  input.forEach((f, i) => {
    const d = policy.step(f, agent(i));
    if (d) out.push({ frame: i, d });
  });
  return out;
}

describe('TurnPolicy end of turn', () => {
  it('answers a turn that sounds finished after finishedSilenceMs', () => {
    const ds = run(policyWith(0.9), [...repeat(speech, 50), ...repeat(silence, 50)]);
    expect(ds.map((x) => x.d.kind)).toEqual(['answer']);
    // Frame 50 is the first silent one.
    expect(ds[0].frame).toBe(50 + frames(DEFAULT_POLICY.finishedSilenceMs) - 1);
  });

  it('waits maybeSilenceMs when the turn may be finished, holdingSilenceMs when it sounds unfinished', () => {
    const maybe = run(policyWith((THRESHOLDS.maybe + THRESHOLDS.finished) / 2), [...repeat(speech, 50), ...repeat(silence, 200)]);
    expect(maybe[0].d).toMatchObject({ kind: 'answer', requiredSilenceMs: DEFAULT_POLICY.maybeSilenceMs });
    const holding = run(policyWith(0.01), [...repeat(speech, 50), ...repeat(silence, frames(DEFAULT_POLICY.holdingSilenceMs) + 5)]);
    expect(holding.find((x) => x.d.kind === 'answer')).toMatchObject({ frame: 50 + frames(DEFAULT_POLICY.holdingSilenceMs) - 1 });
  });

  it('ignores a burst shorter than minTurnSpeechMs', () => {
    expect(run(policyWith(0.9), [...repeat(speech, frames(DEFAULT_POLICY.minTurnSpeechMs) - 1), ...repeat(silence, 100)])).toEqual([]);
  });

  it('backchannels once in a mid-turn pause of a long turn, not after a short stretch of speech', () => {
    const long = run(policyWith(0.01), [...repeat(speech, frames(DEFAULT_POLICY.backchannelEverySpeechMs)), ...repeat(silence, 40)]);
    expect(long.map((x) => x.d.kind)).toEqual(['backchannel']);
    expect(long[0].frame).toBe(frames(DEFAULT_POLICY.backchannelEverySpeechMs) + frames(DEFAULT_POLICY.backchannelSilenceMs) - 1);
    expect(run(policyWith(0.01), [...repeat(speech, 50), ...repeat(silence, 40)])).toEqual([]);
  });
});

describe('TurnPolicy end of turn with the words (lexical rule)', () => {
  const RULE: LexicalRule = { minUnderstood: 0.5, holdOnClosedClass: true, releaseAboveLog10: -1 };
  const LEXICAL: PolicyConfig = { ...DEFAULT_POLICY, lexical: RULE };
  const heard = (endLog10: number | null, endsOnClosedClass = false, understood: number | null = 0.9): LexicalVerdict => ({
    words: endLog10 === null ? [] : ['x'],
    endLog10,
    endsOnClosedClass,
    understood,
  });
  /** A lexical ear that says the same words at every check, and counts how often it was read. */
  function wordsAs(verdict: LexicalVerdict | null): WordsJudge & { reads: number } {
    const judge = { reads: 0, verdict: () => (judge.reads++, verdict) };
    return judge;
  }
  const lexicalPolicy = (p: number, words: WordsJudge, rule = RULE) =>
    new TurnPolicy({ probability: () => p, thresholds: THRESHOLDS }, { ...LEXICAL, lexical: rule }, judgeAs(BID), words);
  const answerAfter = (p: number, words: WordsJudge, rule = RULE) =>
    run(lexicalPolicy(p, words, rule), [...repeat(speech, 50), ...repeat(silence, frames(DEFAULT_POLICY.holdingSilenceMs) + 5)]).find(
      (x) => x.d.kind === 'answer',
    );
  const FINISHED = 0.9;
  const HESITATION = 0.01;

  it(`reads the words once, ${LEXICAL_CHECK_MS} ms into the silence, before the shortest wait is up`, () => {
    expect(LEXICAL_CHECK_MS).toBeLessThan(DEFAULT_POLICY.finishedSilenceMs);
    const words = wordsAs(heard(-0.7));
    const policy = lexicalPolicy(FINISHED, words);
    run(policy, [...repeat(speech, 50), ...repeat(silence, frames(LEXICAL_CHECK_MS) - 1)]);
    expect(words.reads).toBe(0);
    run(policy, repeat(silence, 20));
    expect(words.reads).toBe(1);
  });

  it('holds through a last word that is closed-class, whatever the prosody said; not when the rule says not to', () => {
    const closed = wordsAs(heard(-0.5, true));
    expect(answerAfter(FINISHED, closed)).toMatchObject({
      frame: 50 + frames(DEFAULT_POLICY.holdingSilenceMs) - 1,
      d: { requiredSilenceMs: DEFAULT_POLICY.holdingSilenceMs, words: { endsOnClosedClass: true } },
    });
    expect(answerAfter(FINISHED, closed, { ...RULE, holdOnClosedClass: false })).toMatchObject({ frame: 50 + frames(DEFAULT_POLICY.finishedSilenceMs) - 1 });
    // Never released, however likely the language model finds an end there.
    expect(answerAfter(HESITATION, closed)).toMatchObject({ d: { requiredSilenceMs: DEFAULT_POLICY.holdingSilenceMs } });
  });

  it('cuts a hesitation hold to the maybe wait when the words may end a sentence, from the threshold up; leaves a shorter wait alone', () => {
    expect(answerAfter(HESITATION, wordsAs(heard(-1)))).toMatchObject({
      frame: 50 + frames(DEFAULT_POLICY.maybeSilenceMs) - 1,
      d: { requiredSilenceMs: DEFAULT_POLICY.maybeSilenceMs },
    });
    expect(answerAfter(HESITATION, wordsAs(heard(-1.01)))).toMatchObject({ d: { requiredSilenceMs: DEFAULT_POLICY.holdingSilenceMs } });
    expect(answerAfter(FINISHED, wordsAs(heard(-0.5)))).toMatchObject({ frame: 50 + frames(DEFAULT_POLICY.finishedSilenceMs) - 1 });
    expect(answerAfter(HESITATION, wordsAs(heard(-0.5)), { ...RULE, releaseAboveLog10: null })).toMatchObject({
      d: { requiredSilenceMs: DEFAULT_POLICY.holdingSilenceMs },
    });
  });

  it('goes by the prosody for a user the recognizer does not understand well enough, or not yet', () => {
    for (const understood of [RULE.minUnderstood - 0.01, null]) {
      expect(answerAfter(FINISHED, wordsAs(heard(-0.5, true, understood)))).toMatchObject({ d: { requiredSilenceMs: DEFAULT_POLICY.finishedSilenceMs } });
      expect(answerAfter(HESITATION, wordsAs(heard(-0.5, false, understood)))).toMatchObject({ d: { requiredSilenceMs: DEFAULT_POLICY.holdingSilenceMs } });
    }
    expect(answerAfter(FINISHED, wordsAs(heard(-0.5, true, RULE.minUnderstood)))).toMatchObject({ d: { requiredSilenceMs: DEFAULT_POLICY.holdingSilenceMs } });
  });

  it('goes by the prosody when the ear heard no word or has no verdict', () => {
    expect(answerAfter(FINISHED, wordsAs(heard(null, true)))).toMatchObject({ d: { requiredSilenceMs: DEFAULT_POLICY.finishedSilenceMs } });
    expect(answerAfter(HESITATION, wordsAs(null))).toMatchObject({ d: { requiredSilenceMs: DEFAULT_POLICY.holdingSilenceMs, words: null } });
  });

  it('answers, not backchannels, in a pause whose words may end the turn; backchannels in one that ends on a closed-class word', () => {
    const long = [...repeat(speech, frames(DEFAULT_POLICY.backchannelEverySpeechMs)), ...repeat(silence, 40)];
    const kinds = (p: number, v: LexicalVerdict) => run(lexicalPolicy(p, wordsAs(v)), long).map((x) => x.d.kind);
    expect(kinds(HESITATION, heard(-0.5))).toEqual(['answer']);
    expect(kinds(FINISHED, heard(-0.5, true))).toEqual(['backchannel']);
  });

  it('needs the ear when the rule is on', () => {
    expect(() => new TurnPolicy({ probability: () => 0.5, thresholds: THRESHOLDS }, LEXICAL, judgeAs(BID))).toThrow(/lexical ear/);
  });
});

/** An answer that began long ago (past the false-start window). */
const established = (cfg: PolicyConfig): PolicyConfig => ({ ...cfg, falseStartWindowMs: 0 });

/** Steps the policy from the start of an answer, acting on its decisions the way the agent does. */
function overAnswer(policy: TurnPolicy, input: Heard[]): { frame: number; d: Decision }[] {
  const ds: { frame: number; d: Decision }[] = [];
  let activity: AgentActivity = 'answer';
  const next: Partial<Record<Decision['kind'], AgentActivity>> = { hold: 'held', resume: 'answer', barge_in: 'silent', yield: 'silent' };
  input.forEach((f, i) => {
    const d = policy.step(f, activity);
    if (!d) return;
    ds.push({ frame: i, d });
    activity = next[d.kind] ?? activity;
  });
  return ds;
}

describe('TurnPolicy over its own answer', () => {
  for (const [name, cfg] of [
    ['patient', PATIENT_POLICY],
    ['fast yield', FAST_YIELD_POLICY],
    ['words, heard as a bid', WORDS_POLICY],
  ] as const) {
    it(`${name}: holds after holdAfterSpeechMs of user speech, then barges in if the user is still talking`, () => {
      const ds = overAnswer(policyWith(0.01, established(cfg)), repeat(speech, frames(cfg.holdAfterSpeechMs + cfg.decideAfterHoldMs) + 10));
      expect(ds.map((x) => x.d.kind)).toEqual(['hold', 'barge_in']);
      expect(ds[0].frame).toBe(frames(cfg.holdAfterSpeechMs) - 1);
      expect(ds[1].frame - ds[0].frame).toBe(frames(cfg.decideAfterHoldMs));
    });
  }

  it('talks on through a burst shorter than holdAfterSpeechMs', () => {
    expect(
      overAnswer(policyWith(0.01, established(PATIENT_POLICY)), [...repeat(speech, frames(PATIENT_POLICY.holdAfterSpeechMs) - 1), ...repeat(silence, 100)]),
    ).toEqual([]);
  });

  it("words: a held burst that sounds like a backchannel resumes at the decision, asked at the burst's age, and no later decision follows", () => {
    const cfg = established(WORDS_POLICY);
    const judge = judgeAs(BACKCHANNEL);
    // "mm-hmm": 400 ms of speech, then silence.
    const ds = overAnswer(policyWith(0.01, cfg, judge), [...repeat(speech, 20), ...repeat(silence, 100)]);
    expect(ds.map((x) => x.d.kind)).toEqual(['hold', 'resume']);
    expect(ds[1].frame - ds[0].frame).toBe(frames(cfg.decideAfterHoldMs));
    expect(ds[1].d).toMatchObject({ onset: BACKCHANNEL });
    // Held after 2 frames of speech, decided 12 frames later: 14 frames since the first speech frame.
    expect(judge.askedAtMs).toEqual([cfg.holdAfterSpeechMs + cfg.decideAfterHoldMs]);
  });

  it('words: a burst resumed by its words is a barge-in once it has backchannelMaxSpeechMs of speech', () => {
    const cfg = established(WORDS_POLICY);
    const ds = overAnswer(policyWith(0.01, cfg, judgeAs(BACKCHANNEL)), repeat(speech, frames(cfg.backchannelMaxSpeechMs) + 10));
    expect(ds.map((x) => x.d.kind)).toEqual(['hold', 'resume', 'barge_in']);
    expect(ds[2].frame).toBe(frames(cfg.backchannelMaxSpeechMs) - 1);
  });

  it('words: a burst it cannot judge yet (too little of the user heard) is taken for a barge-in, as by the fast policy', () => {
    const cfg = established(WORDS_POLICY);
    const ds = overAnswer(policyWith(0.01, cfg, judgeAs(null)), repeat(speech, 30));
    expect(ds.map((x) => x.d)).toMatchObject([{ kind: 'hold' }, { kind: 'barge_in', onset: null }]);
  });

  it('talk: holds without going silent (ducked), and drops a burst that already sounds clearly like a bid at the first early check', () => {
    const cfg = established(TALK_POLICY);
    const judge = judgeAs(BID);
    const ds = overAnswer(policyWith(0.01, cfg, judge), repeat(speech, 30));
    expect(ds.map((x) => x.d)).toMatchObject([
      { kind: 'hold', gainDb: TALK_POLICY.heldGainDb },
      { kind: 'barge_in', onset: BID },
    ]);
    expect(TALK_POLICY.heldGainDb).toBeGreaterThan(-10);
    expect(judge.askedAtMs).toEqual([TALK_POLICY.earlyBidChecks[0].atMs]);
    expect(ds[1].frame).toBe(frames(TALK_POLICY.earlyBidChecks[0].atMs) - 1);
  });

  it.each([
    ['talk', TALK_POLICY],
    ['careful', CAREFUL_POLICY],
  ])('%s: a burst is dropped at the first check whose margin it passes, else judged at the decision by its own margin', (_, policy) => {
    const cfg = established(policy);
    const checks = policy.earlyBidChecks;
    const decisionMs = cfg.holdAfterSpeechMs + cfg.decideAfterHoldMs;
    const margins = [...checks.map((c) => c.marginAbove), cfg.bidMarginAbove];
    // Just over and just under every margin the policy uses, and beyond all of them.
    for (const m of [...margins.flatMap((x) => [x + 0.01, x - 0.01]), Math.max(...margins) + 1, Math.min(...margins) - 1]) {
      const judge = judgeAs({ ...BID, marginToBid: m });
      const ds = overAnswer(policyWith(0.01, cfg, judge), repeat(speech, 30));
      const first = checks.findIndex((c) => m > c.marginAbove);
      if (first >= 0) {
        expect(
          ds.map((x) => x.d.kind),
          `margin ${m}`,
        ).toEqual(['hold', 'barge_in']);
        expect(judge.askedAtMs, `margin ${m}`).toEqual(checks.slice(0, first + 1).map((c) => c.atMs));
      } else {
        expect(judge.askedAtMs, `margin ${m}`).toEqual([...checks.map((c) => c.atMs), decisionMs]);
        // Over the decision's margin a bid; at or under it the answer goes on (and 600 ms of speech is still under the length rule).
        expect(
          ds.map((x) => x.d.kind),
          `margin ${m}`,
        ).toEqual(m > cfg.bidMarginAbove ? ['hold', 'barge_in'] : ['hold', 'resume']);
      }
    }
  });

  it('talk: a backchannel is asked about at every check and talked through; a burst over before the first check needs no judgement', () => {
    const cfg = established(TALK_POLICY);
    const judge = judgeAs(BACKCHANNEL);
    // "mm-hmm": 400 ms of speech, then silence.
    const ds = overAnswer(policyWith(0.01, cfg, judge), [...repeat(speech, 20), ...repeat(silence, 100)]);
    expect(ds.map((x) => x.d)).toMatchObject([{ kind: 'hold' }, { kind: 'resume', onset: BACKCHANNEL }]);
    expect(judge.askedAtMs).toEqual([...TALK_POLICY.earlyBidChecks.map((c) => c.atMs), cfg.holdAfterSpeechMs + cfg.decideAfterHoldMs]);
    // A click: 40 ms, over (burstEndSilenceMs of silence) before the first check.
    const short = judgeAs(BID);
    expect(overAnswer(policyWith(0.01, cfg, short), [...repeat(speech, 2), ...repeat(silence, 100)]).map((x) => x.d.kind)).toEqual(['hold', 'resume']);
    expect(short.askedAtMs).toEqual([]);
  });

  it('words: needs an onset judge', () => {
    expect(() => new TurnPolicy({ probability: () => 0.5, thresholds: THRESHOLDS }, WORDS_POLICY)).toThrow(/onset judge/);
  });

  it('yields at once to speech right after it began (a false start), then wants continuingSilenceMs before answering again', () => {
    const policy = policyWith(0.9);
    const ds = overAnswer(policy, [silence, ...repeat(speech, 3)]);
    // One silent frame and two of speech into the answer.
    expect(ds.map((x) => x.d)).toEqual([{ kind: 'yield', answerMs: 60 }]);
    // Listening again: the rest of this turn needs the longer silence even though it sounds finished.
    const after = run(policy, [...repeat(speech, 20), ...repeat(silence, 40)]);
    expect(after[0].d).toMatchObject({ kind: 'answer', requiredSilenceMs: DEFAULT_POLICY.continuingSilenceMs });
  });

  it('after a barge-in, the new turn wants continuingSilenceMs even when it sounds finished (its first pause is often a comma)', () => {
    const cfg = established(DEFAULT_POLICY);
    const policy = policyWith(0.9, cfg);
    const ds = overAnswer(policy, repeat(speech, frames(cfg.holdAfterSpeechMs + cfg.decideAfterHoldMs)));
    expect(ds.map((x) => x.d.kind)).toEqual(['hold', 'barge_in']);
    const after = run(policy, [...repeat(speech, 10), ...repeat(silence, 40)]);
    expect(after[0].d).toMatchObject({ kind: 'answer', requiredSilenceMs: DEFAULT_POLICY.continuingSilenceMs });
  });

  it('resumes when a held burst ends before the decision (a backchannel); more speech soon after is a barge-in', () => {
    const cfg = FAST_YIELD_POLICY;
    const ds = overAnswer(policyWith(0.01, established(cfg)), [...repeat(speech, 6), ...repeat(silence, 20), ...repeat(speech, 10)]);
    expect(ds.map((x) => x.d.kind)).toEqual(['hold', 'resume', 'barge_in']);
    // Resumed as soon as the burst had ended (burstEndSilenceMs of silence after frame 5).
    expect(ds[1].frame).toBe(5 + frames(cfg.burstEndSilenceMs));
    // The 400 ms gap is inside burstWindowMs: one burst, a barge-in once it goes on moreAfterResumeMs.
    expect(ds[2].frame).toBe(26 + frames(cfg.moreAfterResumeMs) - 1);
  });
});
