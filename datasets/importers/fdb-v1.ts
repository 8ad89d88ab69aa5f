/**
 * Full-Duplex-Bench v1 as published: one folder per sample with input.wav (user), output.wav
 * (the system's recorded reply, same clock), the task file (pause.json, turn_taking.json or
 * interrupt.json; none for backchannel) and, when the ASR step was run, output.json words.
 * Scored twice: the peer's rules exactly (rule set `peer`) and crosstalk's corrections beside
 * them (rule set `crosstalk`). The rules and their defects are written in harness/metrics/peer/.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { peerTakeoverFromSpeech, peerTakeoverFromWords, takeoverUtterances, type PeerTakeover } from '../../harness/metrics/peer/fdb-v1-takeover.ts';
import { crosstalkResponseLatencyS, peerResponseLatency } from '../../harness/metrics/peer/fdb-v1-response-latency.ts';
import { crosstalkBackchannel, peerBackchannel } from '../../harness/metrics/peer/fdb-v1-backchannel.ts';
import { crosstalkTiming } from '../../harness/metrics/peer/fdb-v15-timing.ts';
import { JS_DISTANCE_MAX } from '../../harness/metrics/peer/jensen-shannon.ts';
import { row, sToMs, type RuledMetricValue, type SpanS } from '../../harness/metrics/peer/types.ts';
import { InputError } from '../../harness/errors.ts';
import { fail, firstEntry, readJson, readWords, spanAt } from './peer-json.ts';
import { sampleFolders } from './folders.ts';
import { asPeerBackchannelVad, speechOf } from './speech.ts';
import { readWavInfo } from './wav.ts';
import type { FdbV1Sample, FdbV1Task } from './types.ts';

const TASK_FILES: [string, FdbV1Task][] = [
  ['pause.json', 'pause_handling'],
  ['turn_taking.json', 'smooth_turn_taking'],
  ['interrupt.json', 'user_interruption'],
];

function readSample(dir: string): FdbV1Sample {
  const found = TASK_FILES.filter(([f]) => existsSync(join(dir, f)));
  if (found.length > 1)
    throw new InputError(`more than one task file (${found.map(([f]) => f).join(', ')})`, { file: dir, hint: 'A v1 sample folder holds one task file.' });
  const task: FdbV1Task = found[0]?.[1] ?? 'backchannel';
  const w = readWords(join(dir, 'output.json'));
  const sample: FdbV1Sample = {
    source: 'fdb-v1',
    id: basename(dir),
    dir,
    task,
    input: readWavInfo(join(dir, 'input.wav')),
    output: readWavInfo(join(dir, 'output.wav')),
    words: w?.words ?? null,
    droppedWords: w?.dropped ?? 0,
  };
  if (task === 'pause_handling') {
    const f = join(dir, 'pause.json');
    sample.pause = spanAt(f, '[0].timestamp', firstEntry(f).timestamp);
  } else if (task === 'smooth_turn_taking') {
    const f = join(dir, 'turn_taking.json');
    sample.turnEndS = spanAt(f, '[0].timestamp', firstEntry(f).timestamp).startS;
  } else if (task === 'user_interruption') {
    const f = join(dir, 'interrupt.json');
    const e = firstEntry(f);
    sample.interrupt = { ...spanAt(f, '[0].timestamp', e.timestamp), context: String(e.context ?? ''), text: String(e.interrupt ?? '') };
    const ratingFile = join(dir, 'rating.json');
    if (existsSync(ratingFile)) {
      const r = (readJson(ratingFile) as { rating?: unknown }).rating;
      if (typeof r !== 'number') fail(ratingFile, 'rating', `expected a number, got ${JSON.stringify(r)}`);
      sample.judgeRating = r;
    }
  }
  return sample;
}

/** Every sample under `dir` (a task folder of numbered samples, or one sample folder). */
export async function importFdbV1(dir: string): Promise<FdbV1Sample[]> {
  return sampleFolders(dir, ['input.wav', 'output.wav']).map(readSample);
}

export interface FdbV1ScoreOptions {
  /** ICC human reference histograms keyed by sample id (icc_gt_distribution.json), for backchannel. */
  iccReference?: Record<string, number[]>;
}

const NO_WORDS = 'no output.json: voice activity stands in for ASR words, the word-count part of the rule was not applied';
const FAMILY: Record<FdbV1Task, string> = {
  pause_handling: 'pause',
  smooth_turn_taking: 'turn_taking',
  user_interruption: 'interruption',
  backchannel: 'backchannel',
};

function referenceFor(sample: FdbV1Sample, opts: FdbV1ScoreOptions): number[] {
  const ref = opts.iccReference?.[sample.id];
  if (!ref) {
    throw new InputError(`no ICC reference histogram for sample "${sample.id}"`, {
      file: sample.dir,
      field: 'iccReference',
      hint: "Pass the benchmark's icc_gt_distribution.json (its keys are the backchannel sample folder names).",
    });
  }
  return ref;
}

/** Agent speech as the peer's takeover rule reads it: words, or voice activity standing in. */
function peerTakeoverOf(sample: FdbV1Sample, speech: () => SpanS[]): PeerTakeover {
  return sample.words ? peerTakeoverFromWords(sample.words) : peerTakeoverFromSpeech(speech());
}

/** For an interruption, the peer's ASR starts at the interruption's end: activity before it is cut. */
const cropFrom = (speech: SpanS[], fromS: number): SpanS[] =>
  speech.filter((s) => s.endS > fromS).map((s) => ({ startS: Math.max(s.startS, fromS), endS: s.endS }));

/** The peer's values for one sample, as its evaluation scripts compute them. */
export function scorePeerFdbV1(sample: FdbV1Sample, opts: FdbV1ScoreOptions = {}): RuledMetricValue[] {
  const subject = `${sample.task}/${sample.id}`;
  const family = FAMILY[sample.task];
  let cached: SpanS[] | undefined;
  const speech = () => (cached ??= speechOf(sample.output.file));
  const wordsNote = sample.words ? undefined : NO_WORDS;
  const rows: RuledMetricValue[] = [];

  if (sample.task === 'backchannel') {
    const vad = asPeerBackchannelVad(speech(), sample.output.sampleRate);
    const r = peerBackchannel(vad, sample.words, sample.output.durationS, referenceFor(sample, opts));
    const vadNote = "Silero VAD replaced by crosstalk's energy VAD (its 16 kHz reading and 0.1 s rounding emulated)";
    const note = [vadNote, wordsNote].filter(Boolean).join('; ');
    rows.push(row('peer', 'backchannel.takeover', family, 'bool', subject, r.tor, note));
    rows.push(
      row('peer', 'backchannel.rate_per_min', family, 'per_min', subject, r.frequencyPerS * 60, `${note}; the peer prints ${r.frequencyPerS} per second`),
    );
    rows.push(
      row(
        'peer',
        'backchannel.js_distance',
        family,
        'ratio',
        subject,
        r.jsd,
        r.backchannels.length === 0 ? `${note}; no backchannel: the peer scores 1, above the distance's maximum ${JS_DISTANCE_MAX.toFixed(4)}` : note,
      ),
    );
    return rows;
  }

  const to = peerTakeoverOf(sample, sample.task === 'user_interruption' && !sample.words ? () => cropFrom(speech(), sample.interrupt!.endS) : speech);
  rows.push(row('peer', `${family}.takeover`, family, 'bool', subject, to.takeover, wordsNote));
  const reference = sample.task === 'smooth_turn_taking' ? sample.turnEndS : sample.interrupt?.endS;
  if (reference !== undefined) {
    const name = sample.task === 'smooth_turn_taking' ? 'turn_taking.latency_ms' : 'interruption.answer_latency_ms';
    if (to.takeover === 1 && to.firstStartS !== null) {
      const lat = peerResponseLatency(to.firstStartS, reference);
      const clipped = lat.rawS < 0 ? `the agent started ${(-lat.rawS).toFixed(3)} s early; the peer's average counts it as 0` : undefined;
      rows.push(row('peer', name, family, 'ms', subject, sToMs(lat.publishedS), [clipped, wordsNote].filter(Boolean).join('; ') || undefined));
    } else {
      rows.push(row('peer', name, family, 'ms', subject, null, 'no takeover: the peer records no latency'));
    }
  }
  if (sample.judgeRating !== undefined) {
    rows.push(
      row('peer', 'interruption.judge_rating', family, 'count', subject, sample.judgeRating, 'as recorded in rating.json (GPT judge, 0-5); not re-run'),
    );
  }
  return rows;
}

/** crosstalk's values for one sample: the corrected rules, on voice activity at the file's own rate. */
export function scoreCrosstalkFdbV1(sample: FdbV1Sample, opts: FdbV1ScoreOptions = {}): RuledMetricValue[] {
  const subject = `${sample.task}/${sample.id}`;
  const family = FAMILY[sample.task];
  const speech = speechOf(sample.output.file);
  const ms = (s: number | null) => (s === null ? null : sToMs(s));
  const rows: RuledMetricValue[] = [];

  if (sample.task === 'backchannel') {
    const r = crosstalkBackchannel(speech, sample.words, sample.output.durationS, referenceFor(sample, opts));
    const denom = `${r.backchannels.length} backchannels over ${r.durationS.toFixed(2)} s`;
    rows.push(row('crosstalk', 'backchannel.takeover', family, 'bool', subject, r.tor));
    rows.push(row('crosstalk', 'backchannel.count', family, 'count', subject, r.backchannels.length));
    rows.push(row('crosstalk', 'backchannel.rate_per_min', family, 'per_min', subject, r.ratePerMin, denom));
    rows.push(
      row('crosstalk', 'backchannel.js_distance', family, 'ratio', subject, r.jsd, r.jsd === null ? 'no backchannel: the distance is undefined' : denom),
    );
    r.backchannels.forEach((b, i) => rows.push(row('crosstalk', 'backchannel.onset_ms', family, 'ms', `${subject}#bc${i + 1}`, sToMs(b.startS))));
    return rows;
  }
  if (sample.task === 'pause_handling') {
    const took = takeoverUtterances(speech, sample.pause!.startS).length > 0;
    rows.push(row('crosstalk', 'pause.takeover', family, 'bool', subject, took ? 1 : 0, 'agent utterance >= 1 s still going at or after the pause start'));
    return rows;
  }
  if (sample.task === 'smooth_turn_taking') {
    const lat = crosstalkResponseLatencyS(speech, sample.turnEndS!);
    rows.push(row('crosstalk', 'turn_taking.takeover', family, 'bool', subject, lat === null ? 0 : 1));
    rows.push(row('crosstalk', 'turn_taking.latency_ms', family, 'ms', subject, ms(lat), lat === null ? 'the agent did not take the turn' : undefined));
    return rows;
  }
  const t = crosstalkTiming(speech, sample.interrupt!);
  rows.push(row('crosstalk', 'interruption.takeover', family, 'bool', subject, t.responseLatencyS === null ? 0 : 1));
  rows.push(
    row(
      'crosstalk',
      'interruption.answer_latency_ms',
      family,
      'ms',
      subject,
      ms(t.responseLatencyS),
      t.responseLatencyS === null ? 'no reply after the interruption' : undefined,
    ),
  );
  rows.push(
    row(
      'crosstalk',
      'interruption.stop_latency_ms',
      family,
      'ms',
      subject,
      ms(t.stopLatencyS),
      t.stopLatencyS === null
        ? 'the agent was silent when the interruption began'
        : t.stoppedDuringEvent
          ? undefined
          : 'the agent talked past the end of the interruption',
    ),
  );
  return rows;
}
