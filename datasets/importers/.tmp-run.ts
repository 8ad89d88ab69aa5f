import { importFdbV1, scorePeerFdbV1, scoreCrosstalkFdbV1 } from './fdb-v1.ts';
import { speechOf } from './speech.ts';
const root = '/work/shared/fixtures/full-duplex-bench-v1/example_data/';
for (const t of ['pause_handling_example', 'smooth_turn_taking_example', 'user_interruption_example']) {
  for (const s of await importFdbV1(root + t)) {
    console.log(t, s.task, s.input.sampleRate, s.output.sampleRate, s.words?.length);
    console.log(JSON.stringify(speechOf(s.output.file).map(x => [x.startS, x.endS])));
    for (const r of [...scorePeerFdbV1(s), ...scoreCrosstalkFdbV1(s)]) console.log(' ', r.ruleSet, r.name, r.value, r.note ?? '');
  }
}
