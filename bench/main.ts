/** `npm run bench`: prints measured figures as Markdown tables. */
import { join } from 'node:path';
import { pacingBench, virtualAndScoringBench, createMediaSource, type Row } from './engine.ts';

function table(title: string, rows: Row[]): string {
  if (rows.length === 0) return `### ${title}\n(no rows)\n`;
  const cols = Object.keys(rows[0]);
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [`### ${title}`, '', line(cols), line(cols.map(() => '---')), ...rows.map((r) => line(cols.map((c) => r[c] ?? ''))), ''].join('\n');
}

const media = createMediaSource();
const root = join(import.meta.dirname, '..', 'scenarios');
const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

console.log(`crosstalk bench on ${process.platform} ${process.arch}, Node ${process.version}, ${(await import('node:os')).cpus().length} cores\n`);
if (want('pacing')) console.log(table('Real-time pacing and measured-latency error (scripted agent, planted 430 ms)', await pacingBench(media)));
if (want('virtual')) console.log(table('Virtual-time speed and scoring speed', await virtualAndScoringBench(media, root)));
