/**
 * `crosstalk import fdb-v1 <dir> -o <suite-dir>`: a scenario suite from a Full-Duplex-Bench v1
 * input folder, so its human recordings replay live against any adapter and are scored with
 * crosstalk's rules. One scenario per sample folder (input.wav and its task file), each with its
 * clip(s) and an annotation (datasets/annotation.ts JSON) in `media/`:
 *
 * - pause_handling (pause.json): the whole input as one clip; the user's speech is the speech
 *   detector's (datasets/speech.ts clipSpeechSegments) on either side of the peer's pause,
 *   reaching its edges, so the planted pause is exactly the peer's [start, end] (the detector's
 *   gap in the fixture is 120 ms wider on the left, 70 ms on the right); where the detector finds
 *   nothing after the pause, the energy VAD's segments stand in (a short resumption the
 *   detector does not confirm). Expectations: no_takeover, take_turn.
 * - smooth_turn_taking (turn_taking.json): the whole input; the turn ends at the peer's
 *   turn_taking.json timestamp[0]; the words are transcription.json's words ending by then
 *   (when the file is there), else the detector's segments up to the turn end. take_turn.
 * - user_interruption (interrupt.json): the input cut at the interruption's start into the
 *   context clip (at 0 ms, take_turn) and the barge-in clip (at the interruption's start, as
 *   the peer plays it, or `bargeAfterAgentMs` after the agent starts answering; stop and
 *   answer: an agent already silent at the peer's time gets stop N/A, agent_silent_at_onset); the barge-in's speech is the detector's within the
 *   peer's [start, end] (the peer's span where none is found: in the fixture the audible speech
 *   starts 570 ms after the peer's mark), its turn end the peer's end.
 * - backchannel folders (no task file) are skipped: the peer scores them against a human
 *   distribution, not against planted times.
 *
 * Every scenario adds a -60 dBFS room tone (real microphones are never digitally silent; the
 * peer's inputs are digital zeros between turns). The fetched audio is copied into the suite
 * folder, never into the project.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { stringify } from 'yaml';
import { InputError } from '../../harness/errors.ts';
import { USER_SAMPLE_RATE } from '../../harness/media.ts';
import { speechSegments as energySegments } from '../../harness/vad/energy.ts';
import { resample } from '../audio/resample.ts';
import { encodeWav, readClip } from '../audio/wav.ts';
import { clipSpeechSegments } from '../speech.ts';
import { firstEntry, readJson, spanAt } from './peer-json.ts';
import { sampleFolders } from './folders.ts';

interface FdbV1SuiteOptions {
  /** take_turn budget, ms (default 2000, as the core suite). */
  takeTurnWithinMs?: number;
  /** stop budget after the barge-in starts, ms (default 1500). */
  stopWithinMs?: number;
  /** answer budget after the barge-in ends, ms (default 2500). */
  answerWithinMs?: number;
  /**
   * Play an interruption this long after the agent starts answering the context (an
   * `after: agent_speech_start` trigger, as the core suite's barge-ins) instead of at the
   * peer's fixed time in input.wav (default: the peer's time).
   */
  bargeAfterAgentMs?: number;
}

export interface ImportedScenario {
  id: string;
  task: string;
  file: string;
}

interface FdbV1SuiteResult {
  scenarios: ImportedScenario[];
  skipped: { dir: string; reason: string }[];
}

const TASK_FILES = [
  ['pause.json', 'pause_handling'],
  ['turn_taking.json', 'smooth_turn_taking'],
  ['interrupt.json', 'user_interruption'],
] as const;

interface SegMs {
  startMs: number;
  endMs: number;
}
/** Audio kept after the context's last speech in an interruption's context clip. */
const CONTEXT_TAIL_MS = 100;
const round = (ms: number) => Math.round(ms * 10) / 10;
const seg = (s: SegMs) => ({ start_ms: round(s.startMs), end_ms: round(s.endMs) });

/** A task folder's name and a sample's id, as a scenario id. */
function scenarioId(dir: string, task: string): string {
  const parent = basename(join(dir, '..'));
  const raw = `fdb-v1-${task}-${parent.startsWith(task) ? '' : `${parent}-`}${basename(dir)}`;
  return raw.replace(/[^A-Za-z0-9_.-]+/g, '_');
}

/** The user's speech in a 16 kHz clip: the speech detector's segments. */
function detected(pcm: Int16Array): SegMs[] {
  return clipSpeechSegments(pcm, USER_SAMPLE_RATE).map((s) => ({ startMs: s.startMs, endMs: s.endMs }));
}

/** Write one sample's scenario into `out`; null (with a reason) when the sample is not imported. */
function importSample(
  dir: string,
  out: string,
  opts: FdbV1SuiteOptions & Required<Omit<FdbV1SuiteOptions, 'bargeAfterAgentMs'>>,
): ImportedScenario | { skip: string } {
  const found = TASK_FILES.filter(([f]) => existsSync(join(dir, f)));
  if (found.length > 1)
    throw new InputError(`more than one task file (${found.map(([f]) => f).join(', ')})`, { file: dir, hint: 'A v1 sample folder holds one task file.' });
  if (found.length === 0) return { skip: 'no task file (a backchannel sample: scored by the peer against a human distribution, not against planted times)' };
  const [taskFile, task] = found[0];
  const id = scenarioId(dir, task);
  const input = join(dir, 'input.wav');
  const clip = readClip(input);
  const pcm = resample(clip.pcm, clip.sampleRate, USER_SAMPLE_RATE);
  const durationMs = (pcm.length * 1000) / USER_SAMPLE_RATE;
  const media = join(out, 'media');
  mkdirSync(media, { recursive: true });
  const writeJson = (name: string, v: unknown) => writeFileSync(join(media, name), JSON.stringify(v, null, 1) + '\n');
  const f = join(dir, taskFile);
  const source = `Full-Duplex-Bench v1 sample ${relative(join(dir, '..', '..'), dir) || basename(dir)} (${taskFile})`;
  const noise = { kind: 'room_tone', level_dbfs: -60 };
  const within = { within_ms: opts.takeTurnWithinMs };
  let scenario: Record<string, unknown>;

  if (task === 'pause_handling') {
    const pause = spanAt(f, '[0].timestamp', firstEntry(f).timestamp);
    const p = { startMs: pause.startS * 1000, endMs: pause.endS * 1000 };
    const speech = detected(pcm);
    let after = speech.filter((s) => s.endMs > p.endMs);
    if (after.length === 0) after = energySegments(pcm, USER_SAMPLE_RATE).filter((s) => s.endMs > p.endMs);
    const before = speech.filter((s) => s.startMs < p.startMs);
    if (before.length === 0 || after.length === 0) {
      return {
        skip: `no speech found ${before.length === 0 ? 'before' : 'after'} the pause [${pause.startS}, ${pause.endS}] s of ${taskFile}: not a mid-turn pause`,
      };
    }
    const segments = [
      ...before.map((s) => ({ startMs: s.startMs, endMs: Math.min(s.endMs, p.startMs) })),
      ...after.map((s) => ({ startMs: Math.max(s.startMs, p.endMs), endMs: s.endMs })),
    ];
    // The pause is the peer's: the speech on either side reaches its edges.
    segments[before.length - 1].endMs = p.startMs;
    segments[before.length].startMs = p.endMs;
    copyFileSync(input, join(media, `${id}.wav`));
    writeJson(`${id}.json`, { source, segments: segments.map(seg) });
    scenario = {
      description: `${source}: the peer's pause [${pause.startS}, ${pause.endS}] s`,
      timeline: [
        { id: 'turn', at_ms: 0, speak: { clip: `media/${id}.wav`, annotation: `media/${id}.json` }, expect: [{ no_takeover: {} }, { take_turn: within }] },
      ],
    };
  } else if (task === 'smooth_turn_taking') {
    const turnEndMs = spanAt(f, '[0].timestamp', firstEntry(f).timestamp).startS * 1000;
    const words = transcriptionWords(join(dir, 'transcription.json'), turnEndMs);
    const segments = words.length
      ? []
      : detected(pcm)
          .filter((s) => s.startMs < turnEndMs)
          .map((s) => ({ startMs: s.startMs, endMs: Math.min(s.endMs, turnEndMs) }));
    if (words.length === 0 && segments.length === 0) return { skip: `no speech found before the turn end ${turnEndMs / 1000} s of ${taskFile}` };
    copyFileSync(input, join(media, `${id}.wav`));
    writeJson(`${id}.json`, {
      source,
      ...(segments.length ? { segments: segments.map(seg) } : {}),
      ...(words.length ? { words } : {}),
      turn_end_ms: round(turnEndMs),
    });
    scenario = {
      description: `${source}: the peer's turn end ${turnEndMs / 1000} s`,
      timeline: [{ id: 'turn', at_ms: 0, speak: { clip: `media/${id}.wav`, annotation: `media/${id}.json` }, expect: [{ take_turn: within }] }],
    };
  } else {
    const e = firstEntry(f);
    const span = spanAt(f, '[0].timestamp', e.timestamp);
    const cutMs = span.startS * 1000;
    if (cutMs <= 0 || cutMs >= durationMs) fail(f, `the interruption starts at ${span.startS} s, outside input.wav (${(durationMs / 1000).toFixed(2)} s)`);
    const cut = Math.round((cutMs * USER_SAMPLE_RATE) / 1000);
    const contextSpeech = detected(pcm.subarray(0, cut));
    if (contextSpeech.length === 0) return { skip: `no speech found before the interruption at ${span.startS} s` };
    // The context clip ends CONTEXT_TAIL_MS after its speech (the silence up to the cut is silence either way), so an agent-triggered barge-in is armed before the agent answers.
    const context = pcm.subarray(0, Math.min(cut, Math.round(((contextSpeech[contextSpeech.length - 1].endMs + CONTEXT_TAIL_MS) * USER_SAMPLE_RATE) / 1000)));
    const barge = pcm.subarray(cut);
    const endMs = span.endS * 1000 - cutMs;
    const bargeSpeech = detected(barge)
      .filter((s) => s.startMs < endMs)
      .map((s) => ({ startMs: s.startMs, endMs: Math.min(s.endMs, endMs) }));
    writeFileSync(join(media, `${id}-context.wav`), encodeWav(context, USER_SAMPLE_RATE));
    writeFileSync(join(media, `${id}-barge.wav`), encodeWav(barge, USER_SAMPLE_RATE));
    writeJson(`${id}-context.json`, { source, text: String(e.context ?? ''), segments: contextSpeech.map(seg) });
    writeJson(`${id}-barge.json`, {
      source,
      text: String(e.interrupt ?? ''),
      segments: (bargeSpeech.length ? bargeSpeech : [{ startMs: 0, endMs }]).map(seg),
      turn_end_ms: round(endMs),
    });
    scenario = {
      description: `${source}: the peer's interruption [${span.startS}, ${span.endS}] s, played where the peer plays it`,
      timeline: [
        {
          id: 'context',
          at_ms: 0,
          speak: { clip: `media/${id}-context.wav`, annotation: `media/${id}-context.json` },
          expect: [{ take_turn: within }],
          note: String(e.context ?? ''),
        },
        {
          id: 'barge',
          ...(opts.bargeAfterAgentMs !== undefined
            ? { after: { event: 'agent_speech_start', action: 'context', delay_ms: opts.bargeAfterAgentMs, timeout_ms: 15000 } }
            : { at_ms: round(cutMs) }),
          speak: { clip: `media/${id}-barge.wav`, annotation: `media/${id}-barge.json` },
          expect: [{ stop: { within_ms: opts.stopWithinMs } }, { answer: { within_ms: opts.answerWithinMs } }],
          note: String(e.interrupt ?? ''),
        },
      ],
    };
  }
  const family = task === 'pause_handling' ? 'pause' : task === 'smooth_turn_taking' ? 'turn_taking' : 'interruption';
  const file = join(out, `${id}.yaml`);
  const doc = { version: 1, id, family, title: source, tags: ['fdb-v1', task, 'recording'], noise, ...scenario };
  writeFileSync(
    file,
    `# Imported by \`crosstalk import fdb-v1\` (datasets/importers/fdb-v1-suite.ts). Peer data: CC BY-NC 4.0, the Full-Duplex-Bench authors.\n${stringify(doc)}`,
  );
  return { id, task, file };
}

function fail(file: string, message: string): never {
  throw new InputError(message, { file, hint: 'The file does not match the layout the benchmark publishes; restore it from the release.' });
}

/** transcription.json (the peer's words of the input, per speaker): the words that end by the turn end, in ms. */
function transcriptionWords(file: string, turnEndMs: number): { text: string; start_ms: number; end_ms: number }[] {
  if (!existsSync(file)) return [];
  const data = readJson(file);
  if (!Array.isArray(data)) fail(file, 'expected a list of {speaker, item: [{text, timestamp}]}');
  const words: { text: string; start_ms: number; end_ms: number }[] = [];
  for (const [i, sp] of (data as { item?: unknown }[]).entries()) {
    if (!Array.isArray(sp?.item)) fail(file, `[${i}].item: expected a list of words`);
    for (const [j, w] of (sp.item as { text?: unknown; timestamp?: unknown }[]).entries()) {
      const s = spanAt(file, `[${i}].item[${j}].timestamp`, w?.timestamp);
      if (s.endS * 1000 <= turnEndMs + 10) words.push({ text: String(w.text ?? ''), start_ms: round(s.startS * 1000), end_ms: round(s.endS * 1000) });
    }
  }
  return words.sort((a, b) => a.start_ms - b.start_ms);
}

/** Write a suite from every sample folder under `dir` (a release tree, a task folder or one sample). */
export function importFdbV1Suite(dir: string, out: string, options: FdbV1SuiteOptions = {}): FdbV1SuiteResult {
  const opts = { takeTurnWithinMs: 2000, stopWithinMs: 1500, answerWithinMs: 2500, ...options };
  const folders = sampleFoldersDeep(dir);
  mkdirSync(out, { recursive: true });
  const result: FdbV1SuiteResult = { scenarios: [], skipped: [] };
  for (const d of folders) {
    const r = importSample(d, out, opts);
    if ('skip' in r) result.skipped.push({ dir: d, reason: r.skip });
    else result.scenarios.push(r);
  }
  if (result.scenarios.length === 0)
    throw new InputError('no sample could be imported', {
      file: dir,
      hint:
        result.skipped.map((s) => `${s.dir}: ${s.reason}`).join('\n') || 'Point at a Full-Duplex-Bench v1 folder whose samples hold input.wav and a task file.',
    });
  return result;
}

/** Sample folders (holding input.wav) at any depth up to two levels below `dir` (release / task / sample). */
function sampleFoldersDeep(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError('not a folder', { file: dir, hint: 'Give the Full-Duplex-Bench v1 folder (its sample folders hold input.wav and a task file).' });
  }
  try {
    return sampleFolders(dir, ['input.wav']);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const tasks = sampleFoldersOf(dir);
    const found = tasks.flatMap((t) => {
      try {
        return sampleFolders(t, ['input.wav']);
      } catch {
        return [];
      }
    });
    if (found.length === 0) throw e;
    return found;
  }
}

function sampleFoldersOf(dir: string): string[] {
  return readdirSorted(dir).map((n) => join(dir, n));
}

function readdirSorted(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}
