/**
 * `crosstalk import fdb-v1.5 <dir> -o <suite-dir>`: a scenario suite from a Full-Duplex-Bench
 * v1.5 input folder (the "overlap" benchmark), so its recordings replay live against any adapter
 * and are scored with crosstalk's rules. One scenario per sample folder: input.wav (the user's
 * audio with the overlap event), clean_input.wav (the same without it; optional) and
 * metadata.json ({context_text, current_turn_text, timestamps: [start, end] of the event in
 * input.wav, seconds}). The task is the subset folder's name:
 *
 * | subset              | family           | event action | expectations on the event |
 * |---------------------|------------------|--------------|---------------------------|
 * | user_interruption   | interruption     | speak        | stop, answer              |
 * | user_backchannel    | user_backchannel | backchannel  | keep_talking              |
 * | talking_to_other(s) | side_talk        | side_talk    | ignore                    |
 * | background_speech   | background       | background   | ignore                    |
 *
 * The peer plays one pre-mixed input.wav, so its event sounds at a fixed time whatever the
 * system does (and the system may already be silent by then). The scenario keeps that: the
 * user's own speech is one clip at 0 ms (`context`, take_turn), the event a clip at the peer's
 * start time (`event`, planted there), and every expectation is judged from the event's planted
 * times. `overlapAfterAgentMs` instead plays the event that long after the agent starts
 * answering the context (the same clip, judged the same way from where it was played).
 *
 * The two sounds are taken apart with clean_input.wav: where it matches input.wav outside the
 * event (the difference at least 20 dB under input.wav there), the user's own speech is
 * clean_input.wav and the event is input.wav minus clean_input.wav over [start, end], so an event
 * mixed over the user's speech is separated exactly. Otherwise (no clean_input.wav, or one that
 * does not match) the event is input.wav's [start, end] as mixed, and the user's own speech is
 * input.wav with that span silenced; the scenario says which.
 *
 * Truth (annotations, datasets/annotation.ts JSON, in `media/`): the speech detector's segments
 * (datasets/speech.ts clipSpeechSegments) in each clip; in the event clip those within the
 * peer's [start, end] (the whole span where it finds none), and an interruption's turn ends at
 * the peer's end. A background voice takes no annotation in the scenario format: its truth is
 * the detector's on the same clip, written with silence on either side (the action starts
 * that much before the peer's time) so the detector measures its floor where the event is not.
 * Side talk and background sound go through crosstalk's treatments (datasets/effects/
 * treatments.ts) at 0 dB: their level is the peer's, but side talk is dulled (high shelf, early
 * reflections) and background low-passed and echoed on top of the peer's rendering; the planted times are the dry clip's. User speech in clean_input.wav that
 * starts after the event's start is replayed as a third clip (`rest`, no expectation).
 *
 * Every scenario adds a -60 dBFS room tone. The audio is copied into the suite folder, never
 * into the project.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { stringify } from 'yaml';
import { InputError } from '../../harness/errors.ts';
import { USER_SAMPLE_RATE } from '../../harness/media.ts';
import { resample } from '../audio/resample.ts';
import { encodeWav, readClip } from '../audio/wav.ts';
import { clipSpeechSegments } from '../speech.ts';
import type { ImportedScenario } from './fdb-v1-suite.ts';
import { fail, readJson, spanAt } from './peer-json.ts';

type FdbV15Task = 'user_interruption' | 'user_backchannel' | 'talking_to_other' | 'background_speech';

interface FdbV15SuiteOptions {
  /** take_turn budget on the context, ms (default 2000). */
  takeTurnWithinMs?: number;
  /** stop budget after an interruption starts, ms (default 1500). */
  stopWithinMs?: number;
  /** answer budget after an interruption ends, ms (default 2500). */
  answerWithinMs?: number;
  /** Play the event this long after the agent starts answering the context instead of at the peer's fixed time. */
  overlapAfterAgentMs?: number;
}

interface FdbV15SuiteResult {
  scenarios: (ImportedScenario & { task: FdbV15Task })[];
  skipped: { dir: string; reason: string }[];
}

/** Subset folder names, matched in this order on the lower-cased name. */
const TASKS: [RegExp, FdbV15Task][] = [
  [/interrupt/, 'user_interruption'],
  [/backchannel/, 'user_backchannel'],
  [/talking_to_other|side_talk/, 'talking_to_other'],
  [/background/, 'background_speech'],
];
const FAMILY: Record<FdbV15Task, string> = {
  user_interruption: 'interruption',
  user_backchannel: 'user_backchannel',
  talking_to_other: 'side_talk',
  background_speech: 'background',
};
const SAMPLE_FILES = ['input.wav', 'metadata.json'];

/** Audio kept after the last speech of a clip. */
const TAIL_MS = 100;
/** Surroundings the speech detector sees on either side of the event. */
const DETECT_PAD_MS = 3000;
/** Silence on either side of a background clip (at least; see importSample). */
const BG_PAD_MS = 500;
/** An annotated time may overrun the input by one analysis frame. */
const OVERRUN_MS = 10;
/** clean_input.wav matches input.wav outside the event when their difference there is at least this far under input.wav. */
const MATCH_DB = 20;

interface SegMs {
  startMs: number;
  endMs: number;
}
const round = (ms: number) => Math.round(ms * 10) / 10;
const seg = (s: SegMs) => ({ start_ms: round(s.startMs), end_ms: round(s.endMs) });
const toSample = (ms: number) => Math.round((ms * USER_SAMPLE_RATE) / 1000);
const toMs = (samples: number) => (samples * 1000) / USER_SAMPLE_RATE;

function taskOf(subset: string): FdbV15Task | undefined {
  const name = subset.toLowerCase();
  return TASKS.find(([re]) => re.test(name))?.[1];
}

function read16k(file: string): Int16Array {
  const clip = readClip(file);
  return resample(clip.pcm, clip.sampleRate, USER_SAMPLE_RATE);
}

function energy(pcm: Int16Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += pcm[i] * pcm[i];
  return s;
}

/** The user's own speech and a full-length signal holding the event over [s, e) (see the header). */
function separate(input: Int16Array, clean: Int16Array | null, s: number, e: number): { own: Int16Array; eventSource: Int16Array; how: string } {
  if (clean) {
    const n = Math.min(input.length, clean.length);
    const diff = new Int16Array(input.length);
    for (let i = 0; i < input.length; i++) diff[i] = Math.max(-32768, Math.min(32767, input[i] - (i < n ? clean[i] : 0)));
    const outside = (x: Int16Array) => energy(x, 0, Math.min(s, n)) + energy(x, Math.min(e, n), n);
    const inputOutside = outside(input);
    if (inputOutside === 0 || outside(diff) <= inputOutside * 10 ** (-MATCH_DB / 10)) {
      const own = new Int16Array(input.length);
      own.set(clean.subarray(0, n));
      return { own, eventSource: diff, how: "the event is input.wav minus clean_input.wav over its span; the user's own speech is clean_input.wav" };
    }
  }
  const own = input.slice();
  own.fill(0, s, e);
  const why = clean ? 'clean_input.wav does not match input.wav outside the event' : 'no clean_input.wav';
  return { own, eventSource: input, how: `${why}: the event is input.wav's span as mixed, and the user's own speech is input.wav with that span silenced` };
}

function detected(pcm: Int16Array): SegMs[] {
  return clipSpeechSegments(pcm, USER_SAMPLE_RATE).map((x) => ({ startMs: x.startMs, endMs: x.endMs }));
}

function scenarioId(dir: string, task: FdbV15Task): string {
  const parent = basename(dirname(dir));
  const raw = `fdb-v1.5-${task}-${parent.toLowerCase().startsWith(task) ? '' : `${parent}-`}${basename(dir)}`;
  return raw.replace(/[^A-Za-z0-9_.-]+/g, '_');
}

function text(file: string, meta: Record<string, unknown>, key: string): string {
  const v = meta[key];
  if (v !== undefined && typeof v !== 'string') fail(file, key, `expected a string, got ${JSON.stringify(v)}`);
  return (v as string | undefined) ?? '';
}

function importSample(
  dir: string,
  out: string,
  opts: Required<Omit<FdbV15SuiteOptions, 'overlapAfterAgentMs'>> & FdbV15SuiteOptions,
): (ImportedScenario & { task: FdbV15Task }) | { skip: string } {
  for (const f of SAMPLE_FILES) {
    if (!existsSync(join(dir, f)))
      throw new InputError(`missing ${f}`, {
        file: join(dir, f),
        hint: 'A Full-Duplex-Bench v1.5 sample folder holds input.wav, metadata.json and (optionally) clean_input.wav; restore the file from the release.',
      });
  }
  const subset = basename(dirname(dir));
  const task = taskOf(subset);
  if (!task) return { skip: `the subset folder "${subset}" is not a v1.5 task (user_interruption, user_backchannel, talking_to_other, background_speech)` };
  const metaFile = join(dir, 'metadata.json');
  const meta = readJson(metaFile);
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta))
    fail(metaFile, '(root)', 'expected an object {context_text, current_turn_text, timestamps: [start, end]}');
  const m = meta as Record<string, unknown>;
  const span = spanAt(metaFile, 'timestamps', m.timestamps);
  const contextText = text(metaFile, m, 'context_text');
  const turnText = text(metaFile, m, 'current_turn_text');

  const inputFile = join(dir, 'input.wav');
  const input = read16k(inputFile);
  const cleanFile = join(dir, 'clean_input.wav');
  const clean = existsSync(cleanFile) ? read16k(cleanFile) : null;
  const durationMs = toMs(input.length);
  const startMs = span.startS * 1000;
  const endMs = Math.min(span.endS * 1000, durationMs);
  if (startMs >= durationMs || span.endS * 1000 > durationMs + OVERRUN_MS)
    fail(metaFile, 'timestamps', `the event [${span.startS}, ${span.endS}] s is not inside input.wav (${(durationMs / 1000).toFixed(3)} s)`);
  if (endMs <= startMs) fail(metaFile, 'timestamps', `the event [${span.startS}, ${span.endS}] s is empty`);
  const s = toSample(startMs);
  const e = toSample(endMs);
  const { own, eventSource, how } = separate(input, clean, s, e);
  const event = eventSource.slice(s, e);

  // The user's own speech: what starts before the event is the context turn; what starts after it, the rest.
  const speech = detected(own);
  const before = speech.filter((x) => x.startMs < startMs);
  const after = speech.filter((x) => x.startMs >= startMs);
  if (before.length === 0) return { skip: `no user speech found before the event at ${span.startS} s (${how})` };
  const contextEnd = Math.min(own.length, toSample(before[before.length - 1].endMs + TAIL_MS), after.length ? toSample(after[0].startMs) : Infinity);
  const restStart = after.length ? Math.max(contextEnd, s, toSample(after[0].startMs - TAIL_MS)) : 0;

  const lengthMs = toMs(event.length);
  // The detector sees the event with DETECT_PAD_MS of its surroundings, so the clip's noise floor is measured where the event is not.
  const from = Math.max(0, s - toSample(DETECT_PAD_MS));
  const padMs = toMs(s - from);
  const found = detected(eventSource.subarray(from, Math.min(eventSource.length, e + toSample(DETECT_PAD_MS))))
    .map((x) => ({ startMs: Math.max(0, x.startMs - padMs), endMs: Math.min(lengthMs, x.endMs - padMs) }))
    .filter((x) => x.endMs > x.startMs);
  const eventSegments = found.length ? found : [{ startMs: 0, endMs: lengthMs }];

  const id = scenarioId(dir, task);
  const media = join(out, 'media');
  mkdirSync(media, { recursive: true });
  const source = `Full-Duplex-Bench v1.5 sample ${relative(dirname(dirname(dir)), dir) || basename(dir)}`;
  const clip = (name: string, pcm: Int16Array, ann: Record<string, unknown> | null) => {
    writeFileSync(join(media, `${id}-${name}.wav`), encodeWav(pcm, USER_SAMPLE_RATE));
    if (ann) writeFileSync(join(media, `${id}-${name}.json`), JSON.stringify({ source, ...ann }, null, 1) + '\n');
    return ann ? { clip: `media/${id}-${name}.wav`, annotation: `media/${id}-${name}.json` } : { clip: `media/${id}-${name}.wav` };
  };

  const context = clip('context', own.slice(0, contextEnd), { text: contextText, segments: before.map(seg) });
  const eventAnn: Record<string, unknown> = { text: turnText, segments: eventSegments.map(seg) };
  if (task === 'user_interruption') eventAnn.turn_end_ms = round(lengthMs);
  // A background voice takes no annotation: its truth is the detector's on the clip, so the clip
  // carries silence on either side (more than a tenth of it) for the detector to find its floor in.
  const bg = task === 'background_speech';
  const lead = bg ? Math.min(s, toSample(Math.max(BG_PAD_MS, lengthMs / 8))) : 0;
  const trail = bg ? 2 * toSample(Math.max(BG_PAD_MS, lengthMs / 8)) - lead : 0;
  const eventClip = bg ? new Int16Array(lead + event.length + trail) : event;
  if (bg) eventClip.set(event, lead);
  const eventSpeech = clip('event', eventClip, bg ? null : eventAnn);
  const fixed = opts.overlapAfterAgentMs === undefined;
  const when = fixed
    ? { at_ms: round(toMs(s - lead)) }
    : { after: { event: 'agent_speech_start', action: 'context', delay_ms: Math.max(0, round(opts.overlapAfterAgentMs! - toMs(lead))), timeout_ms: 15000 } };
  const eventAction: Record<string, unknown> = { id: 'event', ...when };
  if (task === 'user_interruption') {
    eventAction.speak = eventSpeech;
    eventAction.expect = [{ stop: { within_ms: opts.stopWithinMs } }, { answer: { within_ms: opts.answerWithinMs } }];
  } else if (task === 'user_backchannel') {
    eventAction.backchannel = eventSpeech;
    eventAction.expect = [{ keep_talking: {} }];
  } else if (task === 'talking_to_other') {
    eventAction.side_talk = { ...eventSpeech, gain_db: 0 };
    eventAction.expect = [{ ignore: {} }];
  } else {
    eventAction.background = { ...eventSpeech, gain_db: 0 };
    eventAction.expect = [{ ignore: {} }];
  }
  if (turnText) eventAction.note = turnText;
  const timeline: Record<string, unknown>[] = [
    { id: 'context', at_ms: 0, speak: context, expect: [{ take_turn: { within_ms: opts.takeTurnWithinMs } }], ...(contextText ? { note: contextText } : {}) },
    eventAction,
  ];
  if (after.length) {
    const restEnd = Math.min(own.length, toSample(after[after.length - 1].endMs + TAIL_MS));
    const offMs = toMs(restStart);
    const rest = clip('rest', own.slice(restStart, restEnd), {
      segments: after.map((x) => seg({ startMs: Math.max(0, x.startMs - offMs), endMs: x.endMs - offMs })),
    });
    timeline.push({
      id: 'rest',
      ...(fixed ? { at_ms: round(offMs) } : { after: { event: 'action_start', action: 'event', delay_ms: round(offMs - startMs) } }),
      speak: rest,
      note: "the user's own speech after the event's start, replayed as recorded; not judged",
    });
  }
  const placed = fixed
    ? `the event is fixed in the peer's input at [${span.startS}, ${span.endS}] s and played there, whatever the agent is doing then; its expectations are judged from that planted time`
    : `the event (the peer's [${span.startS}, ${span.endS}] s) is played ${opts.overlapAfterAgentMs} ms after the agent starts answering the context, instead of at the peer's fixed time`;
  const treated =
    task === 'talking_to_other'
      ? "; played through crosstalk's side-talk treatment at 0 dB (dulled, early reflections, on top of the peer's rendering)"
      : task === 'background_speech'
        ? "; played through crosstalk's background treatment at 0 dB (low-passed, echoed, on top of the peer's rendering); its truth is the speech detector's on the clip"
        : '';
  const doc = {
    version: 1,
    id,
    family: FAMILY[task],
    title: source,
    description: `${source} (${task}): ${placed}; ${how}${treated}.`,
    tags: ['fdb-v1.5', task, 'recording', fixed ? 'peer-time' : 'after-agent'],
    noise: { kind: 'room_tone', level_dbfs: -60 },
    timeline,
  };
  const file = join(out, `${id}.yaml`);
  writeFileSync(
    file,
    `# Imported by \`crosstalk import fdb-v1.5\` (datasets/importers/fdb-v15-suite.ts). Peer data: Full-Duplex-Bench v1.5 (MIT), the Full-Duplex-Bench authors.\n${stringify(doc)}`,
  );
  return { id, task, file };
}

const isSample = (d: string) => SAMPLE_FILES.some((f) => existsSync(join(d, f))) || existsSync(join(d, 'clean_input.wav'));
const subfolders = (d: string) =>
  readdirSync(d, { withFileTypes: true })
    .filter((x) => x.isDirectory() && !x.name.startsWith('.'))
    .map((x) => join(d, x.name))
    .sort((a, b) => basename(a).localeCompare(basename(b), 'en', { numeric: true }));

/** Sample folders under `dir`: the folder itself, its subfolders (a subset folder) or theirs (a release tree). */
function sampleFolders(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError('not a folder', {
      file: dir,
      hint: 'Give the Full-Duplex-Bench v1.5 folder (a release tree, a subset folder such as user_interruption, or one sample folder).',
    });
  }
  if (isSample(dir)) return [dir];
  const children = subfolders(dir);
  const samples = children.filter(isSample);
  if (samples.length) return samples;
  const deeper = children.flatMap((c) => subfolders(c).filter(isSample));
  if (deeper.length) return deeper;
  throw new InputError('no sample folder with input.wav and metadata.json found', {
    file: dir,
    hint: 'Point at the v1.5 release, one of its subset folders (user_interruption, user_backchannel, talking_to_other, background_speech) or one sample folder.',
  });
}

/** Write a suite from every v1.5 sample folder under `dir`. */
export function importFdbV15Suite(dir: string, out: string, options: FdbV15SuiteOptions = {}): FdbV15SuiteResult {
  const opts = { takeTurnWithinMs: 2000, stopWithinMs: 1500, answerWithinMs: 2500, ...options };
  const folders = sampleFolders(dir);
  mkdirSync(out, { recursive: true });
  const result: FdbV15SuiteResult = { scenarios: [], skipped: [] };
  for (const d of folders) {
    const r = importSample(d, out, opts);
    if ('skip' in r) result.skipped.push({ dir: d, reason: r.skip });
    else result.scenarios.push(r);
  }
  if (result.scenarios.length === 0)
    throw new InputError('no sample could be imported', { file: dir, hint: result.skipped.map((x) => `${x.dir}: ${x.reason}`).join('\n') });
  return result;
}
