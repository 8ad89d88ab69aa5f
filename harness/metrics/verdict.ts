/**
 * Every expectation ends in a verdict: one `<family>.verdict` row per expectation, 1 when every
 * check of it passed and 0 otherwise, never null. A missed trigger, an action the session never
 * reached, the agent silent where the scenario needed it talking, or no substantive response
 * are all 0, with their typed reason. The mean of a family's verdicts is its headline (the pass
 * rate): unlike a latency or a takeover rate, it cannot be won by saying nothing, by noise, or by
 * talking early (a raw latency can: an agent that starts before the user ends has the lowest).
 *
 * Exceptions, stated: `latency_degradation` is a paired measurement with no pass rule (no
 * verdict); an action marked `optional` whose trigger never fired has no verdict (its rows say
 * trigger_missed with no pass or fail).
 */
import type { ActionStart } from '../recording/events.ts';
import { FAMILIES, type Action, type ExpectationKind, type Family } from '../scenario/schema.ts';
import type { MetricDefinition, MetricValue, NaReason } from '../scoring/types.ts';
import { metricValue } from './common.ts';

/**
 * The family each expectation kind is judged in; null: no verdict. Vocal tics are judged in
 * vocal_tics wherever they are the point: `ignore` and `keep_talking` on a vocal_tic action, and
 * `no_takeover` on speech that carries tics (`carriesTics`: every hesitation and pause of that
 * turn counts then). Otherwise `ignore` goes by the action's kind (side talk, background).
 */
export function expectationFamily(kind: ExpectationKind, actionKind: ActionStart['kind'], carriesTics = false): Family | null {
  switch (kind) {
    case 'take_turn':
      return 'turn_taking';
    case 'no_takeover':
      return carriesTics ? 'vocal_tics' : 'pause';
    case 'backchannel_opportunity':
      return 'backchannel';
    case 'stop':
    case 'answer':
      return 'interruption';
    case 'keep_talking':
      return actionKind === 'vocal_tic' ? 'vocal_tics' : 'user_backchannel';
    case 'react':
      return 'visual_interjection';
    case 'ignore':
      return actionKind === 'vocal_tic' ? 'vocal_tics' : actionKind === 'side_talk' ? 'side_talk' : 'background';
    case 'latency_degradation':
      return null;
    case 'speak_at':
      return 'time_awareness';
    case 'interpret':
      return 'simultaneous_speech';
    case 'deliver':
      return 'background_task';
  }
}

/** Every family that has expectations of its own (long_session only aggregates the others). */
const VERDICT_FAMILIES: readonly Family[] = FAMILIES.filter((f) => f !== 'long_session');

export const VERDICT_METRICS: readonly MetricDefinition[] = VERDICT_FAMILIES.map((family) => ({
  name: `${family}.verdict`,
  family,
  unit: 'bool',
  direction: 'higher',
  definition:
    "1 when the expectation held (every check of it passed), else 0, never null: a missed trigger, an action never reached, the agent silent where it had to be talking, or no substantive response are 0 with a typed reason. Its mean is the family's pass rate, the family's headline.",
  denominator: `per ${family} expectation (subject <action>/<expectation kind>)`,
  peer: 'No single peer metric: Full-Duplex-Bench and FD-Bench report per-metric rates whose denominators drop what did not happen.',
}));

const BY_FAMILY = new Map(VERDICT_METRICS.map((d) => [d.family, d]));

function verdictDefinition(family: Family): MetricDefinition {
  const def = BY_FAMILY.get(family);
  if (!def) throw new Error(`no verdict metric for family ${family}`);
  return def;
}

export const verdictSubject = (actionId: string, kind: ExpectationKind) => `${actionId}/${kind}`;

/** The verdict of one expectation from its rows; undefined when none of them carries a pass rule. */
export function verdictRow(family: Family, subject: string, rows: readonly MetricValue[]): MetricValue | undefined {
  const judged = rows.filter((r) => r.passed !== null);
  if (judged.length === 0) return undefined;
  const failed = judged.find((r) => r.passed === false);
  return metricValue(verdictDefinition(family), subject, failed ? 0 : 1, {
    passed: !failed,
    expectation: judged[0].expectation,
    reason: failed?.reason,
    note: failed ? `${failed.name}: ${failed.note ?? (failed.value === null ? 'no value' : `${failed.value} ${failed.unit}`)}` : undefined,
  });
}

/** Rows for an expectation whose action was never placed: its main metric N/A, and a failed verdict unless optional. */
export function missedRows(
  main: MetricDefinition,
  family: Family | null,
  action: Action,
  kind: ExpectationKind,
  reason: NaReason,
  note: string,
): MetricValue[] {
  const optional = action.optional === true;
  const expectation = `${kind} (action "${action.id}" was not played)`;
  const rows = [metricValue(main, action.id, null, { passed: optional ? null : false, expectation, reason, note })];
  if (family && !optional) rows.push(metricValue(verdictDefinition(family), verdictSubject(action.id, kind), 0, { passed: false, expectation, reason, note }));
  return rows;
}
