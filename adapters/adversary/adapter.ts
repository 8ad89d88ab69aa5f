/**
 * `adversary`: content-free and rule-breaking agents that try to win crosstalk's metrics without
 * conversing. The scorer must fail each of them on the families it games (`npm run bench --
 * adversaries`, harness/scoring and test/adversaries.test.ts). Like `scripted`, they read the
 * planted truth (so they know to the sample when the user stops: a stronger cheat than any real
 * system) and run in real or virtual time.
 *
 *   silent        sends nothing
 *   hum           50 Hz mains hum with harmonics, -30 dBFS, from the first moment to the last
 *   noise-blips   120 ms of -40 dBFS white noise 200 ms after the user stops or pauses, and again
 *                 every second of user silence
 *   dc-blips      the same blips as a constant sample value of 200 (0 Hz: nobody hears it)
 *   buzz          a 150 Hz square buzz in 800 ms chunks with 150 ms gaps, never yielding
 *   echo          the user's own audio played back 1 s later
 *   canned        one recorded sentence of real speech every 6 s from 1 s, ignoring the user
 *   talk-over     the recorded sentence back to back, from the first moment to the last
 *   yield-all     stops 100 ms into any user sound (backchannels, side talk, background, tics too) and
 *                 answers 300 ms into any user silence (pauses too) with the recorded sentence
 */
import type { Adapter, AdapterSession, SessionContext, TruthEvent } from '../../harness/adapter.ts';
import { InputError } from '../../harness/errors.ts';
import { ADVERSARY_RATE, buzz, cannedSpeech, dcBlip, hum, whiteNoise } from './signals.ts';

export const ADVERSARIES = ['silent', 'hum', 'noise-blips', 'dc-blips', 'buzz', 'echo', 'canned', 'talk-over', 'yield-all'] as const;
type AdversaryKind = (typeof ADVERSARIES)[number];

const BLIP_MS = 120;
const BLIP_AFTER_MS = 200;
const BLIP_EVERY_MS = 1000;
const CHUNK_MS = 1000;
const ECHO_DELAY_MS = 1000;
const CANNED_FROM_MS = 1000;
const CANNED_EVERY_MS = 6000;
const YIELD_AFTER_MS = 100;
const ANSWER_AFTER_MS = 300;

/** User sound the agent hears (speech, backchannels, side talk, background, vocal tics), from the planted truth. */
const HEARD: readonly TruthEvent['type'][] = ['user_speech', 'user_backchannel', 'user_side_talk', 'background', 'user_vocal_tic'];

class AdversarySession implements AdapterSession {
  private readonly sounds: { startMs: number; endMs: number }[] = [];
  private readonly pauses: { startMs: number; endMs: number }[] = [];
  private readonly cancels: (() => void)[] = [];
  private closed = false;
  private speakingUntilMs = 0;

  constructor(
    private readonly ctx: SessionContext,
    private readonly kind: AdversaryKind,
    private readonly speech: Int16Array,
  ) {
    const speechMs = (speech.length * 1000) / ADVERSARY_RATE;
    if (kind === 'hum') this.repeat(0, CHUNK_MS, () => this.emit(hum(CHUNK_MS, -30)));
    if (kind === 'buzz') this.repeat(0, 950, () => this.emit(buzz(800, 150, 6000)));
    if (kind === 'canned') this.repeat(CANNED_FROM_MS, CANNED_EVERY_MS, () => this.say());
    if (kind === 'talk-over') this.repeat(0, speechMs, () => this.say());
  }

  private at(tMs: number, fn: () => void): void {
    if (this.closed) return;
    this.cancels.push(
      this.ctx.clock.at(tMs, () => {
        if (!this.closed) fn();
      }),
    );
  }

  private repeat(fromMs: number, everyMs: number, fn: () => void): void {
    const tick = (tMs: number) => {
      fn();
      this.at(tMs + everyMs, () => tick(tMs + everyMs));
    };
    this.at(fromMs, () => tick(fromMs));
  }

  private emit(pcm: Int16Array): void {
    this.ctx.emit({ type: 'audio', pcm, sampleRate: ADVERSARY_RATE });
  }

  private say(): void {
    this.emit(this.speech);
    this.speakingUntilMs = this.ctx.clock.nowMs() + (this.speech.length * 1000) / ADVERSARY_RATE;
  }

  private userSilentAt(tMs: number): boolean {
    const inPause = this.pauses.some((p) => p.startMs <= tMs && tMs < p.endMs);
    return inPause || !this.sounds.some((s) => s.startMs <= tMs && tMs < s.endMs);
  }

  /** Blips from `fromMs` on, every second, for as long as the user stays silent. */
  private blipsFrom(fromMs: number): void {
    const blip = () => (this.kind === 'noise-blips' ? whiteNoise(BLIP_MS, -40, Math.round(fromMs)) : dcBlip(BLIP_MS, 200));
    const tick = (tMs: number) => {
      if (!this.userSilentAt(tMs)) return;
      this.emit(blip());
      this.at(tMs + BLIP_EVERY_MS, () => tick(tMs + BLIP_EVERY_MS));
    };
    this.at(fromMs, () => tick(fromMs));
  }

  observeTruth(e: TruthEvent): void {
    if (HEARD.includes(e.type)) this.sounds.push({ startMs: e.startMs, endMs: e.endMs });
    if (e.type === 'user_pause') this.pauses.push({ startMs: e.startMs, endMs: e.endMs });
    const silenceStarts = e.type === 'user_pause' ? e.startMs : HEARD.includes(e.type) ? e.endMs : undefined;
    if (silenceStarts === undefined) return;
    if (this.kind === 'noise-blips' || this.kind === 'dc-blips') this.blipsFrom(silenceStarts + BLIP_AFTER_MS);
    if (this.kind === 'yield-all') {
      const soundStarts = e.type === 'user_pause' ? e.endMs : e.startMs;
      this.at(soundStarts + YIELD_AFTER_MS, () => this.yieldFloor());
      this.at(silenceStarts + ANSWER_AFTER_MS, () => {
        if (this.userSilentAt(this.ctx.clock.nowMs())) this.say();
      });
    }
  }

  private yieldFloor(): void {
    if (this.speakingUntilMs <= this.ctx.clock.nowMs()) return;
    this.speakingUntilMs = this.ctx.clock.nowMs();
    this.ctx.emit({ type: 'interrupted', reason: 'adversary yields' });
  }

  sendAudio(pcm: Int16Array, tMs: number): void {
    if (this.kind === 'echo') {
      const copy = pcm.slice();
      this.at(tMs + ECHO_DELAY_MS, () => this.emit(copy));
    }
  }

  sendVideoFrame(): void {}

  async close(): Promise<void> {
    this.closed = true;
    for (const cancel of this.cancels.splice(0)) cancel();
  }
}

export function createAdversaryAdapter(kind: string): Adapter {
  if (!(ADVERSARIES as readonly string[]).includes(kind)) {
    throw new InputError(`unknown adversary "${kind}"`, { field: '--adapter-option kind', hint: `One of: ${ADVERSARIES.join(', ')}.` });
  }
  return {
    name: `adversary:${kind}`,
    capabilities: { inputSampleRate: ADVERSARY_RATE, video: true, transcripts: false, serverTurnDetection: true, virtualTime: true, truncation: false },
    async open(ctx) {
      return new AdversarySession(ctx, kind as AdversaryKind, await cannedSpeech());
    },
  };
}
