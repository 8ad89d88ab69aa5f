/**
 * `run --transcribe-url`: the words of the agent's channel as played, from an OpenAI-compatible
 * transcription endpoint (transcriber.ts, the importers' client), written into the recording as
 * agent transcript events before scoring. The played channel is what a user heard, so these words
 * are the honest ones for content checks: a cut-off answer's unplayed words are not in them,
 * whatever the adapter's own transcript says (content/heard.ts prefers them when present).
 *
 * One event per word: t and endMs are the word's times on the session clock (the channel starts
 * at t = 0), `source: 'endpoint'`, final. Only the text goes into the recording; the key stays in
 * the Authorization header.
 */
import { join } from 'node:path';
import type { RecordingEvent } from '../../harness/recording/events.ts';
import { readStereoWav } from '../../harness/recording/wav.ts';
import { appendEvents, AUDIO_FILE } from '../../harness/recording/writer.ts';
import { encodeWav } from '../audio/wav.ts';
import { transcribeWav, type TranscriberOptions } from './transcriber.ts';

/** Transcribe the played agent channel of the recording in `dir` and append its words; returns how many. */
export async function transcribeRecording(dir: string, opts: TranscriberOptions): Promise<number> {
  const { right: agent, sampleRate } = readStereoWav(join(dir, AUDIO_FILE));
  const words = await transcribeWav(encodeWav(agent, sampleRate), 'agent.wav', opts);
  const events: RecordingEvent[] = words
    .filter((w) => w.text.trim() !== '')
    .map((w) => ({
      type: 'transcript',
      t: w.startS * 1000,
      endMs: (w.endS ?? w.startS) * 1000,
      role: 'agent',
      text: w.text.trim(),
      final: true,
      source: 'endpoint',
    }));
  appendEvents(dir, events);
  return events.length;
}
