import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runSession } from './harness/runner/session.ts';
import { parseScenario } from './harness/scenario/load.ts';
import { createScriptedAdapter } from './adapters/scripted/adapter.ts';
import { createMediaSource } from './datasets/media-source.ts';
const dir = mkdtempSync(join(tmpdir(), 'prof-'));
const loaded = parseScenario(`
version: 1
id: b
family: turn_taking
noise: { kind: pink, level_dbfs: -60 }
tail_ms: 1500
timeline:
  - id: q1
    at_ms: 300
    speak: { text: "Could you tell me how long it takes to walk to the station from here?" }
    expect: [ { take_turn: { within_ms: 1500 } } ]
  - id: q2
    after: { event: agent_speech_end, delay_ms: 400, timeout_ms: 10000 }
    speak: { text: "And is there a bus as well?" }
    expect: [ { take_turn: { within_ms: 1500 } } ]
`, join(dir, 'b.yaml'), 'b');
const media = createMediaSource();
const adapter = createScriptedAdapter({ answerMs: 2500, delivery: 'stream' });
const t0 = process.cpuUsage();
const w0 = performance.now();
const outs = await Promise.all(Array.from({ length: 64 }, (_, i) => runSession({ loaded, sessionId: 'p' + i, dir: join(dir, 's' + i), adapter, media, clock: 'real', harnessVersion: 't' })));
const cpu = process.cpuUsage(t0);
console.log('wall', (performance.now() - w0).toFixed(0), 'cpu user+sys ms', ((cpu.user + cpu.system) / 1000).toFixed(0), 'p99s', outs.slice(0, 5).map((o) => o.pacing.p99Ms.toFixed(1)).join(','));
