/**
 * One session through a web page: a fresh browser context with the page script injected, the
 * page loaded and started, the page clock measured; then user frames go in through the injected
 * microphone and what the page plays comes out on the session clock. The lifecycle (setup time
 * limit, first failure wins, fatal -> error + closed, abort, close twice) is the one every
 * session shares (adapters/shared/session-lifecycle.ts), as the ws client's is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AdapterError, type AdapterSession, type InstrumentLateness, type SessionContext } from '../../harness/adapter.ts';
import { Redactor } from '../../harness/redact.ts';
import { SessionLifecycle } from '../shared/session-lifecycle.ts';
import { ClockSync, type ClockEstimate } from './clock-sync.ts';
import { distMs } from './dist.ts';
import { InjectedFrames } from './injected-frames.ts';
import type { LinkServer, PageLink } from './link.ts';
import { encodeMicFrame, encodeVideoFrame, type PageMessage, type PlayedChunk } from './link-protocol.ts';
import type { BrowserAdapterOptions } from './options.ts';
import { PlayedAudio } from './played-audio.ts';

/** Initial clock exchanges before the session starts, and how often to re-measure during it. */
const SYNC_PINGS = 12;
const SYNC_INTERVAL_MS = 1_000;
/** Timing facts are recorded this often (the runner takes no events after the session ends). */
const STATS_INTERVAL_MS = 2_000;

const pageDir = join(import.meta.dirname, 'page');
const read = (name: string) => readFileSync(join(pageDir, name), 'utf8');

function initScript(linkUrl: string, micSampleRate: number, micLeadMs: number): string {
  const config = { linkUrl, micSampleRate, micLeadMs, micWorklet: read('mic-worklet.js'), recorderWorklet: read('recorder-worklet.js') };
  return `(function (CROSSTALK) {\n${read('inject.js')}\n})(${JSON.stringify(config)});`;
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];
const asAdapterError = (e: unknown) => (e instanceof AdapterError ? e : new AdapterError(`browser: ${firstLine(e)}`, 'infrastructure'));
const round = (v: number) => Math.round(v * 1000) / 1000;

export async function openPageSession(
  browser: Browser,
  links: LinkServer,
  opts: BrowserAdapterOptions,
  micSampleRate: number,
  ctx: SessionContext,
): Promise<AdapterSession> {
  const link = links.expect();
  const context = await browser.newContext({ bypassCSP: true, permissions: opts.permission === 'grant' ? ['microphone', 'camera'] : [] }).catch((e) => {
    link.close();
    throw new AdapterError(`browser: cannot open a browser context: ${firstLine(e)}`, 'infrastructure');
  });
  const session = new PageSession(link, context, opts, ctx);
  await session.open(micSampleRate);
  return session;
}

class PageSession extends SessionLifecycle implements AdapterSession {
  private readonly sync = new ClockSync();
  private readonly played: PlayedAudio;
  private readonly timers: NodeJS.Timeout[] = [];
  /** Clock pings in flight, by id. */
  private readonly pings = new Map<number, { sentMs: number; done: () => void }>();
  private pingId = 0;
  /** The clock estimate the session started on (drift is measured from it). */
  private startEstimate: ClockEstimate | undefined;
  /** What the opening is waiting for (named if it runs out of time), and until when (performance.now()). */
  private openingStep = '';
  private openDeadlineMs = 0;
  private micGranted = false;
  private grantMic: () => void = () => {};
  private readonly micReady = new Promise<void>((resolve) => (this.grantMic = resolve));
  // Timing facts, recorded as browser.stats.
  private readonly inputLatencyMs: number[] = [];
  private readonly frames = new InjectedFrames();
  private micCounters = { lateFrames: 0, lostSamples: 0, reanchors: 0 };
  private chunksBeforeStart = 0;
  private seq = 0;
  private videoIndex = 0;

  constructor(
    private readonly link: PageLink,
    private readonly context: BrowserContext,
    private readonly opts: BrowserAdapterOptions,
    ctx: SessionContext,
  ) {
    super(ctx, new Redactor([]), 'browser');
    this.played = new PlayedAudio(ctx.clock, this.emit);
    link.onMessage((m) => this.onPageMessage(m));
    link.onPlayed((chunk) => this.onPlayed(chunk));
  }

  /** Load and start the page, wait for its microphone, measure its clock; then go live. */
  async open(micSampleRate: number): Promise<void> {
    let page: Page;
    try {
      await this.context.addInitScript({ content: initScript(this.link.url, micSampleRate, this.opts.micLeadMs) });
      page = await this.context.newPage();
    } catch (e) {
      await this.close();
      throw asAdapterError(e);
    }
    this.watch(page);
    this.openDeadlineMs = performance.now() + this.opts.openTimeoutMs;
    const opened = this.awaitSetup(this.opts.openTimeoutMs);
    this.startPage(page, opened).then(
      () => this.setupDone(),
      (e: unknown) => this.setupFailed(asAdapterError(e)),
    );
    await opened;
    this.goLive();
  }

  /** The opening's steps, in order; each gives up when the opening has failed or run out of time. */
  private async startPage(page: Page, opened: Promise<void>): Promise<void> {
    const { opts } = this;
    const step = <T>(what: string, p: Promise<T>): Promise<T | void> => {
      this.openingStep = what;
      return Promise.race([p, opened]);
    };
    const left = () => Math.max(1, this.openDeadlineMs - performance.now());
    await step(`the page ${opts.url} did not load`, page.goto(opts.url, { timeout: left(), waitUntil: 'load' })).catch((e) => {
      throw e instanceof AdapterError ? e : new AdapterError(`browser: cannot load ${opts.url}: ${firstLine(e)}`, 'infrastructure');
    });
    if (opts.startSelector) {
      const sel = opts.startSelector;
      await step(`the start step ${JSON.stringify(sel)} could not be clicked`, page.click(sel, { timeout: left() })).catch((e) => {
        throw e instanceof AdapterError
          ? e
          : new AdapterError(`browser: cannot click the start step ${JSON.stringify(sel)}: ${firstLine(e)}`, 'infrastructure');
      });
    }
    const hint = opts.startSelector ? '' : ' If it needs a click first, give --adapter-option startSelector=...';
    await step(`the page did not connect back to the harness (does it block WebSockets to 127.0.0.1?)`, this.link.connected);
    await step(`the page did not take the microphone (getUserMedia).${hint}`, this.micReady);
    if (opts.readySelector)
      await step(`the page did not show ${JSON.stringify(opts.readySelector)} (readySelector)`, page.waitForSelector(opts.readySelector, { timeout: left() }));
    for (let i = 0; i < SYNC_PINGS; i++) await step('the page did not answer clock pings', this.ping());
  }

  protected override setupTimeoutMessage(): string {
    return `browser: ${this.openingStep} within ${this.opts.openTimeoutMs} ms (openTimeoutMs)`;
  }

  /** Aborted while opening: the opening fails; once live, the session closes. */
  protected override onAbort(): void {
    if (this.inSetup) this.setupFailed(new AdapterError('browser: aborted while opening the page', 'infrastructure'));
    else void this.close();
  }

  /** The page's own failures: a crash or a close is fatal, a thrown error as pageErrors says. */
  private watch(page: Page): void {
    page.on('pageerror', (err) => {
      const message = `the page threw: ${firstLine(err)}`;
      if (this.opts.pageErrors === 'fatal') this.fail(`browser: ${message}`, 'pageerror');
      else if (!this.closing) this.emit({ type: 'error', message: `browser: ${message}`, recoverable: true, code: 'pageerror' });
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning')
        this.emit({ type: 'vendor', name: 'browser.console', payload: { level: msg.type(), text: msg.text().slice(0, 500) } });
    });
    page.on('crash', () => this.fail('browser: the page crashed', 'page_crash', 'infrastructure'));
    page.on('close', () => this.fail('browser: the page was closed', 'page_closed', 'infrastructure'));
  }

  private goLive(): void {
    this.startEstimate = this.sync.estimate();
    this.emit({ type: 'network', name: 'rtt_ms', valueMs: this.startEstimate!.rttMs });
    this.emit({ type: 'vendor', name: 'browser.clock', payload: this.clockFacts() });
    this.timers.push(setInterval(() => void this.ping(), SYNC_INTERVAL_MS));
    this.timers.push(setInterval(() => this.recordStats(), STATS_INTERVAL_MS));
  }

  /** One clock exchange with the page; resolves on its pong. */
  private ping(): Promise<void> {
    return new Promise<void>((done) => {
      const id = ++this.pingId;
      this.pings.set(id, { sentMs: performance.now(), done });
      this.link.send(JSON.stringify({ type: 'ping', id }));
    });
  }

  private onPageMessage(m: PageMessage): void {
    switch (m.type) {
      case 'pong': {
        const p = this.pings.get(m.id);
        if (!p) return;
        this.pings.delete(m.id);
        this.sync.add({ sentMs: p.sentMs, receivedMs: performance.now(), pageMs: m.pageMs });
        p.done();
        return;
      }
      case 'gum.granted':
        if (m.audio) {
          this.micGranted = true;
          this.grantMic();
        }
        return;
      case 'gum.refused':
        this.fail(
          `browser: the page's microphone request was refused (${m.name}: ${m.message}). The adapter grants the microphone unless permission=deny.`,
          'mic_refused',
        );
        return;
      case 'mic.frame': {
        const sent = this.frames.started(m.seq);
        const est = this.sync.estimate();
        this.micCounters = { lateFrames: m.lateFrames, lostSamples: m.lostSamples, reanchors: m.reanchors };
        if (sent !== undefined && est) this.inputLatencyMs.push(m.pageMs - est.offsetMs - sent);
        return;
      }
      case 'mic.late':
        this.frames.late(m.seq, m.lateMs);
        return;
      case 'mic.moved':
        this.frames.moved(m.seq, m.movedMs);
        return;
      case 'warning':
        this.emit({ type: 'vendor', name: 'browser.warning', payload: { message: m.message } });
        return;
      default:
        this.emit({ type: 'vendor', name: `browser.${m.type}`, payload: m });
    }
  }

  private onPlayed(chunk: PlayedChunk): void {
    const est = this.sync.estimate();
    // Before the session clock runs there is no conversation to put it on (a page's greeting).
    if (this.ctx.clock.mode !== 'real' || !est || this.closing) {
      this.chunksBeforeStart++;
      return;
    }
    const sessionMs = chunk.pageMs - est.offsetMs - performance.now() + this.ctx.clock.nowMs();
    this.played.push(chunk.pcm, chunk.sampleRate, sessionMs);
  }

  private clockFacts() {
    const now = this.sync.estimate();
    const start = this.startEstimate;
    return now && { offsetMs: round(now.offsetMs), rttMs: round(now.rttMs), exchanges: now.samples, driftMs: start ? round(now.offsetMs - start.offsetMs) : 0 };
  }

  private recordStats(): void {
    this.emit({
      type: 'vendor',
      name: 'browser.stats',
      payload: {
        clock: this.clockFacts(),
        inputLatencyMs: distMs(this.inputLatencyMs),
        mic: this.micCounters,
        played: this.played.stats(),
        chunksBeforeStart: this.chunksBeforeStart,
      },
    });
  }

  sendAudio(pcm: Int16Array, tMs: number): void {
    if (this.closing || !this.micGranted) return;
    const n = this.seq++;
    const sentMs = performance.now();
    this.frames.sent(n, sentMs, tMs);
    this.link.send(encodeMicFrame(n, sentMs + this.sync.estimate()!.offsetMs, pcm));
  }

  instrumentLateness(): readonly InstrumentLateness[] {
    return this.frames.lateness;
  }

  sendVideoFrame(jpeg: Uint8Array): void {
    if (!this.closing) this.link.send(encodeVideoFrame(this.videoIndex++, jpeg));
  }

  /** Our own close: stop the clock and stats, drop the link, close the browser context. */
  protected async shutdown(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.link.close();
    await this.context.close().catch(() => {});
  }

  /** After a fatal failure the page is of no more use: the same as our own close. */
  protected abandon(): Promise<void> {
    return this.close();
  }
}
