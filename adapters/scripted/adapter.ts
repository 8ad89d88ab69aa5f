/**
 * `scripted`: a test agent with exact, configurable behaviour, used by the known-answer
 * tests. It does not listen to the audio: it reads the planted truth of the user's side
 * (`observeTruth`) and acts on the session clock at planted delays, so the right answer of
 * every metric is known before the run. Runs in real and virtual time.
 *
 * Its voice has no words, but where the scenario checks content (`says`, sent with the planted
 * truth) it reports an agent transcript of the words it plants: the check's keywords (the first
 * of each list) and numbers (in digits) for `right`, a line without them for `wrong`. It reports
 * what was played: the text when the utterance has played out, and when it is stopped, only the
 * words whose share of the utterance (words spread evenly) had played. A pattern or a judge
 * criterion cannot be planted; `right` says the keywords and numbers only.
 */
import type { Adapter, AdapterSession, SessionContext, TruthEvent } from '../../harness/adapter.ts';
import { vowelVoice } from '../../harness/audio/vowel-voice.ts';
import { InputError } from '../../harness/errors.ts';
import type { Says } from '../../harness/scenario/schema.ts';

const VOICE_RATE = 16_000;

export interface ScriptedBehaviour {
  /** Answer this long after each user turn ends (negative: start before it ends); null: never answer. */
  answerDelayMs: number | null;
  /** Length of each answer. */
  answerMs: number;
  /** Stop this long after the user starts talking over the agent; null: never stop. */
  stopDelayMs: number | null;
  /** Also stop for user backchannels ("mm-hmm"), as a bad partner would. */
  stopOnBackchannel: boolean;
  /** Take the turn this long into each user pause that lasts longer; null: never. */
  pauseTakeoverDelayMs: number | null;
  /** Absolute session times of short backchannels. */
  backchannelAtMs: number[];
  backchannelMs: number;
  /** Send each utterance at once (a faster-than-real-time burst) or as 20 ms chunks in real time. */
  delivery: 'burst' | 'stream';
  /** Answer delay instead of answerDelayMs when background sound is playing at the turn end; null: no change. */
  backgroundAnswerDelayMs: number | null;
  /** The answer delay grows by this much per minute of session time (planted drift for long sessions). */
  answerDelayGrowthMsPerMin: number;
  /** Declare the video capability (the runner then sends frames; the agent only counts them). */
  video: boolean;
  /** Speak this long after a visual cue appears; null: never. */
  visualReactionDelayMs: number | null;
  /** Silent when side talk, background sound or a vocal tic (inside a turn too) starts: speak this long after it ends; null: never. */
  respondToDistractorDelayMs: number | null;
  /** Speaking when side talk, background sound or a vocal tic starts: stop after stopDelayMs, as for a barge-in. */
  stopOnDistractor: boolean;
  /** After such a stop: speak again this long after the distractor ends; null: never. */
  resumeAfterDistractorMs: number | null;
  /** Speak this long after a requested time ("tell me when ten seconds have passed"); null: never. */
  timeDueDelayMs: number | null;
  /** Bring a slow task's result in this long after it is due; null: never. */
  deliverDelayMs: number | null;
  /** Interpret: render each stretch of user speech (between pauses) this long after it starts; null: never. */
  interpretLagMs: number | null;
  /** Words reported where the scenario checks content: the right ones, wrong ones, or no transcript at all. */
  content: 'right' | 'wrong' | 'none';
}

const DEFAULT_SCRIPTED: ScriptedBehaviour = {
  answerDelayMs: 430,
  answerMs: 6_000,
  stopDelayMs: 180,
  stopOnBackchannel: false,
  pauseTakeoverDelayMs: null,
  backchannelAtMs: [],
  backchannelMs: 300,
  delivery: 'burst',
  backgroundAnswerDelayMs: null,
  answerDelayGrowthMsPerMin: 0,
  video: false,
  visualReactionDelayMs: null,
  respondToDistractorDelayMs: null,
  stopOnDistractor: false,
  resumeAfterDistractorMs: null,
  timeDueDelayMs: null,
  deliverDelayMs: null,
  interpretLagMs: null,
  content: 'right',
};

const CONTENT_CHOICES: readonly ScriptedBehaviour['content'][] = ['right', 'wrong', 'none'];
/** Said for `content: wrong`: no keyword or number of any suite. */
const WRONG_LINE = 'Let me think about that for a moment.';

/** The words a `right` agent plants for a content check. */
export function plantedWords(says: Says): string {
  const words = [...(says.keywords ?? []).map((k) => (Array.isArray(k) ? k[0] : k)), ...(says.numbers ?? []).map(String)];
  return `${words.join(', ')}.`;
}

interface Spoken {
  startMs: number;
  durationMs: number;
  words: string[];
  cancel: () => void;
}

const STREAM_CHUNK_MS = 20;
/** Streamed chunks are sent this far ahead of their play time, as vendors do, so playout never runs dry. */
const STREAM_LEAD_MS = 60;

class ScriptedSession implements AdapterSession {
  /** When the agent's current utterance would finish playing, ms. */
  private speakingUntilMs = 0;
  private cancelStream: (() => void)[] = [];
  /** Interpret mode: the user speech and pauses seen so far, by action. */
  private heard = new Map<string, { startMs: number; endMs: number; pauses: { startMs: number; endMs: number }[] }>();
  /** Background sound heard so far (extents, ms). */
  private backgrounds: { startMs: number; endMs: number }[] = [];
  /** Video frames received (the agent does not look at them). */
  framesReceived = 0;
  /** Utterances with words whose transcript is not reported yet. */
  private spoken: Spoken[] = [];

  constructor(
    private readonly ctx: SessionContext,
    private readonly b: ScriptedBehaviour,
  ) {
    for (const t of b.backchannelAtMs) ctx.clock.at(t, () => this.say(b.backchannelMs));
  }

  private speaking(tMs: number): boolean {
    return this.speakingUntilMs > tMs;
  }

  /** Start an utterance now; with `says`, report its planted words (see the file comment). */
  private say(durationMs: number, says?: Says): void {
    const now = this.ctx.clock.nowMs();
    const pcm = vowelVoice(durationMs, VOICE_RATE);
    this.speakingUntilMs = now + durationMs;
    const text = says && this.b.content !== 'none' ? (this.b.content === 'right' ? plantedWords(says) : WRONG_LINE) : undefined;
    if (text) {
      const spoken: Spoken = { startMs: now, durationMs, words: text.split(' '), cancel: () => {} };
      spoken.cancel = this.ctx.clock.at(now + durationMs, () => this.report(spoken, spoken.words.length));
      this.spoken.push(spoken);
    }
    if (this.b.delivery === 'burst') {
      this.ctx.emit({ type: 'audio', pcm, sampleRate: VOICE_RATE });
      return;
    }
    const chunk = (VOICE_RATE * STREAM_CHUNK_MS) / 1000;
    for (let i = 0; i * chunk < pcm.length; i++) {
      const part = pcm.subarray(i * chunk, (i + 1) * chunk);
      const at = now + Math.max(0, i * STREAM_CHUNK_MS - STREAM_LEAD_MS);
      if (at <= now) this.ctx.emit({ type: 'audio', pcm: part, sampleRate: VOICE_RATE });
      else this.cancelStream.push(this.ctx.clock.at(at, () => this.ctx.emit({ type: 'audio', pcm: part, sampleRate: VOICE_RATE })));
    }
  }

  private stop(): void {
    for (const c of this.cancelStream) c();
    this.cancelStream = [];
    const now = this.ctx.clock.nowMs();
    this.speakingUntilMs = now;
    for (const s of [...this.spoken]) {
      s.cancel();
      this.report(s, Math.floor((s.words.length * Math.max(0, now - s.startMs)) / s.durationMs));
    }
    this.ctx.emit({ type: 'interrupted', reason: 'scripted stop' });
  }

  /** The transcript of the first `wordCount` words of an utterance (none: nothing). */
  private report(s: Spoken, wordCount: number): void {
    this.spoken = this.spoken.filter((x) => x !== s);
    if (wordCount > 0) this.ctx.emit({ type: 'transcript', role: 'agent', text: s.words.slice(0, wordCount).join(' '), final: true });
  }

  observeTruth(e: TruthEvent): void {
    const { clock } = this.ctx;
    const b = this.b;
    switch (e.type) {
      case 'user_turn_end':
        if (b.interpretLagMs !== null) this.interpret(e.actionId, b.interpretLagMs, e.says);
        if (b.answerDelayMs !== null) {
          clock.at(e.endMs + this.answerDelayAt(e.endMs, b.answerDelayMs), () => {
            if (!this.speaking(clock.nowMs())) this.say(b.answerMs);
          });
        }
        break;
      case 'user_speech':
      case 'user_backchannel':
        if (e.type === 'user_speech' && b.interpretLagMs !== null) this.heard.set(e.actionId, { startMs: e.startMs, endMs: e.endMs, pauses: [] });
        if (b.stopDelayMs === null || (e.type === 'user_backchannel' && !b.stopOnBackchannel)) break;
        // Whether the user talks over the agent is decided when the user starts.
        clock.at(e.startMs, () => {
          if (!this.speaking(e.startMs)) return;
          clock.at(e.startMs + b.stopDelayMs!, () => this.stop());
        });
        break;
      case 'user_pause':
        this.heard.get(e.actionId)?.pauses.push({ startMs: e.startMs, endMs: e.endMs });
        if (b.pauseTakeoverDelayMs !== null && e.endMs - e.startMs > b.pauseTakeoverDelayMs) {
          clock.at(e.startMs + b.pauseTakeoverDelayMs, () => this.say(b.answerMs));
        }
        break;
      case 'visual_cue':
        this.sayAt(e.startMs, b.visualReactionDelayMs);
        break;
      case 'time_due':
        this.sayAt(e.startMs, b.timeDueDelayMs, e.says);
        break;
      case 'task_due':
        this.sayAt(e.startMs, b.deliverDelayMs, e.says);
        break;
      case 'user_side_talk':
      case 'background':
      case 'user_vocal_tic':
        if (e.type === 'background') this.backgrounds.push({ startMs: e.startMs, endMs: e.endMs });
        // Whether the agent was talking is decided when the distractor starts.
        clock.at(e.startMs, () => {
          if (!this.speaking(e.startMs)) return this.sayAt(e.endMs, b.respondToDistractorDelayMs);
          if (!b.stopOnDistractor || b.stopDelayMs === null) return;
          clock.at(e.startMs + b.stopDelayMs, () => this.stop());
          this.sayAt(e.endMs, b.resumeAfterDistractorMs);
        });
        break;
      default:
        break;
    }
  }

  private answerDelayAt(turnEndMs: number, baseMs: number): number {
    const b = this.b;
    const underBackground = this.backgrounds.some((x) => x.startMs <= turnEndMs && turnEndMs < x.endMs);
    return (underBackground && b.backgroundAnswerDelayMs !== null ? b.backgroundAnswerDelayMs : baseMs) + (b.answerDelayGrowthMsPerMin * turnEndMs) / 60_000;
  }

  /** Say an answer `delayMs` after `refMs`; nothing when the delay is null. */
  private sayAt(refMs: number, delayMs: number | null, says?: Says): void {
    if (delayMs !== null) this.ctx.clock.at(refMs + delayMs, () => this.say(this.b.answerMs, says));
  }

  /** Render each stretch of the user's speech (between its pauses) `lagMs` after it starts, for as long as it lasted; the planted words go with the first. */
  private interpret(actionId: string, lagMs: number, says: Says | undefined): void {
    const speech = this.heard.get(actionId);
    if (!speech) return;
    let from = speech.startMs;
    const stretches: [number, number][] = [];
    for (const p of [...speech.pauses].sort((x, y) => x.startMs - y.startMs)) {
      stretches.push([from, p.startMs]);
      from = p.endMs;
    }
    stretches.push([from, speech.endMs]);
    stretches.forEach(([a, z], k) => this.ctx.clock.at(a + lagMs, () => this.say(z - a, k === 0 ? says : undefined)));
  }

  sendVideoFrame(): void {
    this.framesReceived++;
  }

  sendAudio(): void {
    // Deaf by design: behaviour comes from the planted truth.
  }

  async close(): Promise<void> {
    for (const c of this.cancelStream) c();
    for (const s of this.spoken) s.cancel();
  }
}

export function createScriptedAdapter(behaviour: Partial<ScriptedBehaviour> = {}): Adapter {
  const b = { ...DEFAULT_SCRIPTED, ...behaviour };
  if (!CONTENT_CHOICES.includes(b.content))
    throw new InputError(`scripted: content must be one of ${CONTENT_CHOICES.join(', ')}, got ${String(b.content)}`, { field: '--adapter-option content' });
  return {
    name: 'scripted',
    capabilities: {
      inputSampleRate: 16_000,
      video: b.video,
      transcripts: b.content !== 'none',
      serverTurnDetection: true,
      virtualTime: true,
      truncation: false,
    },
    async open(ctx) {
      // Render the voice before the session's clock runs: a first render of a 6 s answer takes
      // tens of ms, which on the live loop would delay this session's frames and its answer.
      vowelVoice(Math.max(b.answerMs, b.backchannelMs), VOICE_RATE);
      return new ScriptedSession(ctx, b);
    },
  };
}
