/**
 * The clips a scenario plays, read before any session starts, so that a bad WAV stops a run at
 * once (exit 2) with the scenario line that names it, not mid-run. The loader (load.ts) already
 * refuses a clip that is not there; reading one takes the media port (decoding is datasets/'
 * job), so this check runs once the run has its media. A clip that cannot be read or is of the
 * wrong format is an InputError naming the scenario file, the line and field of its `clip`, and
 * the clip itself.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import type { MediaSource } from '../media.ts';
import { parseYaml } from '../yaml.ts';
import type { LoadedScenario } from './load.ts';
import type { Action, Speech } from './schema.ts';

export async function checkClips(scenarios: readonly LoadedScenario[], media: Pick<MediaSource, 'renderSpeech'>): Promise<void> {
  for (const l of scenarios) {
    const defaults = { voice: l.scenario.voice, seed: l.scenario.seed ?? 0 };
    for (const [i, a] of l.scenario.timeline.entries()) {
      const clip = clipOf(a);
      if (!clip) continue;
      try {
        await media.renderSpeech(clip.speech, defaults, l.file);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        const named = e.file && e.file !== l.file ? `clip ${e.file}: ` : '';
        throw new InputError(`${named}${e.message}`, {
          file: l.file,
          line: yamlLine(l.file, ['timeline', i, clip.kind, 'clip']),
          field: `timeline.${i}.${clip.kind}.clip`,
          hint: e.hint,
        });
      }
    }
  }
}

/** The clip an action plays, as the speech rendered from it (a background voice: its clip and voice). */
function clipOf(a: Action): { kind: 'speak' | 'backchannel' | 'side_talk' | 'background'; speech: Speech } | undefined {
  if (a.background?.clip !== undefined) return { kind: 'background', speech: { clip: a.background.clip, voice: a.background.voice } };
  const kind = (['speak', 'backchannel', 'side_talk'] as const).find((k) => a[k]?.clip !== undefined);
  return kind && { kind, speech: a[kind]! };
}

/** The line of the node at `path` in a YAML file (the deepest node that exists). */
function yamlLine(file: string, path: (string | number)[]): number | undefined {
  return parseYaml(readFileSync(file, 'utf8'), file).lineOf(path);
}
