/**
 * Test-drives the two distributed set-ups without their platforms: the GitHub Actions workflow's
 * `run:` steps and the Kubernetes Indexed Job's container script are executed here as written,
 * once per matrix entry / completion index, on a small suite (scripted agent, virtual time);
 * artifact upload/download and the shared volume are stood in for by folders. One Kubernetes
 * pod is SIGKILLed and restarted, as the Job's per-index retry would. The merged store must hold
 * every session of the suite exactly once, one run per shard.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { Store } from '../../harness/store/store.ts';
import { encodeWav } from '../../datasets/audio/wav.ts';
import { vowelVoice } from '../../harness/audio/vowel-voice.ts';
import { loadGateConfig } from '../../harness/gate/config.ts';

const root = resolve(import.meta.dirname, '..', '..');
const SCENARIOS = 10;
let tmp: string;
let suite: string;
let shim: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'crosstalk-deploy-'));
  suite = join(tmp, 'mini');
  mkdirSync(suite);
  // A speech-like clip (the speech detector trims the user's clips; a tone is no speech), taken
  // 2 s into the vowel voice: the scripted agent answers with its start, and the same audio
  // back would be an echo of the user, no answer.
  writeFileSync(join(suite, 'voice.wav'), encodeWav(vowelVoice(2000 + 1000).subarray(32_000), 16_000));
  for (let i = 0; i < SCENARIOS; i++) {
    // Different lengths, so the split by expected duration has something to balance.
    const turns = Array.from({ length: 1 + (i % 4) }, (_, k) =>
      k === 0
        ? `  - id: t0\n    at_ms: 300\n    speak: { clip: voice.wav }\n`
        : `  - id: t${k}\n    after: { event: agent_speech_end, delay_ms: 300, timeout_ms: 10000 }\n    speak: { clip: voice.wav }\n`,
    ).join('');
    writeFileSync(join(suite, `m${i}.yaml`), `version: 1\nid: m${i}\nfamily: turn_taking\ntail_ms: 1000\ntimeline:\n${turns}`);
  }
  // The container image puts `crosstalk` on PATH.
  shim = join(tmp, 'bin');
  mkdirSync(shim);
  writeFileSync(join(shim, 'crosstalk'), `#!/bin/sh\nexec "${process.execPath}" "${join(root, 'bin', 'crosstalk.mjs')}" "$@"\n`);
  chmodSync(join(shim, 'crosstalk'), 0o755);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const small = { SUITE: () => suite, ADAPTER: () => 'scripted', CLOCK: () => 'virtual' };
const smallEnv = () => Object.fromEntries(Object.entries(small).map(([k, v]) => [k, v()]));

/** `${{ matrix.shard }}`, `${{ secrets.X }}`, `${{ env.X }}`: the only expressions the steps may use. */
function expand(text: string, matrix: Record<string, unknown>, env: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    const [scope, name] = expr.split('.');
    if (scope === 'matrix') return String(matrix[name]);
    if (scope === 'secrets') return '';
    if (scope === 'env') return env[name];
    throw new Error(`unsupported expression in a run step: ${expr}`);
  });
}

interface Step {
  name?: string;
  id?: string;
  if?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

function runStep(step: Step, env: Record<string, string>, matrix: Record<string, unknown>, expectedStatus = 0): { stdout: string; stderr: string } {
  const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v), matrix, env)]));
  // GitHub runs `run:` with `bash -e {0}`.
  const r = spawnSync('bash', ['-e', '-c', step.run!], { cwd: root, env: { ...process.env, ...env, ...stepEnv }, encoding: 'utf8', timeout: 300_000 });
  expect(r.status, `${step.name}: ${r.stdout}\n${r.stderr}`).toBe(expectedStatus);
  return { stdout: r.stdout, stderr: r.stderr };
}

async function census(store: string): Promise<{ keys: string[]; shards: string[] }> {
  const s = await Store.open(store);
  try {
    const keys = (await s.query<{ k: string }>('SELECT scenario_key AS k FROM sessions ORDER BY k')).map((r) => r.k);
    const shards = (await s.query<{ shard: string }>(`SELECT (config->>'shard') AS shard FROM runs ORDER BY shard`)).map((r) => r.shard);
    return { keys, shards };
  } finally {
    await s.close();
  }
}

const everyKey = () => Array.from({ length: SCENARIOS }, (_, i) => `mini/m${i}`).sort();

describe('GitHub Actions matrix (.github/workflows/crosstalk-shards.yml)', () => {
  it('shard jobs then the merge job, run step by step: every session once, one run per shard', async () => {
    const wf = parse(readFileSync(join(root, '.github', 'workflows', 'crosstalk-shards.yml'), 'utf8')) as {
      env: Record<string, string>;
      jobs: Record<string, { steps: Step[]; strategy?: { matrix: { shard: number[] } }; needs?: string }>;
    };
    const shards = wf.jobs.shard.strategy!.matrix.shard;
    expect(Number(wf.env.SHARDS)).toBe(shards.length);
    expect(wf.jobs.merge.needs).toBe('shard');
    const mergeDir = join(tmp, 'gh', 'merge');
    mkdirSync(mergeDir, { recursive: true });
    for (const shard of shards) {
      const env = { ...wf.env, ...smallEnv(), RESULTS_DIR: join(tmp, 'gh', `shard-${shard}`) };
      for (const step of wf.jobs.shard.steps) if (step.run && step.name !== 'Install') runStep(step, env, { shard });
      // actions/upload-artifact + download-artifact (merge-multiple) into one folder.
      cpSync(env.RESULTS_DIR, mergeDir, { recursive: true });
    }
    const env = { ...wf.env, ...smallEnv(), RESULTS_DIR: mergeDir };
    let gate: { stdout: string; stderr: string } | undefined;
    for (const step of wf.jobs.merge.steps) {
      if (!step.run || step.name === 'Install') continue;
      // The gate judges the whole with the committed crosstalk.gate.yaml and lets its exit code
      // through: this mini suite (10 turn-taking scenarios without expectations, scripted agent)
      // measures none of the gated metrics (nor 50 turn ends), so the gate fails closed: exit 3.
      if (step.name === 'Gate') gate = runStep(step, env, {}, 3);
      else runStep(step, env, {});
    }
    const merged = await census(join(mergeDir, 'all.duckdb'));
    expect(merged.keys).toEqual(everyKey());
    expect(merged.shards).toEqual(shards.map((s) => `${s}/${shards.length}`));
    expect(existsSync(join(mergeDir, 'report.html'))).toBe(true);
    // The gate ran (its config parsed: a config error would be exit 2) and said why it failed.
    expect(gate, 'the merge job has a Gate step').toBeDefined();
    expect(gate!.stdout).toMatch(/^crosstalk gate: a gate FAILED \(\d+ sessions: /);
    expect(gate!.stdout).toMatch(/FAILED turn_taking\.latency_ms median <= 300 min_count 50: (no values in scope|.* fewer than min_count 50)/);
    expect(gate!.stdout).not.toMatch(/^ {2}held /m);
    expect(gate!.stdout).toMatch(/FAILED pause\.takeover rate <= 0\.05 min_count 40: no values in scope/);
    expect(existsSync(join(mergeDir, 'gate.xml'))).toBe(true);
    expect(JSON.parse(readFileSync(join(mergeDir, 'gate.json'), 'utf8')).outcome).toBe('failed');
  });

  it('the merge job always runs the gate on a merged store, never swallows its exit code, and uploads whatever happened', () => {
    const wf = parse(readFileSync(join(root, '.github', 'workflows', 'crosstalk-shards.yml'), 'utf8')) as {
      jobs: Record<string, { if?: string; steps: Step[] }>;
    };
    const steps = wf.jobs.merge.steps;
    expect(wf.jobs.merge.if).toBe('always()');
    const merge = steps.find((s) => s.name === 'Merge shards')!;
    const gate = steps.find((s) => s.name === 'Gate')!;
    expect(gate.if).toBe(`\${{ !cancelled() && steps.${merge.id}.outcome == 'success' }}`);
    // No file check, no `|| true`, no `set +e`: the exit code is the step's.
    expect(gate.run).toMatch(/^node bin\/crosstalk\.mjs gate "\$RESULTS_DIR\/all\.duckdb" --config crosstalk\.gate\.yaml/);
    expect(gate.run).not.toMatch(/\|\||set \+e|if \[|continue-on-error/);
    expect((gate as Record<string, unknown>)['continue-on-error']).toBeUndefined();
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(upload.if).toBe('always()');
    expect(String(upload.with!.path)).toContain('gate.xml');
    expect(steps.indexOf(upload)).toBeGreaterThan(steps.indexOf(gate));
  });

  it('crosstalk.gate.yaml parses and holds the reference targets with minimum counts', () => {
    const config = loadGateConfig(join(root, 'crosstalk.gate.yaml'));
    expect(config.thresholds.map((t) => [t.metric, t.stat, t.op, t.value, t.minCount ?? 1, t.allowNoData ?? false])).toEqual([
      ['turn_taking.latency_ms', 'median', '<=', 300, 50, false],
      ['turn_taking.latency_ms', 'p90', '<=', 500, 50, false],
      ['pause.takeover', 'rate', '<=', 0.05, 40, false],
      ['interruption.stop_latency_ms', 'median', '<=', 200, 10, false],
      ['interruption.stopped', 'rate', '>=', 0.95, 10, false],
      ['user_backchannel.false_stop', 'rate', '<=', 0.1, 10, false],
      ['user_backchannel.false_stop_strict', 'rate', '<=', 0.1, 10, false],
      ['backchannel.rate_per_min', 'median', '>=', 5, 1, false],
      ['backchannel.rate_per_min', 'median', '<=', 20, 1, false],
      ['turn_taking.verdict', 'rate', '>=', 0.9, 60, false],
      ['pause.verdict', 'rate', '>=', 0.8, 20, false],
      ['interruption.verdict', 'rate', '>=', 0.8, 20, false],
      ['user_backchannel.verdict', 'rate', '>=', 0.9, 10, false],
    ]);
  });
});

describe('Kubernetes Indexed Job (deploy/k8s)', () => {
  it('every index runs its shard; a killed pod resumes on restart; the merge job joins them', async () => {
    const docs = parseAllDocuments(readFileSync(join(import.meta.dirname, 'shards-job.yaml'), 'utf8')).map((d) => d.toJS());
    const job = docs.find((d) => d.kind === 'Job');
    expect(job.spec.completionMode).toBe('Indexed');
    const container = job.spec.template.spec.containers[0];
    const manifestEnv = Object.fromEntries(
      container.env.filter((e: { value?: string }) => e.value !== undefined).map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expect(job.spec.completions).toBe(Number(manifestEnv.SHARDS));
    expect(job.spec.parallelism).toBe(job.spec.completions);
    const results = join(tmp, 'k8s');
    mkdirSync(results);
    const env = { ...process.env, ...manifestEnv, ...smallEnv(), RESULTS_DIR: results, PATH: `${shim}:${process.env.PATH}` };
    const script = [...container.command.slice(1), ...container.args];
    const pod = (index: number, killWhenStored?: number) =>
      new Promise<number | string>((done) => {
        const child = spawn(container.command[0], script, { env: { ...env, JOB_COMPLETION_INDEX: String(index) }, detached: true, stdio: 'ignore' });
        let watch: NodeJS.Timeout | undefined;
        if (killWhenStored !== undefined) {
          // Kill the pod (its whole process group) once it has started recording sessions.
          watch = setInterval(() => {
            const recs = join(results, `shard-${index + 1}.recordings`);
            if (existsSync(recs) && readdirSync(recs, { recursive: true }).filter((f) => String(f).endsWith('events.jsonl')).length >= killWhenStored) {
              clearInterval(watch);
              process.kill(-child.pid!, 'SIGKILL');
            }
          }, 10);
        }
        child.on('close', (code, signal) => {
          clearInterval(watch);
          done(code ?? signal ?? 'none');
        });
      });
    const indexes = Array.from({ length: job.spec.completions as number }, (_, i) => i);
    const first = await Promise.all(indexes.map((i) => pod(i, i === 1 ? 1 : undefined)));
    for (const [i, code] of first.entries()) if (i !== 1) expect(code, `index ${i}`).toBe(0);
    // The Job restarts index 1 (backoffLimitPerIndex): its script finds the store and resumes.
    expect(await pod(1)).toBe(0);

    const mergeDoc = parseAllDocuments(readFileSync(join(import.meta.dirname, 'merge-job.yaml'), 'utf8')).map((d) => d.toJS())[0];
    const m = mergeDoc.spec.template.spec.containers[0];
    const r = spawnSync(m.command[0], [...m.command.slice(1), ...m.args], { env: { ...env }, encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const merged = await census(join(results, 'all.duckdb'));
    expect(merged.keys).toEqual(everyKey());
    expect(merged.shards).toEqual(indexes.map((i) => `${i + 1}/${indexes.length}`));
  });
});
