/**
 * Backchannels (`backchannel_opportunity` expectations): while the user holds a long turn, does
 * the agent acknowledge ("mm-hmm", "right") without taking the turn, and at the right moments.
 * Window: the action's planted speech extent [speechStartMs, speechEndMs], ends included.
 *
 * How often humans do it: backchannels are about 19 % of utterances in Switchboard (Jurafsky et
 * al. 1997, SWBD-DAMSL) and 16-19 % of contributions in German and Dutch conversation (Frontiers
 * in Psychology 2020, "Forgotten little words"); the CANDOR corpus has about 1000 backchannel
 * words per hour of speech (Reece et al. 2023, Science Advances), about 17 per minute. Listeners
 * differ several-fold (Blomsma et al. 2024, "Backchannel behavior is idiosyncratic"), so read
 * backchannel.rate_per_min against a range, roughly 5-20 per minute of the speaker's speech
 * (our reading of these sources), not against one target. Backchannels follow cues such as
 * pauses and a region of low pitch (Ward & Tsukahara 2000), hence pause_offset_ms.
 */
import type { MetricDefinition, MetricValue } from '../scoring/types.ts';
import { speechDurationMs } from '../scoring/segments.ts';
import type { ActionStart } from '../recording/events.ts';
import { metricValue, type ActionContext } from './common.ts';

/** Inter-word gaps at least this long count as places a backchannel may aim for. */
const MIN_GAP_MS = 150;

export const BACKCHANNEL_COUNT: MetricDefinition = {
  name: 'backchannel.count',
  family: 'backchannel',
  unit: 'count',
  direction: 'higher',
  definition: "Agent speech segments (the speech detector's) shorter than 1000 ms that start within the user's speech extent.",
  denominator: 'per backchannel_opportunity action',
  peer: 'Full-Duplex-Bench v1 backchannel: Silero VAD segments under 1 s with at most 2 ASR words. Departs: duration only (the speech detector, no ASR), counted inside the user turn only.',
};

const BACKCHANNEL_RATE_PER_MIN: MetricDefinition = {
  name: 'backchannel.rate_per_min',
  family: 'backchannel',
  unit: 'per_min',
  direction: 'target',
  definition:
    "backchannel.count per minute of the user's planted speech (speech extent minus pauses). Humans: roughly 5-20 per minute (see the file's comment).",
  denominator: 'per backchannel_opportunity action',
  peer: "Full-Duplex-Bench v1 frequency: backchannels per second of the whole output file. Departs: per minute of the user's actual speech, so silence and the agent's own turns do not dilute it.",
};

const BACKCHANNEL_PAUSE_OFFSET_MS: MetricDefinition = {
  name: 'backchannel.pause_offset_ms',
  family: 'backchannel',
  unit: 'ms',
  direction: 'target',
  definition: `A backchannel's onset minus the start of the nearest user pause or inter-word gap of at least ${MIN_GAP_MS} ms (planted word timings); negative = before the pause. Near 0 or slightly positive is human-like.`,
  denominator: 'per agent backchannel within a backchannel_opportunity action',
  peer: "Full-Duplex-Bench v1 scores timing as the Jensen-Shannon divergence between the backchannel-time histogram (200 ms bins) and human listeners' (ICC). Departs: a direct, per-event offset to the speaker's own pauses, which needs no human reference distribution.",
};

const BACKCHANNEL_TAKEOVER_COUNT: MetricDefinition = {
  name: 'backchannel.takeover_count',
  family: 'backchannel',
  unit: 'count',
  direction: 'lower',
  definition: "Agent speech segments of at least 1000 ms that start within the user's speech extent (the agent took the floor instead of backchanneling).",
  denominator: 'per backchannel_opportunity action',
  peer: 'Full-Duplex-Bench v1 backchannel TOR: 1 if any VAD segment exceeds 3 s (or has more than 3 words). Departs: the 1 s rule used everywhere else here, and a count instead of 1/0.',
};

export const BACKCHANNEL_METRICS = [BACKCHANNEL_COUNT, BACKCHANNEL_RATE_PER_MIN, BACKCHANNEL_PAUSE_OFFSET_MS, BACKCHANNEL_TAKEOVER_COUNT];

/** Starts of the user's pauses and of inter-word gaps >= MIN_GAP_MS, ms, ascending, unique. */
function pauseStartsMs(action: ActionStart): number[] {
  const starts = new Set(action.pauses.map((p) => p.startMs));
  const words = [...action.words].sort((x, y) => x.startMs - y.startMs);
  for (let i = 0; i + 1 < words.length; i++) {
    if (words[i + 1].startMs - words[i].endMs >= MIN_GAP_MS) starts.add(words[i].endMs);
  }
  return [...starts].sort((x, y) => x - y);
}

/**
 * passed: backchannel.count = at least one backchannel; backchannel.takeover_count = none.
 * One pause_offset_ms row per backchannel, subject `<actionId>#bc<k>` (k from 1).
 */
export function computeBackchannelOpportunity(ctx: ActionContext): MetricValue[] {
  const { action } = ctx;
  const expectation = 'backchannel_opportunity';
  const inside = ctx.agent.filter((s) => s.startMs >= action.speechStartMs && s.startMs <= action.speechEndMs);
  const backchannels = inside.filter((s) => s.kind === 'backchannel');
  const takeovers = inside.length - backchannels.length;
  const speechMin = speechDurationMs(action) / 60_000;
  const rows = [
    metricValue(BACKCHANNEL_COUNT, action.id, backchannels.length, {
      passed: backchannels.length > 0,
      expectation: `${expectation} (at least one agent backchannel)`,
    }),
    speechMin > 0
      ? metricValue(BACKCHANNEL_RATE_PER_MIN, action.id, backchannels.length / speechMin, { expectation })
      : metricValue(BACKCHANNEL_RATE_PER_MIN, action.id, null, { expectation, reason: 'no_user_speech', note: 'the action has no planted speech' }),
    metricValue(BACKCHANNEL_TAKEOVER_COUNT, action.id, takeovers, {
      passed: takeovers === 0,
      expectation: `${expectation} (no agent segment >= 1000 ms starting during the user's speech)`,
    }),
  ];
  const pauseStarts = pauseStartsMs(action);
  backchannels.forEach((bc, i) => {
    const subject = `${action.id}#bc${i + 1}`;
    if (pauseStarts.length === 0) {
      rows.push(
        metricValue(BACKCHANNEL_PAUSE_OFFSET_MS, subject, null, {
          expectation,
          reason: 'no_gap',
          note: `no planted pause or inter-word gap >= ${MIN_GAP_MS} ms in the action`,
        }),
      );
      return;
    }
    // Nearest pause start; on a tie the earlier one (the backchannel answers the pause before it).
    const nearest = pauseStarts.reduce((best, p) => (Math.abs(bc.startMs - p) < Math.abs(bc.startMs - best) ? p : best));
    rows.push(metricValue(BACKCHANNEL_PAUSE_OFFSET_MS, subject, bc.startMs - nearest, { expectation }));
  });
  return rows;
}
