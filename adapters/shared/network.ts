/**
 * Network facts an adapter reports as `network` events:
 * - connect_ms: from the start of the successful connection attempt to the socket being open;
 * - first_byte_ms: from the same start to the first message from the server;
 * - rtt_ms: WebSocket ping -> pong round trip, once at open and then every `rttIntervalMs`.
 */
import type WebSocket from 'ws';
import type { AdapterEvent } from '../../harness/adapter.ts';

export class NetworkReporter {
  private firstByteSeen = false;
  private rttTimer: NodeJS.Timeout | undefined;
  private pingSentAtMs: number | undefined;
  private readonly onPong = (): void => {
    if (this.pingSentAtMs === undefined) return;
    this.emit({ type: 'network', name: 'rtt_ms', valueMs: performance.now() - this.pingSentAtMs });
    this.pingSentAtMs = undefined;
  };

  /** `startedAtMs` is performance.now() at the start of the successful connection attempt. */
  constructor(
    private readonly emit: (e: AdapterEvent) => void,
    private readonly startedAtMs: number,
  ) {}

  connected(connectMs: number): void {
    this.emit({ type: 'network', name: 'connect_ms', valueMs: connectMs });
  }

  /** Call on every server message; reports the first one. */
  message(): void {
    if (this.firstByteSeen) return;
    this.firstByteSeen = true;
    this.emit({ type: 'network', name: 'first_byte_ms', valueMs: performance.now() - this.startedAtMs });
  }

  /** Ping now and then every `intervalMs` (0: once) until `stop`. */
  startRtt(ws: WebSocket, intervalMs: number): void {
    this.stop();
    ws.on('pong', this.onPong);
    const ping = (): void => {
      if (ws.readyState !== ws.OPEN || this.pingSentAtMs !== undefined) return;
      this.pingSentAtMs = performance.now();
      ws.ping();
    };
    ping();
    if (intervalMs > 0) {
      this.rttTimer = setInterval(ping, intervalMs);
      this.rttTimer.unref();
    }
    ws.once('close', () => {
      ws.off('pong', this.onPong);
      this.stop();
    });
  }

  stop(): void {
    if (this.rttTimer) clearInterval(this.rttTimer);
    this.rttTimer = undefined;
    this.pingSentAtMs = undefined;
  }
}
