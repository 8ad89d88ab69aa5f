/**
 * Festival 2.5 (Debian `festival`; the `ked` voice from `festvox-kdlpc16k`): 16 kHz PCM plus
 * word timings from the synthesizer's own utterance structure. The reference agent's training
 * engine, kept out of every suite (engine.ts), and the one engine installed from Debian.
 *
 * One `festival --pipe` process, started on first use, renders utterance after utterance (a
 * fresh process costs about a second, a rendering in a warm one a few tens of ms). Each job
 * selects its voice again, which resets every parameter the previous job set, so a rendering
 * depends only on its text and voice: the same samples as in a fresh process. A job that fails
 * inside Festival (caught in Scheme, reported on stdout) ends the process, which gives its
 * stderr for the error; the next job starts a new one. An idle process does not keep Node alive.
 *
 * Word timings: Festival splits the text at whitespace into tokens (the same tokens as
 * word-timings.ts's), each token into words ("1500" -> fifteen hundred), each word into
 * segments. A token spans its sounding words' `word_start`..`word_end` (its first segment's
 * start, its last segment's end: the segment table's own times); words with no segments
 * (punctuation Festival keeps as a word) and pauses belong to no token.
 *
 * Voices: every installed English diphone voice (`/usr/share/festival/voices/english/*_diphone`),
 * named without the suffix: `ked`, and `kal` where festvox-kallpc16k is installed (Flite's kal
 * speaker: not one to train on for the suites). `rate_wpm` scales the voice's own
 * `Duration_Stretch` (FESTIVAL_NOMINAL_WPM = the voice's own rate), `pitch` its own
 * `target_f0_mean` (`int_lr_params`) by up to ±4 semitones.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../harness/errors.ts';
import { USER_SAMPLE_RATE } from '../../harness/media.ts';
import { resample } from '../audio/resample.ts';
import { decodeWav } from '../audio/wav.ts';
import { checkRequest, ENGINE_INFO, pitchSemitones, serializer, type Engine, type SpeechVoice } from './engine.ts';
import type { Synthesized } from './espeak.ts';
import { onSampleGridMs, tokenize, wordsFromSpans } from './word-timings.ts';

const VOICES_DIR = '/usr/share/festival/voices/english';
const DIPHONE = '_diphone';
/** Words per minute at the voice's own Duration_Stretch (measured on ked: the same texts last as long as eSpeak's at this rate). */
const FESTIVAL_NOMINAL_WPM = 150;

/** Installed English diphone voices, e.g. `ked`. */
export function festivalVoices(): string[] {
  try {
    return readdirSync(VOICES_DIR)
      .filter((d) => d.endsWith(DIPHONE))
      .map((d) => d.slice(0, -DIPHONE.length))
      .sort();
  } catch {
    return [];
  }
}

/** Lines of a job's output: a token's times; the job's end; its failure (caught in Scheme). */
const TOKEN_LINE = '@@crosstalk-token';
const DONE = '@@crosstalk-done';
const FAILED = '@@crosstalk-failed';

/** The text as a Scheme string literal. */
const schemeString = (text: string) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/**
 * One job: select the voice, set its rate and pitch, synthesize, save the wave and print one
 * line per token: TOKEN_LINE and its sounding words' start and end times in seconds.
 */
function jobScript(text: string, voice: SpeechVoice, wavPath: string): string {
  const stretch = (FESTIVAL_NOMINAL_WPM / voice.rate_wpm).toFixed(4);
  const f0 = (2 ** (pitchSemitones(voice.pitch) / 12)).toFixed(4);
  return `(voice_${voice.name}${DIPHONE})
(Parameter.set 'Duration_Stretch (* ${stretch} (Parameter.get 'Duration_Stretch)))
(set! int_lr_params (mapcar (lambda (p) (if (eq? (car p) 'target_f0_mean) (list (car p) (* ${f0} (cadr p))) p)) int_lr_params))
(set! ct_utt (Utterance Text ${schemeString(text)}))
(utt.synth ct_utt)
(utt.save.wave ct_utt ${schemeString(wavPath)} 'riff)
(set! ct_tok (utt.relation.first ct_utt 'Token))
(while ct_tok
  (format t "${TOKEN_LINE}")
  (mapcar (lambda (w) (if (item.relation.daughters w 'SylStructure) (format t " %f %f" (item.feat w "word_start") (item.feat w "word_end")))) (item.daughters ct_tok))
  (format t "\\n")
  (set! ct_tok (item.next ct_tok)))`;
}

interface FestivalProcess {
  child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  closed: boolean;
  exited: Promise<void>;
  /** Called on output and on exit while a job waits. */
  wake: () => void;
}

let current: FestivalProcess | undefined;

function start(): FestivalProcess {
  const child = spawn('festival', ['--pipe'], { stdio: 'pipe' });
  const p: FestivalProcess = { child, stdout: '', stderr: '', closed: false, exited: Promise.resolve(), wake: () => undefined };
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    p.stdout += d;
    p.wake();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (p.stderr += d));
  child.stdin.on('error', () => undefined); // a dead process: reported by 'close'
  p.exited = new Promise((resolve) => {
    const gone = (reason?: Error | string) => {
      if (reason) p.stderr += ` ${reason instanceof Error ? reason.message : reason}`;
      p.closed = true;
      if (current === p) current = undefined;
      resolve();
      p.wake();
    };
    child.on('error', gone);
    child.on('close', (code, signal) => gone(`(festival exited: ${signal ?? `code ${code}`})`));
  });
  hold(p, false);
  return p;
}

/** A busy process keeps Node alive (a job awaits it); an idle one does not. */
function hold(p: FestivalProcess, busy: boolean): void {
  for (const handle of [p.child, p.child.stdin, p.child.stdout, p.child.stderr] as unknown as { ref(): void; unref(): void }[]) {
    if (busy) handle.ref();
    else handle.unref();
  }
}

/** Run one job's Scheme in the process; its stdout. */
async function run(script: string): Promise<string> {
  const p = (current ??= start());
  hold(p, true);
  try {
    p.stdout = '';
    p.stderr = '';
    p.child.stdin.write(`(unwind-protect (begin ${script}) (format t "${FAILED}\\n"))\n(format t "${DONE}\\n")\n(fflush nil)\n`);
    while (!p.stdout.includes(DONE) && !p.closed) await new Promise<void>((resolve) => (p.wake = resolve));
    const out = p.stdout.slice(0, Math.max(0, p.stdout.indexOf(DONE)));
    if (!p.stdout.includes(DONE) || out.includes(FAILED)) {
      p.child.kill();
      await p.exited;
      throw new Error(`festival failed: ${p.stderr.trim().slice(-300)}`);
    }
    return out;
  } finally {
    hold(p, false);
  }
}

const serialized = serializer();

async function synthesize(text: string, voice: SpeechVoice): Promise<Synthesized> {
  checkRequest(text, voice);
  const voices = festivalVoices();
  if (!voices.includes(voice.name)) {
    throw new InputError(`unknown festival voice "${voice.name}"`, {
      field: 'voice.name',
      hint: `Use one of: ${voices.join(', ') || '(none installed)'} (Debian festvox-* packages).`,
    });
  }
  // Festival reads Latin-1 text and crashes on an utterance without a word it can say.
  if (!/[A-Za-z0-9]/.test(text)) {
    throw new InputError('festival speaks no word of this text: it has no letter or digit festival reads (A-Z, 0-9)', {
      field: 'text',
      hint: 'Write English words.',
    });
  }
  return serialized(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crosstalk-festival-'));
    try {
      const wavPath = join(dir, 'utterance.wav');
      const lines = (await run(jobScript(text.replace(/\s+/g, ' ').trim(), voice, wavPath))).split('\n').filter((l) => l.startsWith(TOKEN_LINE));
      const tokens = tokenize(text);
      if (lines.length !== tokens.length) throw new Error(`festival: ${tokens.length} tokens gave ${lines.length} of its tokens`);
      const spans = lines.map((line) => {
        const times = line.slice(TOKEN_LINE.length).trim().split(/\s+/).filter(Boolean).map(Number).map(onSampleGridMs);
        return times.length ? { startMs: Math.min(...times), endMs: Math.max(...times) } : undefined;
      });
      const { pcm: raw, sampleRate } = decodeWav(readFileSync(wavPath));
      const pcm = resample(raw, sampleRate, USER_SAMPLE_RATE);
      return { pcm, sampleRate: USER_SAMPLE_RATE, words: wordsFromSpans(tokens, spans, (pcm.length * 1000) / USER_SAMPLE_RATE) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

export const FESTIVAL: Engine = {
  ...ENGINE_INFO.festival,
  voices: async () => festivalVoices(),
  synthesize,
};
