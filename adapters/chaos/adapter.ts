/**
 * `chaos:<inner>`: any adapter with faults injected between it and the runner, on the session
 * clock, as a chaos plan says (plan.ts). It shows what the harness does when a system or its
 * network misbehaves: every session still ends with a status and a reason, and its recording
 * is kept. Each fault leaves a `vendor` event named `chaos` in the recording when it strikes,
 * so a reader can tell injected faults from real ones.
 *
 * Faults act on what crosses the adapter boundary (events out, user audio in), so they work on
 * every adapter, in-process or networked, in real and virtual time. A disconnect or a close
 * also closes the inner session, so a networked system really sees the connection go.
 */
import type { Adapter, AdapterEvent, AdapterSession, SessionContext } from '../../harness/adapter.ts';
import type { ChaosFault, ChaosPlan } from './plan.ts';
import { seededRandom } from '../../harness/stats.ts';

/** Names of the close codes vendors use (RFC 6455 and the registry; 4xxx are application codes). */
const CLOSE_NAMES: Record<number, string> = {
  1000: 'normal closure',
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1006: 'abnormal closure',
  1007: 'invalid payload data',
  1008: 'policy violation',
  1009: 'message too big',
  1011: 'internal error',
  1012: 'service restart',
  1013: 'try again later',
  1014: 'bad gateway',
};

/** A broken vendor message, parsed for real so the error carries the parser's own words. */
const MALFORMED_MESSAGE = '{"type":"response.output_audio.delta","delta":"UklGRiQAAABXQVZFZm10IBAAAAABAAEA';

export function createChaosAdapter(inner: Adapter, plan: ChaosPlan): Adapter {
  return {
    name: `chaos:${inner.name}`,
    capabilities: inner.capabilities,
    async open(ctx: SessionContext): Promise<AdapterSession> {
      if (plan.match && !plan.match.test(ctx.scenarioId)) return inner.open(ctx);
      const chaos = new ChaosSession(ctx, plan);
      const session = await inner.open({ ...ctx, emit: (e) => chaos.fromInner(e) });
      return chaos.wrap(session);
    },
    dispose: inner.dispose ? () => inner.dispose!() : undefined,
  };
}

class ChaosSession {
  private inner: AdapterSession | undefined;
  /** Set once the connection is gone: nothing more passes either way. */
  private dead = false;
  /** Events and user audio held during a stall, in order. */
  private held: (() => void)[] | undefined;
  private armed = false;
  private readonly random: () => number;

  constructor(
    private readonly ctx: SessionContext,
    private readonly plan: ChaosPlan,
  ) {
    this.random = seededRandom(plan.seed);
  }

  wrap(inner: AdapterSession): AdapterSession {
    this.inner = inner;
    const session: AdapterSession = {
      sendAudio: (pcm, tMs) => this.sendAudio(pcm, tMs),
      close: () => inner.close(),
    };
    if (inner.sendVideoFrame) session.sendVideoFrame = (jpeg, tMs) => this.pass(() => inner.sendVideoFrame!(jpeg, tMs));
    if (inner.playoutFlushed) session.playoutFlushed = (f) => inner.playoutFlushed!(f);
    if (inner.observeTruth) session.observeTruth = (e) => inner.observeTruth!(e);
    return session;
  }

  /** An event from the inner adapter on its way to the runner. */
  fromInner(e: AdapterEvent): void {
    if (this.dead) return;
    if (this.held) {
      this.held.push(() => this.fromInner(e));
      return;
    }
    if (e.type === 'audio') {
      const now = this.ctx.clock.nowMs();
      let pcm = e.pcm;
      let sampleRate = e.sampleRate;
      if (this.active('corrupt', now).length > 0) pcm = this.corrupt(pcm);
      for (const f of this.active('truncate', now)) {
        const kept = Math.floor(pcm.length * this.random());
        this.ctx.emit({
          type: 'error',
          message: `agent audio message cut short: ${kept} of ${pcm.length} samples arrived (chaos truncate at ${f.atMs} ms)`,
          recoverable: true,
          code: 'truncated_frame',
        });
        pcm = pcm.subarray(0, kept);
      }
      // A chunk cut to nothing arrives as nothing: its error stands, an empty audio event would not.
      if (pcm.length === 0) return;
      for (const f of this.active('wrong_rate', now)) sampleRate = f.value!;
      this.ctx.emit({ type: 'audio', pcm, sampleRate });
      return;
    }
    this.ctx.emit(e);
  }

  private sendAudio(pcm: Int16Array, tMs: number): void | Promise<void> {
    if (!this.armed) this.arm();
    const slow = this.active('slow_read', tMs)[0];
    if (slow) {
      // The system takes this frame `delay` ms late; the runner's pacing is not held up.
      this.ctx.clock.at(tMs + slow.value!, () => void this.pass(() => this.inner!.sendAudio(pcm, tMs)));
      return;
    }
    return this.pass(() => this.inner!.sendAudio(pcm, tMs));
  }

  /** Run `send` now, or after the stall, or never once the connection is gone. */
  private pass(send: () => void | Promise<void>): void | Promise<void> {
    if (this.dead) return;
    if (this.held) {
      this.held.push(() => void send());
      return;
    }
    return send();
  }

  /** Fault timers start with the first frame, when the session clock is running. */
  private arm(): void {
    this.armed = true;
    const { clock } = this.ctx;
    for (const f of this.plan.faults) {
      clock.at(f.atMs, () => this.strike(f));
      if (f.kind === 'stall') clock.at(f.atMs + f.forMs, () => this.release());
    }
  }

  private strike(f: ChaosFault): void {
    if (this.dead) return;
    this.ctx.emit({ type: 'vendor', name: 'chaos', payload: { fault: f.kind, atMs: f.atMs, forMs: f.forMs || undefined, value: f.value } });
    switch (f.kind) {
      case 'disconnect':
        this.cut();
        this.ctx.emit({ type: 'error', message: `connection lost at ${f.atMs} ms (chaos disconnect)`, recoverable: false, code: 'disconnect' });
        break;
      case 'close':
        this.cut();
        this.ctx.emit({
          type: 'closed',
          reason: `close code ${f.value} (${CLOSE_NAMES[f.value!] ?? (f.value! >= 4000 ? 'application code' : 'unassigned')}) at ${f.atMs} ms (chaos close)`,
        });
        break;
      case 'stall':
        this.held ??= [];
        break;
      case 'malformed_json':
        this.ctx.emit({
          type: 'error',
          message: `unparsable message from the system, skipped: ${parseError(MALFORMED_MESSAGE)} (chaos malformed_json)`,
          recoverable: true,
          code: 'malformed_json',
        });
        break;
      default:
        // Windowed faults act on traffic while active (fromInner, sendAudio).
        break;
    }
  }

  private release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const deliver of held) deliver();
  }

  /** The connection is gone: drop everything, close the inner session (best effort). */
  private cut(): void {
    this.dead = true;
    this.held = undefined;
    this.inner?.close().catch(() => undefined);
  }

  private active(kind: ChaosFault['kind'], tMs: number): ChaosFault[] {
    return this.plan.faults.filter((f) => f.kind === kind && tMs >= f.atMs && tMs < f.atMs + f.forMs);
  }

  /** About one sample in eight replaced by a random value: damaged, not silenced. */
  private corrupt(pcm: Int16Array): Int16Array {
    const out = Int16Array.from(pcm);
    for (let i = 0; i < out.length; i++) if (this.random() < 0.125) out[i] = Math.floor(this.random() * 65_536) - 32_768;
    return out;
  }
}

function parseError(text: string): string {
  try {
    JSON.parse(text);
    return 'no error';
  } catch (e) {
    return (e as Error).message;
  }
}
