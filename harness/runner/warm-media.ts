/**
 * Render a real-time run's media before its first session starts. Speech is synthesized on the
 * thread that asks for it (datasets/tts: eSpeak and the other engines run in-process) and cached
 * on disk, and perturbations (reverb, codecs) are applied on every render; a session renders its
 * media before its own clock starts, but while the other sessions of its process are live, so
 * rendering there would stall their frames. So each process that plays real-time sessions renders
 * its selection once, before its first session, through memoizedMedia: the sessions then get
 * copies of what was rendered, with no synthesis, no decoding and no filtering on the live loop.
 * Failures are left to the session that meets them (it reports them with the scenario's file and
 * line).
 */
import { USER_SAMPLE_RATE, type MediaSource, type RenderedSpeech } from '../media.ts';
import { activeSpeechDbfs } from './levels.ts';
import type { LoadedScenario } from '../scenario/load.ts';

export async function warmMedia(scenarios: readonly LoadedScenario[], media: MediaSource): Promise<void> {
  const seen = new Set<string>();
  const quietly = (render: () => Promise<unknown>) =>
    Promise.resolve()
      .then(render)
      .catch(() => undefined);
  for (const loaded of scenarios) {
    if (seen.has(loaded.key)) continue;
    seen.add(loaded.key);
    const { scenario, file } = loaded;
    const defaults = { voice: scenario.voice, seed: scenario.seed ?? 0 };
    // As a session prepares them (session.ts): user speech first, beds levelled against it.
    const userSpeech: Int16Array[] = [];
    for (const a of scenario.timeline) {
      const speech = a.speak ?? a.backchannel;
      if (!speech) continue;
      await quietly(async () => {
        const r = await media.renderSpeech(speech, defaults, file);
        if (a.speak) userSpeech.push(r.pcm);
      });
    }
    const userSpeechDbfs = activeSpeechDbfs(userSpeech, USER_SAMPLE_RATE);
    for (const a of scenario.timeline) {
      if (a.side_talk) await quietly(() => media.renderSideTalk(a.side_talk!, defaults, file));
      if (a.background) await quietly(() => media.renderBackground(a.background!, { ...defaults, userSpeechDbfs }, file));
      if (a.vocal_tic) await quietly(() => media.renderVocalTic(a.vocal_tic!, defaults, a.id));
    }
  }
}

/**
 * The same media, each render kept by its arguments and handed out again as a copy (a session
 * may write into what it is given). Rendering is deterministic (seeded), so a kept render is the
 * render. Everything else the object has passes through unchanged.
 */
export function memoizedMedia<M extends MediaSource>(media: M): M {
  const kept = new Map<string, Promise<RenderedSpeech>>();
  return new Proxy(media, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (typeof name !== 'string' || !RENDERS.includes(name)) return (value as (...a: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        const key = `${name}:${JSON.stringify(args)}`;
        let render = kept.get(key);
        if (!render) {
          render = (value as (...a: unknown[]) => Promise<RenderedSpeech>).apply(target, args);
          kept.set(key, render);
          // A failure is not kept: the session that asks again meets it itself.
          render.catch(() => kept.delete(key));
        }
        return render.then(copyOf);
      };
    },
  });
}

/** The renders kept; openVideo is not one (a session opens its own track; datasets/video/ caches the frames on disk). */
const RENDERS: readonly string[] = ['renderSpeech', 'renderSideTalk', 'renderBackground', 'renderVocalTic'] satisfies (keyof MediaSource)[];

function copyOf(r: RenderedSpeech): RenderedSpeech {
  return { ...r, pcm: r.pcm.slice() };
}
