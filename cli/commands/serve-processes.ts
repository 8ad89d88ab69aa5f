/**
 * `crosstalk serve reference --processes N`: N agent processes behind one port. One event loop
 * paces a handful of real-time sessions (the reference agent holds about 4 on a two-core machine,
 * README "Timing truth under load"), so a run of more sessions against one URL needs the agent's
 * work spread over processes, as a deployed server would be.
 *
 * This process (node:cluster's primary) forks N copies of the same command, listens on the port
 * itself, and hands each connection, before reading a byte of it, to the copy with the fewest
 * open connections (the lowest-numbered among equals): a session is long and steady, so open
 * sessions are the load. (node:cluster's own dealing gives a connection to whichever copy is free
 * to take it at that instant, which left 3 and 1 of 4 simultaneous connections on two copies.)
 * Each copy loads its own models and raises its own loop.
 *
 * Messages, copy to primary: `ready` (models loaded, priority raised), `closed` (a connection it
 * was handed has ended). Primary to copy: `connection` (with the socket), `shutdown`. Ctrl-C (or
 * SIGINT to this process alone) shuts every copy down; a copy that exits on its own stops the
 * others and makes the command fail with its exit code (1 if a signal ended it), said on stderr.
 */
import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { EXIT } from '../../harness/errors.ts';
import { listenOn, serverUrl, type HandedReferenceServer } from '../../reference-impl/server.ts';

type ToCopy = { type: 'connection' } | { type: 'shutdown' };
type FromCopy = { type: 'ready'; priority: string } | { type: 'closed' };

export const isServeProcessCopy = () => cluster.isWorker;

/** In a copy: take the connections the primary hands over, and say when each ends. */
export function serveHanded(server: HandedReferenceServer, priority: string): void {
  const send = (m: FromCopy) => process.send?.(m);
  process.on('message', (m: ToCopy, socket?: Socket) => {
    if (m.type === 'connection' && socket) server.accept(socket, () => send({ type: 'closed' }));
  });
  send({ type: 'ready', priority });
}

/** In a copy: resolves when the primary asks it to stop (or on SIGINT, e.g. Ctrl-C reaching the whole group). */
export function shutdownAsked(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.on('SIGINT', done);
    process.on('message', (m: ToCopy) => {
      if (m.type === 'shutdown') done();
    });
    // The primary died without a word: nothing will ask any more.
    process.on('disconnect', done);
  });
}

/**
 * In the primary: listen on host:port, fork `count` copies and deal connections to them until
 * SIGINT; the exit code. `write` takes the listening line, `warn` a copy's unasked exit.
 */
export async function servePrimary(count: number, host: string, port: number, write: (line: string) => void, warn: (line: string) => void): Promise<number> {
  const listener = createServer({ pauseOnConnect: true });
  // An address that cannot be had fails here, before any copy loads its models.
  await listenOn(listener, host, port);
  const copies: Worker[] = Array.from({ length: count }, () => cluster.fork());
  const open = copies.map(() => 0);
  // Connections that come before every copy is ready wait, paused, for them.
  let pending: Socket[] | undefined = [];
  const deal = (socket: Socket) => {
    const i = open.indexOf(Math.min(...open));
    open[i]++;
    copies[i].send({ type: 'connection' } satisfies ToCopy, socket);
  };
  listener.on('connection', (socket) => (pending ? pending.push(socket) : deal(socket)));
  copies.forEach((w, i) =>
    w.on('message', (m: FromCopy) => {
      if (m.type === 'closed') open[i]--;
    }),
  );

  let stopping = false;
  let failure: number | undefined;
  let interrupted: () => void = () => {};
  const interrupt = new Promise<void>((resolve) => (interrupted = resolve));
  const stop = () => {
    if (stopping) return;
    stopping = true;
    listener.close();
    for (const socket of pending ?? []) socket.destroy();
    for (const w of copies) if (w.isConnected()) w.send({ type: 'shutdown' } satisfies ToCopy);
    interrupted();
  };
  process.once('SIGINT', stop);
  const exited = copies.map((w) =>
    once(w, 'exit').then((ended) => {
      if (stopping) return;
      const [code, signal] = ended as [number | null, string | null];
      // A copy ended before it was asked to: the sessions it held are gone; stop the rest.
      warn(
        `reference agent process ${w.process.pid} exited (${code !== null ? `code ${code}` : `signal ${signal}`}) before it was asked to; stopping the others\n`,
      );
      failure = code && code !== EXIT.interrupted ? code : EXIT.harnessError;
      stop();
    }),
  );

  const ready = await Promise.race([Promise.all(copies.map((w) => waitReady(w))), interrupt.then(() => undefined)]);
  if (ready && !stopping) {
    const waiting = pending ?? [];
    pending = undefined;
    waiting.forEach(deal);
    const address = listener.address() as AddressInfo;
    const priorities = [...new Set(ready.map((r) => r.priority))].join('; ');
    write(`reference agent listening on ${serverUrl(host, address.port)} (crosstalk-ws v1, ${count} processes, ${priorities}); Ctrl-C to stop\n`);
    await interrupt;
  }
  await Promise.all(copies.map((w) => (w.isDead() ? undefined : once(w, 'exit'))));
  await Promise.all(exited);
  return failure ?? EXIT.interrupted;
}

function waitReady(w: Worker): Promise<{ priority: string }> {
  return new Promise((resolve) => {
    w.on('message', (m: FromCopy) => {
      if (m.type === 'ready') resolve(m);
    });
  });
}
