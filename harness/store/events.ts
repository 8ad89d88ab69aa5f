/**
 * Recording events -> `events` rows. The recording (events.jsonl) stays the source of truth;
 * the store keeps what reports query.
 *
 * Two kinds of event are left out:
 * - the header: its content is in the `sessions` and `runs` rows (and the recording itself);
 * - `frame.sent`: one per 20 ms user frame, the bulk of any log and of no use to a query on its
 *   own. Their summary is kept instead: count and lateness percentiles in the `session.end`
 *   event's payload (`pacing`), and the percentiles in sessions.pacing_*_ms.
 */
import type { RecordingEvent } from '../recording/events.ts';
import type { EventRow } from './rows.ts';

export function toEventRows(events: readonly RecordingEvent[], sessionId: string): EventRow[] {
  const rows: EventRow[] = [];
  for (const event of events) {
    if (event.type === 'recording.header' || event.type === 'frame.sent') continue;
    const { type, t, ...payload } = event;
    const dot = type.indexOf('.');
    rows.push({ sessionId, tMs: t, source: dot < 0 ? type : type.slice(0, dot), type, payload });
  }
  return rows;
}
