/**
 * The lexical ear's speech recognizer: Debian's PocketSphinx in one Python child process per
 * agent process (recognizer.py, its wire format), decoding every session's speech as it
 * arrives, so that ending an utterance at a pause costs only its last stretch. An optional
 * install (`node scripts/setup.mjs --recognizer`, as root: Debian python3-pocketsphinx and
 * pocketsphinx-en-us); without it, asking for the lexical ear is bad configuration.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../../harness/errors.ts';

const SCRIPT = fileURLToPath(new URL('./recognizer.py', import.meta.url));
/** Debian's interpreter: python3-pocketsphinx installs into its dist-packages, not a user's Python. */
const PYTHON = '/usr/bin/python3';
const MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
const NEEDED = [PYTHON, `${MODEL_DIR}/en-us.lm.bin`, '/usr/lib/python3/dist-packages/pocketsphinx/__init__.py'];
export const RECOGNIZER_PACKAGES = ['python3-pocketsphinx', 'pocketsphinx-en-us'] as const;

const enum Kind {
  audio = 1,
  end = 2,
  turn = 3,
  close = 4,
}

/** What the recognizer heard in one utterance (from its first audio to its end). */
export interface HeardWords {
  words: string[];
  /** Each word's posterior probability: how sure the decoder is of it (0-1). */
  posteriors: number[];
  /** The best path before the utterance was ended (no sentence end forced on it). */
  partial: string[];
  /** log10 P(end of sentence | the turn's last two words), from the recognizer's trigram model; null before any word. */
  endLog10: number | null;
}

/** Whether the Debian packages are installed (a reason when not). */
export function recognizerMissing(needed: readonly string[] = NEEDED): string | null {
  const missing = needed.find((f) => !existsSync(f));
  return missing
    ? `${missing} not found: the lexical ear needs Debian ${RECOGNIZER_PACKAGES.join(' ')} (\`node scripts/setup.mjs --recognizer\` or \`apt-get install ${RECOGNIZER_PACKAGES.join(' ')}\`, as root)`
    : null;
}

export class Recognizer {
  private readonly child: ChildProcessWithoutNullStreams;
  /** Answers to `end` requests, in the order they were asked (the child answers in order). */
  private readonly waiting: { resolve: (h: HeardWords) => void; reject: (e: Error) => void }[] = [];
  private nextSession = 1;
  private failure: Error | null = null;
  private stderr = '';

  /** `command`: what runs the recognizer (tests replace it); default Debian's Python on recognizer.py, which must be installed. */
  constructor(command?: readonly [string, ...string[]]) {
    const missing = command ? null : recognizerMissing();
    if (missing) throw new InputError(missing, { field: 'lexical' });
    command ??= [PYTHON, SCRIPT];
    this.child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-2000)));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.waiting.shift()?.resolve(JSON.parse(line) as HeardWords);
      this.holdOpen();
    });
    const fail = (why: string) => {
      this.failure ??= new Error(`lexical ear: the recognizer (${command.join(' ')}) ${why}${this.stderr ? `: ${this.stderr.trim()}` : ''}`);
      for (const w of this.waiting.splice(0)) w.reject(this.failure);
    };
    this.child.on('error', (e) => fail(`could not run: ${e.message}`));
    this.child.on('exit', (code, signal) => fail(`exited (${signal ?? code})`));
    // A child that died is reported at the next request; writing to it must not throw.
    this.child.stdin.on('error', () => undefined);
    this.holdOpen();
  }

  /** The child keeps this process alive only while an answer is awaited. */
  private holdOpen(): void {
    const streams = [this.child.stdin, this.child.stdout, this.child.stderr] as unknown as { ref(): void; unref(): void }[];
    for (const h of [this.child, ...streams]) {
      if (this.waiting.length) h.ref();
      else h.unref();
    }
  }

  /** A new session's number (the recognizer makes its decoder at its first message). */
  openSession(): number {
    return this.nextSession++;
  }

  /** 16 kHz mono speech of the session's current utterance, in order. */
  audio(session: number, pcm: Int16Array): void {
    this.send(Kind.audio, session, Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  }

  /** Ends the session's utterance: its words and how likely the turn's words end a sentence. */
  endUtterance(session: number): Promise<HeardWords> {
    if (this.failure) return Promise.reject(this.failure);
    const answer = new Promise<HeardWords>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.holdOpen();
    this.send(Kind.end, session);
    return answer;
  }

  /** The words so far are no longer the context of the session's next end (a new turn). */
  newTurn(session: number): void {
    this.send(Kind.turn, session);
  }

  closeSession(session: number): void {
    this.send(Kind.close, session);
  }

  dispose(): void {
    this.child.stdin.end();
  }

  private send(kind: Kind, session: number, payload: Buffer = Buffer.alloc(0)): void {
    if (this.failure) return;
    const header = Buffer.alloc(9);
    header.writeUInt8(kind, 0);
    header.writeUInt32LE(session, 1);
    header.writeUInt32LE(payload.length, 5);
    this.child.stdin.write(payload.length ? Buffer.concat([header, payload]) : header);
  }
}

let shared: Recognizer | null = null;

/** The process's recognizer, started at the first call. */
export function sharedRecognizer(): Recognizer {
  shared ??= new Recognizer();
  return shared;
}
