/**
 * Full-Duplex-Bench v1.5 as published: per sample input.wav (user audio with the overlap
 * event), clean_input.wav (the same without it), metadata.json ({context_text,
 * current_turn_text, timestamps: [start, end] of the event in input.wav}), and, once a system
 * was run, output.wav (and output.json words). The subset is the parent folder's name.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { crosstalkTiming, peerTiming } from '../../harness/metrics/peer/fdb-v15-timing.ts';
import { row, sToMs, type RuledMetricValue } from '../../harness/metrics/peer/types.ts';
import { fail, readJson, readWords, spanAt } from './peer-json.ts';
import { sampleFolders } from './folders.ts';
import { speechOf } from './speech.ts';
import { readWavInfo } from './wav.ts';
import type { FdbV15Sample } from './types.ts';

function readSample(dir: string): FdbV15Sample {
  const metaFile = join(dir, 'metadata.json');
  const meta = readJson(metaFile) as Record<string, unknown> | null;
  if (!meta || typeof meta !== 'object') fail(metaFile, '(root)', 'expected an object with context_text, current_turn_text, timestamps');
  const clean = join(dir, 'clean_input.wav');
  return {
    source: 'fdb-v1.5',
    id: basename(dir),
    dir,
    subset: basename(dirname(dir)),
    input: readWavInfo(join(dir, 'input.wav')),
    cleanInput: existsSync(clean) ? readWavInfo(clean) : null,
    output: readWavInfo(join(dir, 'output.wav')),
    contextText: String(meta.context_text ?? ''),
    currentTurnText: String(meta.current_turn_text ?? ''),
    event: spanAt(metaFile, 'timestamps', meta.timestamps),
    words: readWords(join(dir, 'output.json'))?.words ?? null,
  };
}

/** Every sample under `dir` (a subset folder, or one sample folder) that has a system output. */
export async function importFdbV15(dir: string): Promise<FdbV15Sample[]> {
  return sampleFolders(dir, ['input.wav', 'output.wav', 'metadata.json']).map(readSample);
}

const PEER_VAD_NOTE = "Silero VAD replaced by crosstalk's energy VAD; every overlap and gap in the sample, not only the event";

/** The peer's stop and response intervals (get_timing.py), one row per interval. */
export function scorePeerFdbV15(sample: FdbV15Sample): RuledMetricValue[] {
  const subject = `${sample.subset}/${sample.id}`;
  const t = peerTiming(speechOf(sample.input.file), speechOf(sample.output.file));
  return [
    ...t.stop.map(([s, e], i) =>
      row('peer', 'overlap.stop_latency_ms', 'interruption', 'ms', `${subject}#stop${i + 1}`, sToMs(e - s), `overlap ${s}-${e} s; ${PEER_VAD_NOTE}`),
    ),
    ...t.response.map(([s, e], i) =>
      row(
        'peer',
        'overlap.response_latency_ms',
        'interruption',
        'ms',
        `${subject}#resp${i + 1}`,
        sToMs(e - s),
        `user end ${s} s, model start ${e} s; ${PEER_VAD_NOTE}`,
      ),
    ),
  ];
}

/** crosstalk's stop and response latency around the event in metadata.json. */
export function scoreCrosstalkFdbV15(sample: FdbV15Sample): RuledMetricValue[] {
  const subject = `${sample.subset}/${sample.id}`;
  const t = crosstalkTiming(speechOf(sample.output.file), sample.event);
  const ms = (s: number | null) => (s === null ? null : sToMs(s));
  return [
    row(
      'crosstalk',
      'overlap.stop_latency_ms',
      'interruption',
      'ms',
      subject,
      ms(t.stopLatencyS),
      t.stopLatencyS === null ? 'the agent was silent when the event began' : undefined,
    ),
    row('crosstalk', 'overlap.stopped_during_event', 'interruption', 'bool', subject, t.stoppedDuringEvent === null ? null : t.stoppedDuringEvent ? 1 : 0),
    row(
      'crosstalk',
      'overlap.response_latency_ms',
      'interruption',
      'ms',
      subject,
      ms(t.responseLatencyS),
      t.responseLatencyS === null ? 'no reply after the event' : undefined,
    ),
  ];
}
