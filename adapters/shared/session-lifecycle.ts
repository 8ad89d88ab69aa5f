/**
 * The lifecycle every adapter session shares, whatever carries it (a WebSocket the harness
 * dialled, a browser page): redacted emits; a setup with a time limit that the first failure
 * ends, tearing the session down; a fatal failure mid-session -> `error` (not recoverable) +
 * `closed`, once; a run's abort closing the session; and a close() that is safe to call twice.
 *
 *   open (subclass) -> awaitSetup ... setupDone | setupFailed -> live: events -> end | close
 *
 * Subclasses own their transport: `shutdown` ends it by our choice, `abandon` drops it after a
 * fatal failure.
 */
import { AdapterError, type AdapterEvent, type SessionContext } from '../../harness/adapter.ts';
import type { Redactor } from '../../harness/redact.ts';

/** What a session that ends mid-way reports: the error (none when one was already reported) and the closed reason. */
export interface SessionEnd {
  error?: { message: string; code: string };
  closedReason: string;
}

export abstract class SessionLifecycle {
  protected readonly emit: (e: AdapterEvent) => void;
  /** Set once the session is ending by our own choice: what the transport does then is not an error. */
  protected closing = false;
  private ended = false;
  private closed: Promise<void> | undefined;
  private setup: { resolve(): void; reject(e: AdapterError): void; timer: NodeJS.Timeout } | undefined;

  constructor(
    protected readonly ctx: SessionContext,
    protected readonly redactor: Redactor,
    /** Vendor name for messages. */
    protected readonly vendor: string,
  ) {
    this.emit = (e) => ctx.emit(redactor.event(e));
    ctx.signal.addEventListener('abort', () => this.onAbort(), { once: true });
  }

  /** The run is over (or interrupted): close, as the runner will (close() is safe twice). */
  protected onAbort(): void {
    void this.close();
  }

  /**
   * Resolves when the subclass calls setupDone(); rejects on setupFailed() or after `timeoutMs`
   * (setupTimeoutMessage), once the session is torn down.
   */
  protected awaitSetup(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.setupFailed(new AdapterError(this.setupTimeoutMessage(timeoutMs), 'infrastructure')), timeoutMs);
      this.setup = { resolve, reject, timer };
    }).catch(async (e: unknown) => {
      await this.close();
      throw e;
    });
  }

  /** What a setup that ran out of time reports. */
  protected setupTimeoutMessage(timeoutMs: number): string {
    return `${this.vendor}: no answer to setup within ${timeoutMs} ms`;
  }

  protected get inSetup(): boolean {
    return this.setup !== undefined;
  }

  protected setupDone(): void {
    const s = this.setup;
    if (!s) return;
    this.setup = undefined;
    clearTimeout(s.timer);
    s.resolve();
  }

  /** The first failure ends the setup, and the session: what fails after it is not reported. */
  protected setupFailed(e: AdapterError): void {
    const s = this.setup;
    if (!s) return;
    this.setup = undefined;
    this.closing = true;
    clearTimeout(s.timer);
    s.reject(new AdapterError(this.redactor.text(e.message), e.kind, e.recoverable));
  }

  /**
   * A fatal failure: during setup, the setup fails with it (as `kind`); mid-session, error (not
   * recoverable) + closed, and the transport dropped. Ignored once we are closing.
   */
  protected fail(message: string, code: string, kind: AdapterError['kind'] = 'protocol'): void {
    if (this.inSetup) {
      this.setupFailed(new AdapterError(message, kind));
      return;
    }
    if (this.closing) return;
    this.end({ error: { message, code }, closedReason: message });
    this.closing = true;
    void this.abandon();
  }

  /** The session is over, reported once: its error (if any), then closed. */
  protected end(how: SessionEnd): void {
    if (this.ended) return;
    this.ended = true;
    if (how.error) this.emit({ type: 'error', message: how.error.message, recoverable: false, code: how.error.code });
    this.emit({ type: 'closed', reason: how.closedReason });
  }

  /** How our own close ends the transport. */
  protected abstract shutdown(): Promise<void>;

  /** How a fatal failure mid-session drops the transport. */
  protected abstract abandon(): Promise<void>;

  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      await this.shutdown();
    })();
    return this.closed;
  }
}
