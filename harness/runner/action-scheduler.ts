/**
 * The user's side of a session: puts each scenario action on the user track (or the video
 * stream) when the timeline says it starts, records where it landed and its planted truth, and
 * keeps the session's end time. The agent's played speech reaches it as onsets and offsets,
 * which fire reactive actions. It reads time only through the clock it is given.
 */
import type { Clock } from '../clock.ts';
import type { TruthEvent } from '../adapter.ts';
import type { RenderedSpeech } from '../media.ts';
import type { ActionKind } from '../scenario/schema.ts';
import type { RecordingEvent } from '../recording/events.ts';
import type { VadChange } from '../vad/energy.ts';
import { msToSamples, samplesToMs } from '../audio/units.ts';
import { Timeline, type ActionSlot, type Fire } from './timeline.ts';
import type { UserTrack } from './user-track.ts';
import type { VideoSchedule } from './video-stream.ts';

export interface PreparedAction {
  slot: ActionSlot;
  kind: ActionKind;
  /** Audio actions (speak, backchannel, side talk, background, vocal tic). */
  speech?: RenderedSpeech;
  /** Silence and show actions: their length. */
  lengthMs?: number;
}

/** Truth sent to test agents when an audio action is placed. */
const TRUTH_OF: Partial<Record<ActionKind, TruthEvent['type']>> = {
  speak: 'user_speech',
  backchannel: 'user_backchannel',
  side_talk: 'user_side_talk',
  background: 'background',
  vocal_tic: 'user_vocal_tic',
};

interface ActionSchedulerParts {
  clock: Clock;
  timeline: Timeline;
  prepared: Map<string, PreparedAction>;
  track: UserTrack;
  video?: VideoSchedule;
  record: (e: RecordingEvent) => void;
  /** Planted truth for agents that accept it (test agents). */
  truth: (e: TruthEvent) => void;
  /** The session lasts at most this long. */
  maxSessionMs: number;
  /** Silence kept after the last action (and after any due time) before the session ends. */
  tailMs: number;
  /** The session has ended: nothing more is placed. */
  ended: () => boolean;
}

export class ActionScheduler {
  /** When the session ends, ms; moves as actions are placed or skipped. */
  endAtMs: number;
  /** The latest due time (speak_at, deliver) plus its budget, ms. */
  private dueUntilMs = 0;

  constructor(private readonly p: ActionSchedulerParts) {
    this.endAtMs = p.maxSessionMs;
  }

  /** Schedule the actions with absolute start times, one frame ahead so they make their frame. */
  start(frameMs: number): void {
    for (const f of this.p.timeline.initial()) this.p.clock.at(f.atMs - frameMs, () => this.place(f));
  }

  /** The agent's played speech started or stopped: fire what waits on it. */
  agentSpeech(changes: VadChange[]): void {
    const { clock, timeline, record } = this.p;
    for (const c of changes) {
      if (c.type === 'onset') {
        record({ type: 'agent.speech_start', t: clock.nowMs(), onsetMs: c.atMs });
        for (const f of timeline.agentOnset(c.atMs)) this.place(f);
        continue;
      }
      record({ type: 'agent.speech_end', t: clock.nowMs(), offsetMs: c.atMs });
      for (const check of timeline.agentOffset(c.atMs)) {
        clock.at(check.checkAtMs, () => {
          const f = timeline.confirmSilence(check.slot, c.atMs);
          if (f) this.place(f);
        });
      }
    }
  }

  /** Put an action on the user track at (or as near as possible to) `fire.atMs`. */
  private place(fire: Fire): void {
    const { slot } = fire;
    const { clock, timeline, record, track } = this.p;
    if (slot.state === 'placed' || slot.state === 'skipped' || this.p.ended()) return;
    const prepared = this.p.prepared.get(slot.action.id)!;
    const { kind, speech } = prepared;
    const show = slot.action.show;
    const startMs = show
      ? this.p.video!.placeCue(slot.action.id, show.cue, fire.atMs, show.ms).startMs
      : samplesToMs(track.place(msToSamples(fire.atMs, track.sampleRate), speech?.pcm ?? new Int16Array(0)), track.sampleRate);
    const lengthMs = speech ? samplesToMs(speech.pcm.length, track.sampleRate) : prepared.lengthMs!;
    const endMs = startMs + lengthMs;
    const now = clock.nowMs();
    if (fire.event !== 'at_ms') record({ type: 'trigger.fired', t: now, id: slot.action.id, event: fire.event, refMs: fire.refMs, atMs: startMs });
    const abs = (ms: number) => startMs + ms;
    record({
      type: 'action.start',
      t: now,
      id: slot.action.id,
      kind,
      startMs,
      speechStartMs: speech ? abs(speech.speechStartMs) : startMs,
      speechEndMs: speech ? abs(speech.speechEndMs) : endMs,
      endMs,
      words: speech ? speech.words.map((w) => ({ text: w.text, startMs: abs(w.startMs), endMs: abs(w.endMs) })) : [],
      pauses: speech ? speech.pauses.map((q) => ({ startMs: abs(q.startMs), endMs: abs(q.endMs), afterWord: q.afterWord })) : [],
      ...(speech?.tics ? { tics: speech.tics.map((q) => ({ startMs: abs(q.startMs), endMs: abs(q.endMs), sound: q.sound })) } : {}),
      expect: slot.action.expect ?? [],
      text: (slot.action.speak ?? slot.action.backchannel ?? slot.action.side_talk ?? slot.action.background)?.text,
    });
    this.sendTruth(prepared, startMs, endMs);
    clock.at(endMs, () => record({ type: 'action.end', t: clock.nowMs(), id: slot.action.id }));
    for (const f of timeline.placed(slot, startMs, endMs)) this.place(f);
    for (const armed of timeline.slots.filter((x) => x.state === 'armed' && x.armedMs === endMs)) {
      clock.at(timeline.giveUpAtMs(armed), () => {
        if (armed.state !== 'armed') return;
        const reason = `trigger ${armed.action.after?.event} did not happen within ${armed.action.after?.timeout_ms ?? 'the default'} ms`;
        for (const skipped of timeline.skip(armed)) record({ type: 'action.skipped', t: clock.nowMs(), id: skipped.action.id, reason });
        this.updateEnd();
      });
    }
    this.updateEnd();
  }

  /** Planted truth for test agents: the action's extent, its pauses and tics, and any time it makes due. */
  private sendTruth({ slot, kind, speech }: PreparedAction, startMs: number, endMs: number): void {
    const { truth } = this.p;
    const actionId = slot.action.id;
    const abs = (ms: number) => startMs + ms;
    if (kind === 'show') truth({ type: 'visual_cue', actionId, startMs, endMs });
    const type = TRUTH_OF[kind];
    if (!speech || !type) return;
    truth({ type, actionId, startMs: abs(speech.speechStartMs), endMs: abs(speech.speechEndMs) });
    if (kind !== 'speak' && kind !== 'backchannel') return;
    for (const q of speech.pauses) truth({ type: 'user_pause', actionId, startMs: abs(q.startMs), endMs: abs(q.endMs) });
    for (const q of speech.tics ?? []) truth({ type: 'user_vocal_tic', actionId, startMs: abs(q.startMs), endMs: abs(q.endMs) });
    if (kind !== 'speak') return;
    const turnEndMs = abs(speech.speechEndMs);
    const expect = slot.action.expect ?? [];
    truth({ type: 'user_turn_end', actionId, startMs: turnEndMs, endMs: turnEndMs, says: expect.find((e) => e.interpret)?.interpret?.says });
    for (const e of expect) {
      const due = e.speak_at
        ? { type: 'time_due' as const, atMs: turnEndMs + e.speak_at.after_ms, withinMs: e.speak_at.within_ms, says: e.speak_at.says }
        : e.deliver
          ? { type: 'task_due' as const, atMs: turnEndMs + e.deliver.due_after_ms, withinMs: e.deliver.within_ms, says: e.deliver.says }
          : undefined;
      if (!due) continue;
      truth({ type: due.type, actionId, startMs: due.atMs, endMs: due.atMs, says: due.says });
      // The session lasts until the agent's budget for a due time has run out.
      this.dueUntilMs = Math.max(this.dueUntilMs, due.atMs + due.withinMs);
    }
  }

  private updateEnd(): void {
    const { timeline, maxSessionMs, tailMs } = this.p;
    if (timeline.settled()) this.endAtMs = Math.min(maxSessionMs, Math.max(timeline.lastEndMs(), this.dueUntilMs) + tailMs);
  }
}
