/** The transport-free session lifecycle, on a session whose transport only counts what is done to it. */
import { describe, expect, it } from 'vitest';
import { AdapterError, type AdapterEvent } from '../../harness/adapter.ts';
import { RealClock } from '../../harness/clock.ts';
import { Redactor } from '../../harness/redact.ts';
import { SessionLifecycle } from './session-lifecycle.ts';

const SECRET = 'sk-lifecycle-secret';

class CountingSession extends SessionLifecycle {
  shutdowns = 0;
  abandons = 0;

  constructor(
    readonly events: AdapterEvent[],
    readonly run: AbortController,
  ) {
    super(
      { clock: new RealClock(), emit: (e) => events.push(e), scenarioId: 'lifecycle', options: {}, signal: run.signal },
      new Redactor([SECRET]),
      'counting',
    );
  }

  opening(timeoutMs: number): Promise<void> {
    return this.awaitSetup(timeoutMs);
  }
  ready(): void {
    this.setupDone();
  }
  broke(message: string): void {
    this.fail(message, 'broken', 'infrastructure');
  }
  protected async shutdown(): Promise<void> {
    this.shutdowns++;
  }
  protected async abandon(): Promise<void> {
    this.abandons++;
  }
}

const session = () => new CountingSession([], new AbortController());

describe('session lifecycle', () => {
  it('setup: the first failure wins, redacted, and the session is torn down once', async () => {
    const s = session();
    const setup = s.opening(10_000);
    s.broke(`refused ${SECRET}`);
    s.broke('a second failure');
    await expect(setup).rejects.toEqual(new AdapterError('refused [redacted]', 'infrastructure'));
    expect(s.shutdowns).toBe(1);
    expect(s.events).toEqual([]);
    // A failure after the setup failed is not reported: the session is closing.
    s.broke('late');
    expect(s.events).toEqual([]);
  });

  it('setup: no answer within the limit fails it as infrastructure', async () => {
    const s = session();
    await expect(s.opening(5)).rejects.toEqual(new AdapterError('counting: no answer to setup within 5 ms', 'infrastructure'));
    expect(s.shutdowns).toBe(1);
  });

  it('mid-session: a fatal failure is one error (not recoverable) and closed, and the transport is dropped', async () => {
    const s = session();
    const setup = s.opening(10_000);
    s.ready();
    await setup;
    s.broke(`gone ${SECRET}`);
    s.broke('again');
    expect(s.events).toEqual([
      { type: 'error', message: 'gone [redacted]', recoverable: false, code: 'broken' },
      { type: 'closed', reason: 'gone [redacted]' },
    ]);
    expect(s.abandons).toBe(1);
  });

  it('our own close is not a failure: closing twice shuts down once, and a failure then is not reported', async () => {
    const s = session();
    await Promise.all([s.close(), s.close()]);
    await s.close();
    expect(s.shutdowns).toBe(1);
    s.broke('while closing');
    expect(s.events).toEqual([]);
    expect(s.abandons).toBe(0);
  });

  it("the run's abort closes the session", async () => {
    const s = session();
    s.run.abort();
    await s.close();
    expect(s.shutdowns).toBe(1);
  });
});
