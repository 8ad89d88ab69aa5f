/** The importers' public API (wired into `crosstalk score --format ...` by the CLI). */
export { importFdbV1, scorePeerFdbV1, scoreCrosstalkFdbV1, type FdbV1ScoreOptions } from './fdb-v1.ts';
export { importFdbV15, scorePeerFdbV15, scoreCrosstalkFdbV15 } from './fdb-v15.ts';
export { importFdBench, scorePeerFdBench, scoreCrosstalkFdBench, fdBenchSubject, type FdBenchImportOptions, type FdBenchPeerOptions } from './fd-bench.ts';
export { toRecording, IMPORT_BUDGETS_MS } from './to-recording.ts';
export { transcribeWords, type TranscriberOptions } from './transcriber.ts';
export type { ImportedSample, FdbV1Sample, FdbV15Sample, FdBenchConversation, FdbV1Task } from './types.ts';
export type { RuledMetricValue, RuleSet, PeerSource } from '../../harness/metrics/peer/types.ts';
