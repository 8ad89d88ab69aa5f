/**
 * Render a real-time run's media before its first session starts. Speech is synthesized on the
 * thread that asks for it (datasets/tts: eSpeak and the other engines run in-process) and then
 * cached on disk; a session renders its media before its own clock starts, but while the other
 * sessions of its process are live, so a cold synthesis there would stall their frames. Warming
 * the cache first leaves the sessions only cache reads. Failures are left to the session that
 * meets them (it reports them with the scenario's file and line).
 */
import type { MediaSource } from '../media.ts';
import type { LoadedScenario } from '../scenario/load.ts';
import type { AvMedia } from './av-media.ts';

/** A level to render background speech at: the synthesis (what is cached) does not depend on it. */
const ANY_USER_SPEECH_DBFS = -26;

export async function warmMedia(scenarios: readonly LoadedScenario[], media: MediaSource, av?: AvMedia): Promise<void> {
  const seen = new Set<string>();
  for (const loaded of scenarios) {
    if (seen.has(loaded.key)) continue;
    seen.add(loaded.key);
    const { scenario, file } = loaded;
    const defaults = { voice: scenario.voice, seed: scenario.seed ?? 0 };
    for (const a of scenario.timeline) {
      const speech = a.speak ?? a.backchannel;
      await Promise.resolve()
        .then(async () => {
          if (speech) await media.renderSpeech(speech, defaults, file);
          if (!av) return;
          if (a.side_talk) await av.renderSideTalk(a.side_talk, defaults, file);
          if (a.background) await av.renderBackground(a.background, { ...defaults, userSpeechDbfs: ANY_USER_SPEECH_DBFS }, file);
          if (a.vocal_tic) await av.renderVocalTic(a.vocal_tic, defaults, a.id);
        })
        .catch(() => undefined);
    }
  }
}
