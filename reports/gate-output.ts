/**
 * The gate's verdict written out: JUnit XML (CI test tabs), a JSON summary, Markdown (PR
 * comments, $GITHUB_STEP_SUMMARY) and plain text for the terminal. Errored sessions are listed
 * apart from failed checks everywhere; in JUnit they are <error> cases of their own suite.
 * Every verdict names its metric and why; N/A rows in a threshold's scope are counted by typed
 * reason (`no_response 3, trigger_missed 1`) wherever the verdict is shown.
 */
import type { GateResult, ThresholdVerdict } from '../harness/gate/gate.ts';
import type { BaselineVerdict } from '../harness/gate/baseline.ts';
import { scopeText } from '../harness/gate/threshold.ts';
import { mdTable } from './markdown.ts';
import { HARNESS_ERROR_BOUND_MS } from '../harness/runner/harness-error.ts';

const OUTCOME_LINE: Record<GateResult['outcome'], string> = {
  held: 'all gates held',
  failed: 'a gate FAILED',
  errored: 'could not judge: sessions errored or their timing is flagged (infrastructure), see below',
};

const THRESHOLD_WORD: Record<ThresholdVerdict['status'], string> = { held: 'held', failed: 'FAILED', no_data: 'no data', errored: 'ERRORED' };
const BASELINE_WORD: Record<BaselineVerdict['status'], string> = { held: 'held', regressed: 'REGRESSED', missing: 'MISSING', errored: 'ERRORED' };

/** `no_response 3, trigger_missed 1`, or '–'. */
function naCell(na: Record<string, number> | undefined): string {
  const entries = Object.entries(na ?? {});
  return entries.length === 0 ? '–' : entries.map(([reason, n]) => `${reason} ${n}`).join(', ');
}

function thresholdName(t: ThresholdVerdict): string {
  return t.threshold.text;
}

function baselineName(b: BaselineVerdict): string {
  return `${b.metric} vs baseline`;
}

function headline(r: GateResult): string {
  const s = r.sessions;
  return `crosstalk gate: ${OUTCOME_LINE[r.outcome]} (${s.passed + s.failed + s.errored} sessions: ${s.passed} passed, ${s.failed} failed, ${s.errored} errored)`;
}

export function gateText(r: GateResult): string {
  const lines = [headline(r), ''];
  for (const t of r.thresholds) lines.push(`  ${THRESHOLD_WORD[t.status]} ${thresholdName(t)}: ${t.reason}`);
  for (const b of r.baseline) lines.push(`  ${BASELINE_WORD[b.status]} ${baselineName(b)}: ${b.reason}`);
  if (r.thresholds.length === 0 && r.baseline.length === 0) lines.push('  (no thresholds, no baseline comparison)');
  if (r.errored.length > 0) {
    lines.push('', `Errored sessions (infrastructure; not counted as failures): ${r.errored.length}`);
    for (const e of r.errored.slice(0, 20)) lines.push(`  ${e.scenarioKey} r${e.repeat}: ${e.error ?? 'errored'}`);
    if (r.errored.length > 20) lines.push(`  … and ${r.errored.length - 20} more`);
  }
  if (r.timingFlagged.length > 0) {
    lines.push('', timingFlagTitle(r));
    for (const f of r.timingFlagged.slice(0, 20))
      lines.push(`  ${f.scenarioKey} r${f.repeat}: harness late by ${round(f.harnessErrorMs)} ms near a measured moment`);
    if (r.timingFlagged.length > 20) lines.push(`  … and ${r.timingFlagged.length - 20} more`);
  }
  return lines.join('\n');
}

function timingFlagTitle(r: GateResult): string {
  const effect = r.timingFlagsAllowed
    ? 'allowed by --allow-timing-flags'
    : 'the gate cannot judge latencies the harness may have moved; rerun on a quieter machine, fewer --workers, or pass --allow-timing-flags';
  return `Sessions with flagged timing (the harness itself was late, beyond ${HARNESS_ERROR_BOUND_MS} ms, where a latency is measured; ${effect}): ${r.timingFlagged.length}`;
}

export function gateMarkdown(r: GateResult): string {
  const icon = r.outcome === 'held' ? '✅' : r.outcome === 'failed' ? '❌' : '⚠️';
  const out = [`## ${icon} ${headline(r)}`, ''];
  if (r.thresholds.length > 0) {
    out.push(
      mdTable(
        ['threshold', 'scope', 'result', 'observed', 'n', 'min n', 'N/A by reason'],
        r.thresholds.map((t) => [
          `${t.threshold.metric} ${t.threshold.stat} ${t.threshold.op} ${t.threshold.value}`,
          scopeText(t.threshold.scope) || 'all',
          t.status === 'held' || t.status === 'no_data' ? THRESHOLD_WORD[t.status] : `**${THRESHOLD_WORD[t.status]}**`,
          t.observed === null ? '–' : String(round(t.observed)),
          String(t.count),
          String(t.minCount),
          naCell(t.na),
        ]),
        ['l', 'l', 'l', 'r', 'r', 'r', 'l'],
      ),
      '',
    );
    const why = r.thresholds.filter((t) => t.status !== 'held');
    if (why.length > 0) out.push(...why.map((t) => `- ${THRESHOLD_WORD[t.status]} \`${t.threshold.text}\`: ${t.reason}`), '');
  }
  if (r.baseline.length > 0) {
    out.push(
      `Baseline \`${r.baselineStore}\`: paired per scenario; a metric regresses when its whole CI of worsening lies beyond the tolerance.`,
      '',
      mdTable(
        ['metric', 'result', 'Δ mean', 'CI', 'tolerance', 'units'],
        r.baseline.map((b) => {
          const c = b.comparison;
          return [
            b.metric,
            b.status === 'held' ? 'held' : `**${BASELINE_WORD[b.status]}**`,
            c ? signed(c.delta) : '–',
            c ? `${signed(c.ciLow)} … ${signed(c.ciHigh)}` : '–',
            String(round(b.toleranceValue)),
            c ? String(c.units) : '0',
          ];
        }),
        ['l', 'l', 'r', 'r', 'r', 'r'],
      ),
      '',
    );
    const why = r.baseline.filter((b) => b.status === 'missing' || b.status === 'errored');
    if (why.length > 0) out.push(...why.map((b) => `- ${BASELINE_WORD[b.status]} \`${b.metric}\`: ${b.reason}`), '');
  }
  if (r.errored.length > 0) {
    out.push(
      `### Errored sessions: ${r.errored.length} (infrastructure, not failures)`,
      '',
      mdTable(
        ['session', 'error'],
        r.errored.slice(0, 50).map((e) => [`${e.scenarioKey} r${e.repeat}`, e.error ?? 'errored']),
      ),
      '',
    );
  }
  if (r.timingFlagged.length > 0) {
    out.push(
      `### ${timingFlagTitle(r)}`,
      '',
      mdTable(
        ['session', 'harness error (ms)'],
        r.timingFlagged.slice(0, 50).map((f) => [`${f.scenarioKey} r${f.repeat}`, String(round(f.harnessErrorMs))]),
      ),
      '',
    );
  }
  return out.join('\n');
}

export function gateJson(r: GateResult): string {
  const summary = {
    outcome: r.outcome,
    store: r.store,
    baselineStore: r.baselineStore,
    config: r.configFile,
    sessions: r.sessions,
    thresholds: r.thresholds.map((t) => ({
      threshold: t.threshold.text,
      line: t.threshold.line ?? null,
      metric: t.threshold.metric,
      scope: t.threshold.scope,
      stat: t.threshold.stat,
      op: t.threshold.op,
      limit: t.threshold.value,
      minCount: t.minCount,
      allowNoData: t.threshold.allowNoData ?? false,
      confident: t.threshold.confident ?? false,
      status: t.status,
      cause: t.cause ?? null,
      observed: t.observed,
      ciLow: t.interval?.low ?? null,
      ciHigh: t.interval?.high ?? null,
      count: t.count,
      na: t.na,
      reason: t.reason,
    })),
    baseline: r.baseline.map((b) => {
      const c = b.comparison;
      return {
        metric: b.metric,
        status: b.status,
        delta: c?.delta ?? null,
        ciLow: c?.ciLow ?? null,
        ciHigh: c?.ciHigh ?? null,
        level: c?.level ?? null,
        units: c?.units ?? 0,
        tolerance: b.toleranceValue,
        candidateNa: b.candidateNa ?? null,
        reason: b.reason,
      };
    }),
    errored: r.errored,
    timingFlagged: r.timingFlagged,
    timingFlagsAllowed: r.timingFlagsAllowed,
  };
  return JSON.stringify(summary, null, 2) + '\n';
}

const xml = (text: string) =>
  text
    .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function gateJunit(r: GateResult): string {
  const suite = (name: string, cases: string[], failures: number, errors: number, skipped: number) =>
    `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">\n${cases.join('')}  </testsuite>\n`;
  const tc = (classname: string, name: string, inner = '') =>
    `    <testcase classname="${xml(classname)}" name="${xml(name)}"${inner ? `>\n      ${inner}\n    </testcase>\n` : '/>\n'}`;
  const suites: string[] = [];
  suites.push(
    suite(
      'thresholds',
      r.thresholds.map((t) =>
        tc(
          'crosstalk.gate.thresholds',
          thresholdName(t),
          t.status === 'failed'
            ? `<failure message="${xml(t.reason)}"/>`
            : t.status === 'no_data'
              ? `<skipped message="${xml(t.reason)}"/>`
              : t.status === 'errored'
                ? `<error message="${xml(t.reason)}"/>`
                : '',
        ),
      ),
      r.thresholds.filter((t) => t.status === 'failed').length,
      r.thresholds.filter((t) => t.status === 'errored').length,
      r.thresholds.filter((t) => t.status === 'no_data').length,
    ),
  );
  if (r.baseline.length > 0) {
    const failing = (b: BaselineVerdict) => b.status === 'regressed' || b.status === 'missing';
    suites.push(
      suite(
        'baseline',
        r.baseline.map((b) =>
          tc(
            'crosstalk.gate.baseline',
            baselineName(b),
            failing(b) ? `<failure message="${xml(b.reason)}"/>` : b.status === 'errored' ? `<error message="${xml(b.reason)}"/>` : '',
          ),
        ),
        r.baseline.filter(failing).length,
        r.baseline.filter((b) => b.status === 'errored').length,
        0,
      ),
    );
  }
  if (r.errored.length > 0) {
    suites.push(
      suite(
        'errored sessions (infrastructure)',
        r.errored.map((e) => tc('crosstalk.gate.errored', `${e.scenarioKey} r${e.repeat}`, `<error message="${xml(e.error ?? 'errored')}"/>`)),
        0,
        r.errored.length,
        0,
      ),
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="crosstalk gate">\n${suites.join('')}</testsuites>\n`;
}

const round = (v: number) => Math.round(v * 1000) / 1000;
const signed = (v: number) => (v > 0 ? '+' : '') + String(round(v));
