/**
 * When the reference agent speaks, backchannels, holds and yields: a frame-stepped state
 * machine over what perception reports. It decides; the agent acts (plays, holds, cuts).
 *
 * - End of turn: when the user's speech stops, the end-of-turn model (prosody: final fall or
 *   rise, pitch slope, level, final lengthening, turn length) gives the probability that the
 *   turn is over; the silence the agent waits for follows from it: short when the turn
 *   sounds finished, long when it sounds like a hesitation inside it.
 * - Words (optional, `lexical`): LEXICAL_CHECK_MS into a silence, the lexical ear's verdict
 *   (perception/lexical/) may change that wait (waitWithWords): for a user the recognizer
 *   understands, a hesitation hold is cut short when the words may end a sentence.
 * - False start: if the user goes on talking just after the agent began an answer (the pause
 *   was not the turn's end after all), the agent yields at once, as people do when both start
 *   together, and waits longer (continuingSilenceMs) for the rest of that turn.
 * - Backchannel: at a longer pause that sounds mid-turn, inside a long user turn, at most
 *   once per pause and only after enough user speech since the last one.
 * - Barge-in: user speech over the agent's answer is gathered into one burst (gaps under
 *   burstWindowMs stay inside it: the comma after "Wait," or the break inside "mm-hmm").
 *   Once the burst has holdAfterSpeechMs of speech, or the user still talks holdAfterElapsedMs
 *   after it began ("Stop, stop."), the answer is held (it stops, or with heldGainDb plays on
 *   ducked); decideAfterHoldMs later the agent drops the answer if the user is still talking (a
 *   barge-in) or resumes where it held if the burst has ended (a backchannel), soon enough
 *   that a listener hears one answer with a dip. A resumed burst that goes on (the user only
 *   paused after "Wait,") is a barge-in after all. The turn a barge-in opens waits
 *   continuingSilenceMs at its pauses, as after a false start ("Sorry to jump in, could you...").
 *   Acoustics alone cannot tell a 400-600 ms "mm-hmm" from the first 200 ms of a barge-in
 *   (no level, pitch-fall or duration cue carried over from our voices to the suite's), but
 *   the words can: WORDS_POLICY holds after 40 ms and, 280 ms into the burst,
 *   matches what it heard against backchannel and bid-opener templates
 *   (perception/onset-listener.ts, with ordinary words as a filler class); a burst that does
 *   not sound like a bid by the decision's margin ("mm-hmm", or a word it has no template for)
 *   resumes, and is a barge-in after all if it goes on past backchannelMaxSpeechMs. Its hold is a 240 ms gap in
 *   the answer on every backchannel, longer than any between the agent's own words, so the
 *   default (TALK_POLICY) holds without going silent: the answer plays on ducked (heldGainDb)
 *   while the words are judged, at earlyBidChecks with margins of their own (a bid already
 *   clear stops it 100-200 ms in) and at 280 ms as by WORDS_POLICY; CAREFUL_POLICY the same with
 *   wider margins. PATIENT_POLICY waits a backchannel out instead (stop ~0.6 s);
 *   FAST_YIELD_POLICY takes any burst still going at 280 ms for a barge-in (most backchannels
 *   stop it). An earlier spectral perceptron on the first 200 ms (branch
 *   study/backchannel-classifier) did well on held-out voices but not on scenarios/core
 *   (stop p50 373 ms, false stops 0.20).
 */
import { FRAME_MS } from './frames.ts';
import type { Heard } from './perception/listener.ts';
import { Burst } from './perception/burst.ts';
import type { LexicalVerdict } from './perception/lexical/lexical-ear.ts';
import { DEFAULT_END_OF_TURN, TurnTracker, type EndOfTurnName, type EndOfTurnThresholds, type TurnFeatures } from './perception/turn-end.ts';

/** What the policy needs of the end-of-turn model: its probability, and the thresholds chosen for it. */
interface EndOfTurnEstimator {
  probability(f: TurnFeatures): number;
  readonly thresholds: Pick<EndOfTurnThresholds, 'finished' | 'maybe'>;
}

export interface PolicyConfig {
  /** Less speech than this in a turn is not a turn (a cough, a click). */
  minTurnSpeechMs: number;
  /** Which stored end-of-turn model judges where a turn ends (its thresholds come with it). */
  endOfTurn: EndOfTurnName;
  /** Silence needed when the turn sounds finished (probability at or above the model's `finished`)... */
  finishedSilenceMs: number;
  /** ...when it may be finished (at or above `maybe`). */
  maybeSilenceMs: number;
  /** Silence needed after a turn that sounds unfinished: longer than a long hesitation. */
  holdingSilenceMs: number;
  /** User speech this soon after the agent began an answer makes it yield at once... */
  falseStartWindowMs: number;
  /** ...and the turn then needs this much silence even when it sounds finished. */
  continuingSilenceMs: number;
  /** A pause this long inside a turn may get a backchannel... */
  backchannelSilenceMs: number;
  /** ...if the user has spoken this much since the turn began or the last backchannel. */
  backchannelEverySpeechMs: number;
  /** User speech over an answer for this long holds the answer. */
  holdAfterSpeechMs: number;
  /** ...or once the user is still talking this long after the burst began (gaps included). */
  holdAfterElapsedMs: number;
  /** Held this long, the agent decides: barge-in if the user is still talking, else resume. */
  decideAfterHoldMs: number;
  /** A held burst has ended when the user has been silent this long (resume). */
  burstEndSilenceMs: number;
  /** A burst is over after this long without speech; later speech starts a new one. */
  burstWindowMs: number;
  /** A resumed burst that goes on for this much more speech was not a backchannel (one word). */
  moreAfterResumeMs: number;
  /** At the decision, judge a burst still going on by its first words (a backchannel resumes) instead of taking it for a barge-in. */
  judgeOnsetWords: boolean;
  /** The decision hears a bid when the burst sounds like one by more than this margin (marginToBid); anything else resumes. */
  bidMarginAbove: number;
  /** A burst resumed by its words is a barge-in after all once it has this much speech (the suites' backchannels last 260-630 ms). */
  backchannelMaxSpeechMs: number;
  /**
   * How a held answer sounds: null, it stops (silent until resumed); a number, it talks on this
   * many dB down (ducked) while the burst is judged, so a backchannel leaves no gap in it.
   */
  heldGainDb: number | null;
  /**
   * While held, judge the burst's words already at these points (ms since its first speech
   * frame) and drop the answer at once when the burst sounds this clearly like a bid (margin to
   * bid above marginAbove); the decision at decideAfterHoldMs stays the last word. Needs
   * judgeOnsetWords.
   */
  earlyBidChecks: readonly { atMs: number; marginAbove: number }[];
  /** What the turn's words say (the lexical ear, perception/lexical/), read LEXICAL_CHECK_MS into a silence; null: not heard. */
  lexical: LexicalRule | null;
}

export interface LexicalRule {
  /** The words count only from a user the recognizer understands this well (LexicalVerdict.understood, 0-1). */
  minUnderstood: number;
  /** A turn whose last word is closed-class ("to", "the", "and") waits holdingSilenceMs, whatever its prosody said. */
  holdOnClosedClass: boolean;
  /**
   * Other words at least this likely to end a sentence (log10 P(end | the last two words), the
   * recognizer's language model) cut a hesitation hold to maybeSilenceMs; null: never.
   */
  releaseAboveLog10: number | null;
}

/**
 * The silence a turn needs by its prosody: the end-of-turn probability against the model's
 * thresholds; `continuing` (the user went on after a false start) never waits less than
 * continuingSilenceMs.
 */
export function waitForProsody(p: number, thresholds: Pick<EndOfTurnThresholds, 'finished' | 'maybe'>, cfg: PolicyConfig, continuing = false): number {
  const finishedMs = continuing ? cfg.continuingSilenceMs : cfg.finishedSilenceMs;
  return p >= thresholds.finished ? finishedMs : p >= thresholds.maybe ? Math.max(finishedMs, cfg.maybeSilenceMs) : cfg.holdingSilenceMs;
}

/** The silence a turn needs once its words are heard, from the one its prosody asked for. */
export function waitWithWords(requiredSilenceMs: number, words: LexicalVerdict | null, rule: LexicalRule, cfg: PolicyConfig): number {
  if (!words || words.endLog10 === null || words.understood === null || words.understood < rule.minUnderstood) return requiredSilenceMs;
  if (words.endsOnClosedClass) return rule.holdOnClosedClass ? Math.max(requiredSilenceMs, cfg.holdingSilenceMs) : requiredSilenceMs;
  const release = rule.releaseAboveLog10 !== null && words.endLog10 >= rule.releaseAboveLog10 && requiredSilenceMs >= cfg.holdingSilenceMs;
  return release ? cfg.maybeSilenceMs : requiredSilenceMs;
}

/** Waits out a short burst: holds only after holdAfterSpeechMs, then judges it by whether it goes on. */
export const PATIENT_POLICY: PolicyConfig = {
  minTurnSpeechMs: 200,
  endOfTurn: DEFAULT_END_OF_TURN,
  finishedSilenceMs: 200,
  maybeSilenceMs: 420,
  holdingSilenceMs: 2600,
  falseStartWindowMs: 800,
  continuingSilenceMs: 420,
  backchannelSilenceMs: 400,
  backchannelEverySpeechMs: 4000,
  holdAfterSpeechMs: 400,
  holdAfterElapsedMs: 700,
  decideAfterHoldMs: 260,
  burstEndSilenceMs: 60,
  burstWindowMs: 1000,
  moreAfterResumeMs: 60,
  judgeOnsetWords: false,
  bidMarginAbove: 0,
  backchannelMaxSpeechMs: 800,
  heldGainDb: null,
  earlyBidChecks: [],
  lexical: null,
};

/**
 * The lexical ear ends the user's utterance this far into a silence, before the shortest wait
 * (finishedSilenceMs) is up: 160 ms of silence after a word lets the recognizer close it.
 */
export const LEXICAL_CHECK_MS = 160;

/** Speech that is surely the user's (two frames), for yielding without a look at it. */
const FAST_HOLD_MS = 40;

/** Yields at once on any speech over its answer (see the file comment for the trade-off). */
export const FAST_YIELD_POLICY: PolicyConfig = { ...PATIENT_POLICY, holdAfterSpeechMs: FAST_HOLD_MS, decideAfterHoldMs: 240 };

/**
 * Holds at once and, 280 ms into the burst, tells "mm-hmm" from "Wait," by the words
 * (perception/onset-listener.ts): resumed within the 300 ms a listener hears as one answer. A
 * bid must sound like one by a margin: on words no template has, a margin of 0 took 40 % of
 * backchannels for bids, 0.4 took 3 % (tools/onset-study.ts unseen, 280 ms alone).
 */
export const WORDS_POLICY: PolicyConfig = { ...FAST_YIELD_POLICY, judgeOnsetWords: true, bidMarginAbove: 0.4 };

/**
 * Judges the words like WORDS_POLICY but never goes silent to do it: from 40 ms into the burst
 * the answer plays on 6 dB down; a burst that sounds clearly like a bid is dropped at once at
 * an early check (100, 140, 200 ms in), the rest are judged at 280 ms as by WORDS_POLICY. A
 * backchannel leaves no gap in the answer. Margins chosen on the onset study's unseen set
 * (tools/onset-study.ts: voices, an engine and backchannel words no template or suite has, bids
 * and continuations that open with any word): the fewest backchannels stopped while at least
 * 60 % of bids are caught by their words, so that a median bid stops in its first 300 ms rather
 * than at the 800 ms length rule (reference-impl/README.md, "How it decides").
 */
export const TALK_POLICY: PolicyConfig = {
  ...WORDS_POLICY,
  heldGainDb: -6,
  earlyBidChecks: [
    { atMs: 100, marginAbove: 0.1 },
    { atMs: 140, marginAbove: 0.1 },
    { atMs: 200, marginAbove: 0.4 },
  ],
};

/**
 * TALK_POLICY with wider margins, for users who would rather be talked over a little longer
 * than cut off on "mm-hmm": chosen on the same set (before it had continuations) with the
 * fewest stops first: at most 6 % of backchannels no template has stopped (5.9 % with the
 * continuations too), where most bids then wait for the length rule.
 */
export const CAREFUL_POLICY: PolicyConfig = {
  ...TALK_POLICY,
  earlyBidChecks: [
    { atMs: 100, marginAbove: 0.5 },
    { atMs: 140, marginAbove: 0.5 },
    { atMs: 200, marginAbove: 0.4 },
  ],
};

export const DEFAULT_POLICY: PolicyConfig = TALK_POLICY;

/** How the agent meets speech over its answer, by name (`--barge-in`, `barge_in=`): talk is the default. */
export const BARGE_IN_POLICIES = { talk: TALK_POLICY, careful: CAREFUL_POLICY, words: WORDS_POLICY, patient: PATIENT_POLICY, fast: FAST_YIELD_POLICY } as const;
export const DEFAULT_BARGE_IN: BargeIn = 'talk';

export type BargeIn = keyof typeof BARGE_IN_POLICIES;
export const BARGE_INS = Object.keys(BARGE_IN_POLICIES) as BargeIn[];

/**
 * What each choice does, for --help and errors. Its figures (stop latency, false stops) are not
 * here: `npm run bench -- barge-in` measures them (README "Benchmarks", RESULTS.md).
 */
export const BARGE_IN_HELP =
  'talk (default) plays its answer on, ducked, while it judges the first words of the user, and stops when they sound like a bid for the turn; careful does the same but needs a bid to sound clearer, so fewer backchannels stop it and more bids stop only once they run long; words judges the same words with the answer held silent, so every backchannel leaves a gap in it; patient talks on through a short burst and stops if the user is still talking after it; fast holds the answer at once and takes any burst still going at the decision for a barge-in';

/** Whether the agent also listens to the words for the end of a turn (`--lexical`, `lexical=`). */
export const LEXICAL_CHOICES = ['off', 'pocketsphinx'] as const;
export type LexicalChoice = (typeof LEXICAL_CHOICES)[number];
export const DEFAULT_LEXICAL: LexicalChoice = 'off';

/**
 * The lexical rule `--lexical pocketsphinx` applies: chosen by tools/lexical-study.ts on its
 * development set (Festival's ked and eSpeak dev voices, dev texts; no suite): the fewest turn
 * ends kept waiting the hold plus pauses taken, summed over both engines. It only ever shortens
 * a hesitation hold; the closed-class hold it weighed cost more ends than it saved pauses.
 */
export const LEXICAL_RULE: LexicalRule = { minUnderstood: 0.3, holdOnClosedClass: false, releaseAboveLog10: -1 };

export const LEXICAL_HELP =
  'off (default) judges the end of a turn by its prosody alone; pocketsphinx also hears the words through Debian\'s PocketSphinx (an optional install: node scripts/setup.mjs --recognizer) and, for a user it understands, answers a turn whose prosody sounds like a hesitation at the shorter wait when its words may end a sentence; on the held-out set it took more pauses and did not shorten the turn-taking p90 (reference-impl/README.md, "How it decides")';

/** The turn policy for a `--barge-in`, an `--end-of-turn` and a `--lexical` choice. */
export function referencePolicy(
  bargeIn: BargeIn = DEFAULT_BARGE_IN,
  endOfTurn: EndOfTurnName = DEFAULT_END_OF_TURN,
  lexical: LexicalChoice = DEFAULT_LEXICAL,
): PolicyConfig {
  return { ...BARGE_IN_POLICIES[bargeIn], endOfTurn, lexical: lexical === 'pocketsphinx' ? LEXICAL_RULE : null };
}
export const END_OF_TURN_HELP =
  'espeak (default) is trained on eSpeak voices of its own, not held out from the suites\' engine; festival is trained on Festival\'s ked voice, an engine no suite uses, with thresholds chosen on its development set (reference-impl/README.md, "Stored models")';

/** What the agent is doing as the frame arrives. */
export type AgentActivity = 'silent' | 'backchannel' | 'answer' | 'held';

export type Decision =
  | {
      kind: 'answer';
      silenceMs: number;
      requiredSilenceMs: number;
      endOfTurnProbability: number;
      turnSpeechMs: number;
      features: TurnFeatures;
      /** What the lexical ear heard, when the policy listens to words. */
      words: LexicalVerdict | null;
    }
  | { kind: 'backchannel'; silenceMs: number; turnSpeechMs: number }
  | { kind: 'yield'; answerMs: number }
  /** gainDb: null, the answer stops while held; a number, it plays on at that gain (ducked). */
  | { kind: 'hold'; burstSpeechMs: number; gainDb: number | null }
  | { kind: 'resume'; heldMs: number; burstSpeechMs: number; onset: OnsetVerdict | null }
  | { kind: 'barge_in'; heldMs: number; burstSpeechMs: number; onset: OnsetVerdict | null };

/** What the first words of a burst sound like (perception/onset-listener.ts). */
export interface OnsetVerdict {
  /** The closest template's distance that is not a bid's minus the closest bid's: positive sounds like a bid. */
  marginToBid: number;
  /** The closest template's text. */
  soundsLike: string;
}

/** The lexical ear as the policy reads it (perception/lexical/lexical-ear.ts). */
export interface WordsJudge {
  /** What the turn's words say at the silence now going on; null before the check. */
  verdict(): LexicalVerdict | null;
}

export interface OnsetJudge {
  /** The burst whose first speech frame came `sinceOnsetMs` ago; null: cannot tell yet. */
  judge(sinceOnsetMs: number): OnsetVerdict | null;
}

export class TurnPolicy {
  private readonly turn = new TurnTracker();
  /** Silence since the user's last speech frame. */
  private silenceMs = 0;
  /** Required silence, fixed from the cues when the current silence began. */
  private requiredSilenceMs = Infinity;
  private endOfTurnProbability = 0;
  private features: TurnFeatures | undefined;
  private words: LexicalVerdict | null = null;
  private speechSinceBackchannelMs = 0;
  private backchannelledThisPause = false;
  /** The user's current burst over the answer (null: none). */
  private burst: Burst | null = null;
  /** The current burst was let go as a backchannel: because it ended, or by its words. */
  private resumed: 'ended' | 'words' | null = null;
  /** The burst's speech when it was let go. */
  private resumedAtSpeechMs = 0;
  private heldMs = 0;
  /** The next of earlyBidChecks not yet made for the held burst. */
  private nextEarlyCheck = 0;
  /** Time since the current answer began. */
  private answerMs = 0;
  /** The user went on after a false start in this turn. */
  private continuing = false;

  constructor(
    private readonly model: EndOfTurnEstimator,
    private readonly cfg: PolicyConfig = DEFAULT_POLICY,
    private readonly onset: OnsetJudge | null = null,
    private readonly wordsJudge: WordsJudge | null = null,
  ) {
    if (cfg.judgeOnsetWords && !onset) throw new Error('TurnPolicy: judgeOnsetWords needs an onset judge');
    if (cfg.lexical && !wordsJudge) throw new Error('TurnPolicy: a lexical rule needs the lexical ear');
  }

  /** How long until the silence now going on is answered, if no speech comes; Infinity when no answer is planned. */
  answerDueInMs(): number {
    return this.requiredSilenceMs - this.silenceMs;
  }

  step(f: Heard, agent: AgentActivity): Decision | null {
    if (agent === 'answer' || agent === 'held') {
      this.answerMs += FRAME_MS;
      // Past the window, the answer was a real turn: the user's next turn starts afresh.
      if (this.answerMs > this.cfg.falseStartWindowMs) this.continuing = false;
    }
    switch (agent) {
      case 'answer':
        return this.whileAnswering(f);
      case 'held':
        return this.whileHeld(f);
      default:
        return this.whileListening(f);
    }
  }

  private whileListening(f: Heard): Decision | null {
    if (f.speech) {
      this.hearSpeech(f);
      return null;
    }
    this.turn.silence();
    this.silenceMs += FRAME_MS;
    if (this.turn.speechMs() < this.cfg.minTurnSpeechMs) return null;
    if (this.requiredSilenceMs === Infinity) this.judgeCues();
    if (this.cfg.lexical && this.silenceMs === LEXICAL_CHECK_MS) this.judgeWords(this.cfg.lexical);
    if (this.silenceMs >= this.requiredSilenceMs) {
      const d: Decision = {
        kind: 'answer',
        silenceMs: this.silenceMs,
        requiredSilenceMs: this.requiredSilenceMs,
        endOfTurnProbability: this.endOfTurnProbability,
        turnSpeechMs: this.turn.speechMs(),
        features: this.features!,
        words: this.words,
      };
      this.newTurn();
      // A new answer starts with no burst over it.
      this.burst = null;
      this.resumed = null;
      this.answerMs = 0;
      return d;
    }
    if (
      this.silenceMs >= this.cfg.backchannelSilenceMs &&
      // A pause that sounds mid-turn (by its prosody, or its words): one the agent holds through.
      this.requiredSilenceMs >= this.cfg.holdingSilenceMs &&
      !this.backchannelledThisPause &&
      this.speechSinceBackchannelMs >= this.cfg.backchannelEverySpeechMs
    ) {
      this.backchannelledThisPause = true;
      this.speechSinceBackchannelMs = 0;
      return { kind: 'backchannel', silenceMs: this.silenceMs, turnSpeechMs: this.turn.speechMs() };
    }
    return null;
  }

  private whileAnswering(f: Heard): Decision | null {
    if (!f.speech) {
      this.turn.silence();
      this.silenceMs += FRAME_MS;
      this.burstSilence();
      return null;
    }
    this.hearSpeech(f);
    if (!this.burst) {
      this.burst = new Burst();
      this.resumed = null;
    }
    this.burst.speech(FRAME_MS);
    if (this.answerMs <= this.cfg.falseStartWindowMs && this.burst.speechMs >= FAST_HOLD_MS) {
      this.burst = null;
      this.continuing = true;
      return { kind: 'yield', answerMs: this.answerMs };
    }
    if (this.resumed === 'ended') return this.burst.speechMs >= this.resumedAtSpeechMs + this.cfg.moreAfterResumeMs ? this.bargeIn(null) : null;
    if (this.resumed === 'words') return this.burst.speechMs >= this.cfg.backchannelMaxSpeechMs ? this.bargeIn(null) : null;
    if (this.burst.speechMs >= this.cfg.holdAfterSpeechMs || this.burst.elapsedMs >= this.cfg.holdAfterElapsedMs) {
      this.heldMs = 0;
      this.nextEarlyCheck = 0;
      return { kind: 'hold', burstSpeechMs: this.burst.speechMs, gainDb: this.cfg.heldGainDb };
    }
    return null;
  }

  private whileHeld(f: Heard): Decision | null {
    const burst = this.burst ?? new Burst();
    this.burst = burst;
    this.heldMs += FRAME_MS;
    if (f.speech) {
      this.hearSpeech(f);
      burst.speech(FRAME_MS);
    } else {
      this.turn.silence();
      this.silenceMs += FRAME_MS;
      burst.silence(FRAME_MS);
    }
    // A burst over before the decision was a backchannel (or a cough): the answer goes on.
    if (burst.silenceMs >= this.cfg.burstEndSilenceMs) return this.resume(burst, 'ended', null);
    if (this.heldMs < this.cfg.decideAfterHoldMs) return this.earlyCheck(burst);
    const onset = this.cfg.judgeOnsetWords ? this.onset!.judge(burst.elapsedMs) : null;
    return onset && onset.marginToBid <= this.cfg.bidMarginAbove ? this.resume(burst, 'words', onset) : this.bargeIn(onset);
  }

  /** A burst that already sounds clearly like a bid at one of the early checks is a barge-in. */
  private earlyCheck(burst: Burst): Decision | null {
    const checks = this.cfg.earlyBidChecks;
    let due: (typeof checks)[number] | null = null;
    while (this.nextEarlyCheck < checks.length && burst.elapsedMs >= checks[this.nextEarlyCheck].atMs) due = checks[this.nextEarlyCheck++];
    if (!due || !this.cfg.judgeOnsetWords) return null;
    const onset = this.onset!.judge(burst.elapsedMs);
    return onset && onset.marginToBid > due.marginAbove ? this.bargeIn(onset) : null;
  }

  private resume(burst: Burst, why: 'ended' | 'words', onset: OnsetVerdict | null): Decision {
    // Not a turn: the answer goes on.
    const d: Decision = { kind: 'resume', heldMs: this.heldMs, burstSpeechMs: burst.speechMs, onset };
    this.resumed = why;
    this.resumedAtSpeechMs = burst.speechMs;
    this.newTurn();
    return d;
  }

  private burstSilence(): void {
    const b = this.burst;
    if (!b) return;
    b.silence(FRAME_MS);
    if (b.silenceMs < this.cfg.burstWindowMs) return;
    // A burst the answer went on through was a backchannel, not the start of a turn to answer.
    this.burst = null;
    this.resumed = null;
    this.newTurn();
  }

  private bargeIn(onset: OnsetVerdict | null): Decision {
    // The burst's speech stays in the turn tracker: it is the start of the user's new turn.
    const d: Decision = { kind: 'barge_in', heldMs: this.heldMs, burstSpeechMs: this.burst?.speechMs ?? 0, onset };
    // A turn taken over the agent often opens with "Wait," or "Sorry to jump in,": its first
    // pause is a comma more often than an end, so it waits as after a false start.
    this.continuing = true;
    this.burst = null;
    this.resumed = null;
    this.heldMs = 0;
    return d;
  }

  private hearSpeech(f: Heard): void {
    this.turn.speech({ levelDbfs: f.levelDbfs, pitchHz: f.pitchHz });
    this.speechSinceBackchannelMs += FRAME_MS;
    this.silenceMs = 0;
    this.requiredSilenceMs = Infinity;
    this.backchannelledThisPause = false;
    this.words = null;
  }

  /** At the first silent frame of a turn's silence: how long this silence must last to end the turn. */
  private judgeCues(): void {
    const c = this.cfg;
    this.features = this.turn.features();
    const p = this.model.probability(this.features);
    this.endOfTurnProbability = p;
    this.requiredSilenceMs = waitForProsody(p, this.model.thresholds, c, this.continuing);
  }

  /** LEXICAL_CHECK_MS into the silence: the words may lengthen the wait or cut a hesitation hold. */
  private judgeWords(rule: LexicalRule): void {
    this.words = this.wordsJudge!.verdict();
    this.requiredSilenceMs = waitWithWords(this.requiredSilenceMs, this.words, rule, this.cfg);
  }

  private newTurn(): void {
    this.words = null;
    this.turn.reset();
    this.speechSinceBackchannelMs = 0;
    this.backchannelledThisPause = false;
    this.requiredSilenceMs = Infinity;
    this.endOfTurnProbability = 0;
  }
}
