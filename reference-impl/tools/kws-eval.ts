/**
 * How well the keyword spotter hears the suites' requests, in the suites' own voices (none of
 * which renders its templates), and what it costs per turn. A report on data the agent is scored
 * on, never a place to choose anything: the spotter's thresholds come from its development set
 * (kws-dev.ts).
 *
 *   npx tsx reference-impl/tools/kws-eval.ts
 *
 * durations: the time-awareness requests, and the core suite's "set a timer for twenty
 *            minutes" -> the right duration (wrong value and misses apart);
 * tasks:     the slow-task requests -> a task (and no duration);
 * false:     the other questions, long-answer requests and small talk of the suites -> nothing.
 * Each text is rendered clean at 175 wpm in every voice of the suites' list; CPU is the process
 * CPU time of `spot` on one turn (features and every template).
 */
import { CORE_VOICES } from '../../datasets/recipes/core-suite.ts';
import { LONG_ANSWER_REQUESTS, QUESTIONS } from '../../datasets/recipes/core-texts.ts';
import { SLOW_TASKS, SMALL_TALK, TIME_REQUESTS } from '../../datasets/recipes/conversation-texts.ts';
import { synthesize } from '../../datasets/tts/espeak.ts';
import { quantile } from '../../harness/stats.ts';
import { defaultKeywordSpotter } from '../perception/keywords/templates.ts';
import { trimToFrames } from '../voice-bank.ts';

const TIMER_QUESTION = 'Please set a timer for twenty minutes.';
const DURATION_REQUESTS = [...TIME_REQUESTS, { text: TIMER_QUESTION, afterMs: 1_200_000 }];
const OTHER_TURNS = [...QUESTIONS.filter((q) => q !== TIMER_QUESTION), ...LONG_ANSWER_REQUESTS, ...SMALL_TALK];

const spotter = await defaultKeywordSpotter();
const tally = { durationRight: 0, durationWrong: 0, durationMissed: 0, taskHeard: 0, taskMissed: 0, falseDuration: 0, falseTask: 0 };
const counts = { durations: 0, tasks: 0, negatives: 0 };
const cpuMs: number[] = [];
const wrong: string[] = [];
/** Closest z of each kind, per group, to show how far the thresholds sit from the data. */
const zs = { durationTrue: [] as number[], taskTrue: [] as number[], durationOther: [] as number[], taskOther: [] as number[] };
const fmt = (z: number | undefined) => (z === undefined || !Number.isFinite(z) ? '-' : z.toFixed(1));

for (const v of CORE_VOICES) {
  const voice = { name: v.name, rate_wpm: 175, pitch: 50 };
  const hear = async (text: string, group: 'duration' | 'task' | 'other') => {
    const turn = trimToFrames((await synthesize(text, voice)).pcm);
    const c0 = process.cpuUsage();
    const s = await spotter.spot(turn);
    const c = process.cpuUsage(c0);
    cpuMs.push((c.user + c.system) / 1000);
    const closest = await spotter.closest(turn);
    // No duration z where no unit word opened the gate: counted as +Infinity (far from a match).
    const dz = closest.duration?.z ?? Infinity;
    if (group === 'duration') zs.durationTrue.push(dz);
    if (group === 'task') zs.taskTrue.push(closest.task!.z);
    if (group === 'other') (zs.durationOther.push(dz), zs.taskOther.push(closest.task!.z));
    return s;
  };
  for (const r of DURATION_REQUESTS) {
    counts.durations++;
    const s = await hear(r.text, 'duration');
    if (s?.kind === 'duration' && s.durationMs === r.afterMs) tally.durationRight++;
    else if (s?.kind === 'duration') (tally.durationWrong++, wrong.push(`${v.name}: "${r.text}" -> ${s.text}`));
    else (tally.durationMissed++, wrong.push(`${v.name}: "${r.text}" -> ${s ? s.text : 'nothing'}`));
  }
  for (const t of SLOW_TASKS) {
    counts.tasks++;
    const s = await hear(t.text, 'task');
    if (s?.kind === 'task') tally.taskHeard++;
    else (tally.taskMissed++, wrong.push(`${v.name}: "${t.text}" -> ${s ? s.text : 'nothing'}`));
  }
  for (const text of OTHER_TURNS) {
    counts.negatives++;
    const s = await hear(text, 'other');
    if (s?.kind === 'duration') (tally.falseDuration++, wrong.push(`${v.name}: "${text}" -> ${s.text}`));
    if (s?.kind === 'task') (tally.falseTask++, wrong.push(`${v.name}: "${text}" -> ${s.text}`));
  }
}

console.log(`durations: ${tally.durationRight}/${counts.durations} right, ${tally.durationWrong} wrong value, ${tally.durationMissed} missed`);
console.log(`tasks: ${tally.taskHeard}/${counts.tasks} heard`);
console.log(`false alarms on ${counts.negatives} other turns: ${tally.falseDuration} durations, ${tally.falseTask} tasks`);
console.log(
  `CPU per turn: p50 ${quantile(cpuMs, 0.5).toFixed(1)} ms, p90 ${quantile(cpuMs, 0.9).toFixed(1)} ms, max ${Math.max(...cpuMs).toFixed(1)} ms (${cpuMs.length} turns)`,
);
const spread = (xs: number[]) =>
  `min ${fmt(Math.min(...xs))} p10 ${fmt(quantile(xs, 0.1))} p50 ${fmt(quantile(xs, 0.5))} p90 ${fmt(quantile(xs, 0.9))} max ${fmt(Math.max(...xs))}`;
console.log(`closest duration z: requests ${spread(zs.durationTrue)} | other turns ${spread(zs.durationOther)}`);
console.log(`closest task z: requests ${spread(zs.taskTrue)} | other turns ${spread(zs.taskOther)}`);
console.log(wrong.join('\n'));
