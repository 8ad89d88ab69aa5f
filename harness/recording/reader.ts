/** Read a recording folder back for scoring (`crosstalk score`). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readStereoWav } from './wav.ts';
import { EVENTS_FILE, AUDIO_FILE } from './writer.ts';
import { RECORDING_VERSION, type RecordingEvent, type RecordingHeader } from './events.ts';
import type { Recording } from '../scoring/types.ts';
import { InputError } from '../errors.ts';

export function readRecording(dir: string): Recording {
  const eventsPath = join(dir, EVENTS_FILE);
  const audioPath = join(dir, AUDIO_FILE);
  for (const p of [eventsPath, audioPath]) {
    if (!existsSync(p))
      throw new InputError(`not a recording: ${p} is missing`, {
        file: dir,
        hint: 'Point at a session folder written by `crosstalk run` (it holds events.jsonl and audio.wav).',
      });
  }
  const events: RecordingEvent[] = [];
  const lines = readFileSync(eventsPath, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      events.push(JSON.parse(line) as RecordingEvent);
    } catch {
      // The last line of a recording cut by a crash may be partial: keep everything before it.
      if (i < lines.length - 2)
        throw new InputError(`malformed event log line`, { file: eventsPath, line: i + 1, hint: 'The file is corrupt; re-run the session.' });
    }
  });
  const header = events[0] as RecordingHeader | undefined;
  if (!header || header.type !== 'recording.header') throw new InputError('event log does not start with a recording.header', { file: eventsPath, line: 1 });
  if (Math.floor(header.version) > RECORDING_VERSION) {
    throw new InputError(`recording format v${header.version} is newer than this crosstalk (v${RECORDING_VERSION})`, {
      file: eventsPath,
      line: 1,
      field: 'version',
      hint: 'Upgrade crosstalk to score it.',
    });
  }
  const wav = readStereoWav(audioPath);
  return { header, events, sampleRate: wav.sampleRate, user: wav.left, agent: wav.right };
}
