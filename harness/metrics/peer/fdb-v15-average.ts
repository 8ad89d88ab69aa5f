/**
 * The "FD-bench v1.5 average": a peer-compatible figure, computed from crosstalk's own verdicts.
 * Never the headline (see the end of this comment).
 *
 * Peer rule (the figure Thinking Machines headlines for TML-Interaction-Small, 77.8, and OpenAI
 * for GPT-Live-1, 80.10): 100 x the unweighted mean of four per-scenario rates of the desired
 * behaviour in Full-Duplex-Bench v1.5 (Lin et al. 2025, arXiv 2507.23159):
 *   user interruption   -> rate of C_RESPOND
 *   user backchannel    -> rate of C_RESUME
 *   talking to others   -> rate of C_RESUME
 *   background speech   -> rate of C_RESUME
 * Equal weights whatever each scenario's sample count (FDB v1.5 has 200 interruptions and about
 * 100 samples in each other scenario), and no timing term. FDB v1.5 itself publishes the four
 * behaviour distributions side by side; the single average is its readers' aggregation.
 *
 * How FDB v1.5 labels a sample (DanielLin94144/Full-Duplex-Bench, commit d7336bd,
 * v1_v1.5/evaluation/eval_behavior.py and evaluation/instruction/behavior.txt): an LLM judge,
 * gpt-4o-2024-08-06 (seed 1, re-asked with seed + 1 until its answer parses), reads four
 * word-timestamped ASR transcripts (Parakeet-TDT in the paper) of the clean and the overlapped
 * user input and of the model's reply to each, finds the first new semantic segment of the
 * model's speech after the overlap starts, and gives it exactly one tag:
 *   C_RESPOND             addresses the overlap's content;
 *   C_RESUME              ignores the overlap, continues the pre-overlap answer;
 *   C_UNCERTAIN_HANDLING  "sorry, could you repeat?" without a content answer;
 *   C_UNKNOWN             off-target or low-information output, or no speech after the overlap.
 * The rate is tag count / samples tagged (stats_by_axis, printed rounded to 2 decimals); a sample
 * missing one of its transcript files is skipped and leaves the denominator. Only the behaviour
 * counts: a reply 5 s late is as much a C_RESPOND as one at once.
 *
 * How crosstalk labels each expectation instead (its timing rules, no ASR, no judge): every
 * expectation ends in one `<family>.verdict` row, subject `<actionId>/<expectationKind>`, value 1
 * when every check of it passed, else 0 (verdict.ts). The mapping (FDB_V15_AVERAGE_MAPPING):
 *   user interruption -> `interruption.verdict`, one per barge-in with an `/answer` verdict:
 *     passed when that verdict held (the agent's first substantive response after it stopped
 *     started within the scenario's answer budget after the barge-in ended, interruption.ts)
 *     AND the same action's `/stop` verdict held. The peer has no stop term, but without a
 *     judge of content, speech that merely follows a barge-in is not a response to it: a canned
 *     agent that talks on and happens to start a new utterance after the barge-in passed the
 *     answer verdict alone 11 times out of 12 on the core suite (`npm run bench -- panel`).
 *     Whether the answer is about the barge-in is still not judged.
 *   user backchannel  -> `user_backchannel.verdict` (`/keep_talking`): the agent was talking at
 *     the user's "mm-hmm" and did not stop within 1 s of its end, heard with the strict merge
 *     gap (user-backchannel.ts). Silent at its onset fails.
 *   talking to others -> `side_talk.verdict` (`/ignore`): no agent onset caused by the side talk
 *     and no stop for it within 2 s (side-talk.ts, distractor.ts).
 *   background speech -> `background.verdict` (`/ignore`): the same rule on the background
 *     action (background.ts). Unlike FDB v1.5's background voices, crosstalk's background
 *     family also holds noise and music beds; their ignore verdicts count here too.
 * What differs, then: a timing rule where FDB has a semantic judge (crosstalk cannot tell an
 * on-topic answer from an off-topic one; FDB cannot tell a prompt answer from a late one), the
 * interruption rate includes the answer's timing, and no expectation leaves the denominator (a
 * missed trigger or a silent agent is a 0; only an optional action that never fired has no row).
 * The figure is comparable to the published numbers in kind, not digit for digit.
 *
 * Never the headline: the four families weigh the same whatever their counts, the peer has no
 * timing term, and a mean of four rates hides which one moved. crosstalk's headline stays the
 * per-family pass rate (verdict.ts); this figure exists only to set crosstalk's results beside
 * a published FD-bench v1.5 average, always with its four rates and counts.
 */

/** The four FDB v1.5 scenarios, in the peer's order. */
export const FDB_V15_SCENARIOS = ['interruption', 'backchannel', 'side_talk', 'background'] as const;
export type FdbV15Scenario = (typeof FDB_V15_SCENARIOS)[number];

export interface ScenarioMapping {
  scenario: FdbV15Scenario;
  /** The scenario's name in FDB v1.5. */
  fdbScenario: string;
  /** The tag FDB v1.5 counts as the desired behaviour. */
  fdbDesired: 'C_RESPOND' | 'C_RESUME';
  /** The crosstalk verdict metric counted. */
  metric: string;
  /** Only verdict rows whose subject ends with this (`/<expectationKind>`). */
  subjectSuffix: string;
  /** Also needs the same action's verdict on this expectation kind to hold, where the action has one. */
  alsoRequires?: string;
  /** What labels a crosstalk expectation 1 (passed) here. */
  crosstalkRule: string;
}

export const FDB_V15_AVERAGE_MAPPING: readonly ScenarioMapping[] = [
  {
    scenario: 'interruption',
    fdbScenario: 'user interruption',
    fdbDesired: 'C_RESPOND',
    metric: 'interruption.verdict',
    subjectSuffix: '/answer',
    alsoRequires: '/stop',
    crosstalkRule:
      "stopped for the barge-in and answered it: the same action's stop verdict held, and the first substantive response after the agent stopped began within the scenario's answer budget after the barge-in ended",
  },
  {
    scenario: 'backchannel',
    fdbScenario: 'user backchannel',
    fdbDesired: 'C_RESUME',
    metric: 'user_backchannel.verdict',
    subjectSuffix: '/keep_talking',
    crosstalkRule: "kept talking: speaking at the user's backchannel and no stop within 1 s of its end (strict merge gap)",
  },
  {
    scenario: 'side_talk',
    fdbScenario: 'talking to others',
    fdbDesired: 'C_RESUME',
    metric: 'side_talk.verdict',
    subjectSuffix: '/ignore',
    crosstalkRule: 'ignored the side talk: no agent onset caused by it and no stop for it within 2 s',
  },
  {
    scenario: 'background',
    fdbScenario: 'background speech',
    fdbDesired: 'C_RESUME',
    metric: 'background.verdict',
    subjectSuffix: '/ignore',
    crosstalkRule: 'ignored the background (voice or sound bed): no agent onset caused by it and no stop for it within 2 s',
  },
];

/** Expectations labelled with the desired behaviour, out of all labelled. */
export interface RateCount {
  passed: number;
  total: number;
}

export type FdbV15Counts = Record<FdbV15Scenario, RateCount>;

export interface FdbV15Average {
  /** 100 x the mean of the four rates, unrounded; null when a scenario has no expectation. */
  average: number | null;
  /** `average` rounded half-up to one decimal on the exact fraction, as the figure is published. */
  published: number | null;
  /** Why `average` is null. */
  reason?: string;
  /** passed / total per scenario (0-1); null where total is 0. */
  rates: Record<FdbV15Scenario, number | null>;
  counts: FdbV15Counts;
}

function checkCount(scenario: string, c: RateCount): void {
  if (!Number.isInteger(c.passed) || !Number.isInteger(c.total) || c.passed < 0 || c.passed > c.total) {
    throw new RangeError(`${scenario}: need integers 0 <= passed <= total, got ${c.passed}/${c.total}`);
  }
}

/** Half-up rounding to tenths of 100 x mean(passed_i / total_i), in exact integer arithmetic. */
function publishedTenths(counts: FdbV15Counts): number {
  const cs = FDB_V15_SCENARIOS.map((s) => counts[s]);
  const den = cs.reduce((d, c) => d * BigInt(c.total), 1n);
  const num = cs.reduce((n, c) => n + (BigInt(c.passed) * den) / BigInt(c.total), 0n);
  // tenths = 1000 * (num / den) / 4 = 250 num / den; half-up: floor((2 * 250 num + den) / (2 den)).
  return Number((500n * num + den) / (2n * den)) / 10;
}

/** The peer-compatible average from the four scenarios' counts. */
export function fdbV15Average(counts: FdbV15Counts): FdbV15Average {
  for (const s of FDB_V15_SCENARIOS) checkCount(s, counts[s]);
  const rates = Object.fromEntries(FDB_V15_SCENARIOS.map((s) => [s, counts[s].total === 0 ? null : counts[s].passed / counts[s].total])) as Record<
    FdbV15Scenario,
    number | null
  >;
  const empty = FDB_V15_SCENARIOS.filter((s) => counts[s].total === 0);
  if (empty.length > 0) {
    const names = empty.map((s) => FDB_V15_AVERAGE_MAPPING.find((m) => m.scenario === s)!);
    const reason = `no expectation in ${names.map((m) => `${m.scenario} (${m.metric} ${m.subjectSuffix})`).join(', ')}: the peer's mean needs all four scenarios`;
    return { average: null, published: null, reason, rates, counts };
  }
  const sum = FDB_V15_SCENARIOS.reduce((acc, s) => acc + (rates[s] as number), 0);
  return { average: (100 * sum) / FDB_V15_SCENARIOS.length, published: publishedTenths(counts), rates, counts };
}

/** A metric row as the store holds it (only the fields counted here). */
export interface VerdictRowLike {
  name: string;
  subject: string;
  value: number | null;
}

export interface FdbV15RowCounts extends FdbV15Counts {
  /** Verdict rows with a null value, counted as failures (verdicts are never null by design). */
  nulls: number;
}

/**
 * The four counts from stored metric rows. Rows of other metrics, and verdict rows of another
 * expectation kind, are ignored, except a mapping's `alsoRequires` verdict (`/stop` for the
 * interruption), which must hold too where the action has one. A verdict is never null by
 * design (verdict.ts), so a null is a broken row: it stays in the denominator as a failure, as
 * every other missing outcome does in crosstalk, and is tallied in `nulls` so a report can say
 * so. Any value other than 0, 1 or null is not a verdict and throws.
 */
export function fdbV15Counts(rows: Iterable<VerdictRowLike>): FdbV15RowCounts {
  const out: FdbV15RowCounts = {
    interruption: { passed: 0, total: 0 },
    backchannel: { passed: 0, total: 0 },
    side_talk: { passed: 0, total: 0 },
    background: { passed: 0, total: 0 },
    nulls: 0,
  };
  const all = [...rows];
  const required = new Map<string, number | null>();
  for (const row of all) {
    const m = FDB_V15_AVERAGE_MAPPING.find((x) => x.metric === row.name);
    if (m?.alsoRequires && row.subject.endsWith(m.alsoRequires)) required.set(`${row.name}\u0000${row.subject}`, checkVerdict(row));
  }
  for (const row of all) {
    const m = FDB_V15_AVERAGE_MAPPING.find((x) => x.metric === row.name);
    if (!m || !row.subject.endsWith(m.subjectSuffix)) continue;
    const value = checkVerdict(row);
    const actionId = row.subject.slice(0, -m.subjectSuffix.length);
    const also = m.alsoRequires === undefined ? 1 : (required.get(`${row.name}\u0000${actionId}${m.alsoRequires}`) ?? 1);
    const c = out[m.scenario];
    c.total += 1;
    if (value === 1 && also === 1) c.passed += 1;
    if (value === null) out.nulls += 1;
  }
  return out;
}

function checkVerdict(row: VerdictRowLike): number | null {
  if (row.value !== null && row.value !== 0 && row.value !== 1) throw new RangeError(`${row.name} ${row.subject}: a verdict is 0 or 1, got ${row.value}`);
  return row.value;
}

/** Counts and average from stored rows in one call. */
export function fdbV15AverageFromRows(rows: Iterable<VerdictRowLike>): FdbV15Average & { nulls: number } {
  const { nulls, ...counts } = fdbV15Counts(rows);
  return { ...fdbV15Average(counts), nulls };
}
