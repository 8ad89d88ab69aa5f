/** Test helper: a child process that burns a known amount of CPU on cue (bench/cpu-share's known answers). */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';

/**
 * A process that says "ready", burns `ms` of CPU once told "go" on stdin, prints how much it
 * burned, and stays until stdin closes (so /proc still has it when read).
 */
const BURNER = `
const want = Number(process.argv[1]);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
process.stdin.once('data', () => {
  const start = cpu();
  while (cpu() - start < want) {}
  process.stdout.write(String(cpu() - start) + '\\n');
  process.stdin.on('end', () => process.exit(0));
});
process.stdout.write('ready\\n');
`;

export interface Burner {
  child: ChildProcessWithoutNullStreams;
  /** Tells it to burn; resolves to the CPU ms it says it burned. */
  go(): Promise<number>;
  end(): Promise<void>;
}

/** Starts a burner (on one CPU when `cpu` is given, through util-linux's taskset) and waits until it is ready. */
export async function startBurner(ms: number, cpu?: number): Promise<Burner> {
  const argv = [process.execPath, '-e', BURNER, String(ms)];
  const child = cpu === undefined ? spawn(argv[0], argv.slice(1)) : spawn('taskset', ['-c', String(cpu), ...argv]);
  await once(child.stdout, 'data');
  return {
    child,
    go: async () => {
      child.stdin.write('go\n');
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      return Number(line.toString().trim());
    },
    end: async () => {
      child.stdin.end();
      await once(child, 'exit');
    },
  };
}
