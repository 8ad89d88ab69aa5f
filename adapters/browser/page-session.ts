/**
 * One session through a web page: a fresh browser context with the page script injected,
 * the page loaded and started, the page clock measured; then user frames go in through the
 * injected microphone and what the page plays comes out on the session clock.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AdapterError, type AdapterSession, type SessionContext } from '../../harness/adapter.ts';
import { ClockSync, type ClockEstimate } from './clock-sync.ts';
import { distMs } from './dist.ts';
import type { LinkServer, PageLink } from './link.ts';
import { encodeMicFrame, encodeVideoFrame, type PageMessage } from './link-protocol.ts';
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
  const sync = new ClockSync();
  const played = new PlayedAudio(ctx.clock, ctx.emit);
  const inputLatencyMs: number[] = [];
  const sentAtMs = new Map<number, number>();
  let micCounters = { lateFrames: 0, lostSamples: 0, reanchors: 0 };
  let micGranted = false;
  let open = false;
  let closed = false;
  let chunksBeforeStart = 0;
  let seq = 0;
  let videoIndex = 0;
  const timers: NodeJS.Timeout[] = [];

  // Anything that must end the opening: the first one wins.
  let failOpen: (e: AdapterError) => void = () => {};
  const openFailed = new Promise<never>((_, reject) => (failOpen = reject));
  openFailed.catch(() => {});
  const fatal = (message: string, code: string, kind: AdapterError['kind']) => {
    if (!open) failOpen(new AdapterError(`browser: ${message}`, kind));
    else if (!closed) ctx.emit({ type: 'error', message: `browser: ${message}`, recoverable: false, code });
  };
  let granted: () => void = () => {};
  const micReady = new Promise<void>((r) => (granted = r));

  const pings = new Map<number, { sentMs: number; done: () => void }>();
  let pingId = 0;
  const ping = () =>
    new Promise<void>((done) => {
      const id = ++pingId;
      pings.set(id, { sentMs: performance.now(), done });
      link.send(JSON.stringify({ type: 'ping', id }));
    });

  link.onMessage((m: PageMessage) => {
    switch (m.type) {
      case 'pong': {
        const p = pings.get(m.id);
        if (!p) return;
        pings.delete(m.id);
        sync.add({ sentMs: p.sentMs, receivedMs: performance.now(), pageMs: m.pageMs });
        p.done();
        return;
      }
      case 'gum.granted':
        if (m.audio) {
          micGranted = true;
          granted();
        }
        return;
      case 'gum.refused':
        fatal(
          `the page's microphone request was refused (${m.name}: ${m.message}). The adapter grants the microphone unless permission=deny.`,
          'mic_refused',
          'protocol',
        );
        return;
      case 'mic.frame': {
        const sent = sentAtMs.get(m.seq);
        const est = sync.estimate();
        sentAtMs.delete(m.seq);
        micCounters = { lateFrames: m.lateFrames, lostSamples: m.lostSamples, reanchors: m.reanchors };
        if (sent !== undefined && est) inputLatencyMs.push(m.pageMs - est.offsetMs - sent);
        return;
      }
      case 'warning':
        ctx.emit({ type: 'vendor', name: 'browser.warning', payload: { message: m.message } });
        return;
      default:
        ctx.emit({ type: 'vendor', name: `browser.${m.type}`, payload: m });
    }
  });

  link.onPlayed((chunk) => {
    const est = sync.estimate();
    // Before the session clock runs there is no conversation to put it on (a page's greeting).
    if (ctx.clock.mode !== 'real' || !est || closed) {
      chunksBeforeStart++;
      return;
    }
    const sessionMs = chunk.pageMs - est.offsetMs - performance.now() + ctx.clock.nowMs();
    played.push(chunk.pcm, chunk.sampleRate, sessionMs);
  });

  const clockFacts = (start: ClockEstimate | undefined) => {
    const now = sync.estimate();
    return now && { offsetMs: round(now.offsetMs), rttMs: round(now.rttMs), exchanges: now.samples, driftMs: start ? round(now.offsetMs - start.offsetMs) : 0 };
  };
  let startEstimate: ClockEstimate | undefined;
  const recordStats = () =>
    ctx.emit({
      type: 'vendor',
      name: 'browser.stats',
      payload: { clock: clockFacts(startEstimate), inputLatencyMs: distMs(inputLatencyMs), mic: micCounters, played: played.stats(), chunksBeforeStart },
    });

  let page: Page | undefined;
  const closeAll = async () => {
    closed = true;
    for (const t of timers) clearInterval(t);
    link.close();
    await context.close().catch(() => {});
  };

  try {
    await context.addInitScript({ content: initScript(link.url, micSampleRate, opts.micLeadMs) });
    page = await context.newPage();
    page.on('pageerror', (err) => {
      const message = `the page threw: ${firstLine(err)}`;
      if (opts.pageErrors === 'fatal') fatal(message, 'pageerror', 'protocol');
      else if (!closed) ctx.emit({ type: 'error', message: `browser: ${message}`, recoverable: true, code: 'pageerror' });
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning')
        ctx.emit({ type: 'vendor', name: 'browser.console', payload: { level: msg.type(), text: msg.text().slice(0, 500) } });
    });
    page.on('crash', () => fatal('the page crashed', 'page_crash', 'infrastructure'));
    page.on('close', () => fatal('the page was closed', 'page_closed', 'infrastructure'));
    const onAbort = () => failOpen(new AdapterError('browser: aborted while opening the page', 'infrastructure'));
    ctx.signal.addEventListener('abort', onAbort, { once: true });

    const deadline = performance.now() + opts.openTimeoutMs;
    const left = () => Math.max(1, deadline - performance.now());
    const step = async <T>(what: string, p: Promise<T>): Promise<T> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AdapterError(`browser: ${what} within ${opts.openTimeoutMs} ms (openTimeoutMs)`, 'infrastructure')), left());
      });
      try {
        return await Promise.race([p, openFailed, timeout]);
      } finally {
        clearTimeout(timer);
      }
    };

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
    await step(`the page did not connect back to the harness (does it block WebSockets to 127.0.0.1?)`, link.connected);
    await step(`the page did not take the microphone (getUserMedia).${hint}`, micReady);
    if (opts.readySelector)
      await step(`the page did not show ${JSON.stringify(opts.readySelector)} (readySelector)`, page.waitForSelector(opts.readySelector, { timeout: left() }));
    for (let i = 0; i < SYNC_PINGS; i++) await step('the page did not answer clock pings', ping());
    ctx.signal.removeEventListener('abort', onAbort);
  } catch (e) {
    await closeAll();
    throw e instanceof AdapterError ? e : new AdapterError(`browser: ${firstLine(e)}`, 'infrastructure');
  }

  open = true;
  startEstimate = sync.estimate();
  ctx.emit({ type: 'network', name: 'rtt_ms', valueMs: startEstimate!.rttMs });
  ctx.emit({ type: 'vendor', name: 'browser.clock', payload: clockFacts(startEstimate) });
  timers.push(setInterval(() => void ping(), SYNC_INTERVAL_MS));
  timers.push(setInterval(recordStats, STATS_INTERVAL_MS));

  return {
    sendAudio(pcm) {
      if (closed || !micGranted) return;
      const n = seq++;
      const sentMs = performance.now();
      sentAtMs.set(n, sentMs);
      link.send(encodeMicFrame(n, sentMs + sync.estimate()!.offsetMs, pcm));
    },
    sendVideoFrame(jpeg) {
      if (!closed) link.send(encodeVideoFrame(videoIndex++, jpeg));
    },
    async close() {
      if (closed) return;
      await closeAll();
    },
  };
}

const round = (v: number) => Math.round(v * 1000) / 1000;
