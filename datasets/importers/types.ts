/**
 * Samples read from other benchmarks' published layouts. Audio is referenced, not held: a
 * sample names its files and their header facts, and is decoded only when scored, so a folder
 * of thousands of samples imports in little memory.
 */
import type { PeerSource, SpanS, TimedWord } from '../../harness/metrics/peer/types.ts';
import type { WavInfo } from './wav.ts';

export type FdbV1Task = 'pause_handling' | 'smooth_turn_taking' | 'user_interruption' | 'backchannel';

export interface FdbV1Sample {
  source: 'fdb-v1';
  /** The sample folder's name (the ICC reference key for backchannel). */
  id: string;
  dir: string;
  task: FdbV1Task;
  input: WavInfo;
  output: WavInfo;
  /** output.json chunks; null when the file is absent (voice activity stands in). */
  words: TimedWord[] | null;
  /** Chunks dropped for a null start time (the peer's code cannot use them either). */
  droppedWords: number;
  /** pause.json[0].timestamp. */
  pause?: SpanS;
  /** turn_taking.json[0].timestamp[0]: the user's turn end. */
  turnEndS?: number;
  /** interrupt.json[0]: the interruption's extent and texts. */
  interrupt?: SpanS & { context: string; text: string };
  /** rating.json's judge rating, reported as recorded (the judge is not re-run). */
  judgeRating?: number;
}

export interface FdbV15Sample {
  source: 'fdb-v1.5';
  id: string;
  dir: string;
  /** The subset folder's name: user_interruption, user_backchannel, talking_to_other, background_speech... */
  subset: string;
  input: WavInfo;
  cleanInput: WavInfo | null;
  output: WavInfo;
  contextText: string;
  currentTurnText: string;
  /** metadata.json timestamps: the overlap event in input.wav. */
  event: SpanS;
  words: TimedWord[] | null;
}

/** One FD-Bench conversation: voice-activity timestamps as sample indices. */
export interface FdBenchConversation {
  source: 'fd-bench';
  id: string;
  file: string;
  /** The rate the sample indices are at (FD-Bench's pipeline: 16000); stated, not assumed. */
  sampleRate: number;
  user: { start: number; end: number }[];
  agent: { start: number; end: number }[];
}

export type ImportedSample = FdbV1Sample | FdbV15Sample | FdBenchConversation;
export type { PeerSource };
