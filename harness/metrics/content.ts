/**
 * Content together with timing: where an expectation (speak_at, interpret, deliver) carries a
 * content check (`says`), its `<family>.content_ok` row says whether the response it timed said
 * the right thing, and the expectation's verdict holds only when timing and content both pass
 * (the row is judged like any other; verdict.ts). Thinking Machines' TimeSpeak and CueSpeak
 * credit an answer the same way: only right words in the right window count.
 *
 * The words are the agent transcript of the timed response (harness/content/heard.ts: which
 * transcript events belong to which speech). The response is the stretch of agent speech from
 * the onset the family timed, through segments at most RESPONSE_GAP_MS apart (an interpretation:
 * every agent segment the family read). Outcomes, never a pass without words:
 * - 1: every check held (keywords, numbers, pattern: content/says.ts; and the judge said yes);
 * - 0, wrong_content: the transcript misses something (the note says what, and what was heard);
 * - null, no_response: nothing was timed, so there is nothing to read;
 * - null, no_transcript: no transcript of the response (the adapter gives none, and no
 *   transcription endpoint ran);
 * - null, judge_unavailable: a `judge` criterion and no recorded verdict for this text (no judge
 *   endpoint configured); the question is returned as a JudgeRequest for `run --judge-url`.
 * Every null row fails its expectation with its reason.
 */
import type { RecordingEvent } from '../recording/events.ts';
import type { Family, Says } from '../scenario/schema.ts';
import type { JudgeRequest, MetricDefinition, MetricValue, NaReason, Segment } from '../scoring/types.ts';
import { agentTranscripts, heardText, transcriptsBySegment, type AgentTranscript } from '../content/heard.ts';
import { judgePrompt, promptSha256 } from '../content/judge-prompt.ts';
import { checkSays } from '../content/says.ts';
import { metricValue } from './common.ts';

/** Segments of one response follow each other within this (sentences, breaths). */
export const RESPONSE_GAP_MS = 1000;
/** Heard text is quoted in notes up to this many characters. */
const QUOTE_CHARS = 160;

const PEER =
  "Thinking Machines' TimeSpeak and CueSpeak credit a response only when its content and its timing window are both right (TimeSpeak: 64.7 % for their model, 4.3 % for GPT-realtime-2); no peer metric in Full-Duplex-Bench v1/v1.5 or FD-Bench.";

export function contentOkDefinition(family: Family, response: string): MetricDefinition {
  return {
    name: `${family}.content_ok`,
    family,
    unit: 'bool',
    direction: 'higher',
    definition: `Whether ${response} said what the scenario's \`says\` check asks (keywords, numbers in digits or words, a pattern, or a judge's yes), read from the agent transcript of that response. Null with a reason, and a failed verdict, when there was no response (no_response), no transcript of it (no_transcript) or no judge verdict (judge_unavailable); 0 with wrong_content when something was not said.`,
    denominator: 'per expectation with a says check',
    peer: PEER,
  };
}

type JudgeEvent = Extract<RecordingEvent, { type: 'judge' }>;

/** What content rows read, prepared once per recording. */
export interface ContentInputs {
  bySegment: ReadonlyMap<Segment, readonly AgentTranscript[]>;
  judgements: readonly JudgeEvent[];
  /** Filled while scoring: the free-form checks still waiting for a judge. */
  judgeRequests: JudgeRequest[];
}

export function contentInputs(events: readonly RecordingEvent[], agent: readonly Segment[]): ContentInputs {
  return {
    bySegment: transcriptsBySegment(agentTranscripts(events), agent),
    judgements: events.filter((e): e is JudgeEvent => e.type === 'judge'),
    judgeRequests: [],
  };
}

/** The speech that starts with `first` and goes on in segments at most `gapMs` apart. */
export function stretchFrom(agent: readonly Segment[], first: Segment, gapMs: number): Segment[] {
  const out = [first];
  let endMs = first.endMs;
  for (const s of agent) {
    if (s.startMs <= first.startMs || s.startMs - endMs > gapMs) continue;
    out.push(s);
    endMs = Math.max(endMs, s.endMs);
  }
  return out;
}

function describeSays(says: Says): string {
  const parts: string[] = [];
  if (says.keywords) parts.push(`${says.min_keywords ?? 'all'} of keywords ${says.keywords.map((k) => (Array.isArray(k) ? k.join('|') : k)).join(', ')}`);
  if (says.numbers) parts.push(`numbers ${says.numbers.join(', ')}`);
  if (says.pattern) parts.push(`pattern /${says.pattern}/`);
  if (says.judge) parts.push(`judge: ${says.judge}`);
  return `says ${parts.join('; ')}`;
}

const quote = (text: string) => `"${text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS)}…` : text}"`;

/**
 * The content row of one expectation. `response`: the timed response's segments (empty when
 * nothing was timed); `judgeSubject`: the expectation's verdict subject, which keys judge verdicts.
 */
export function contentRow(
  content: ContentInputs,
  def: MetricDefinition,
  subject: string,
  judgeSubject: string,
  says: Says,
  response: readonly Segment[],
): MetricValue {
  const expectation = describeSays(says);
  const row = (value: number | null, reason: NaReason | undefined, note: string) =>
    metricValue(def, subject, value, { passed: value === 1, expectation, reason, note });
  if (response.length === 0) return row(null, 'no_response', 'no timed response to read');
  const text = heardText(content.bySegment, response);
  const span = `${Math.round(response[0].startMs)}-${Math.round(Math.max(...response.map((s) => s.endMs)))} ms`;
  if (text === null)
    return row(
      null,
      'no_transcript',
      `no agent transcript of the response at ${span} (the adapter reported none for it; run --transcribe-url to transcribe the played audio)`,
    );
  const checked = checkSays(says, text);
  if (!checked.ok) return row(0, 'wrong_content', `heard ${quote(text)}; not said: ${checked.missing.join('; ')}`);
  if (says.judge === undefined) return row(1, undefined, `heard ${quote(text)}`);

  const prompt = judgePrompt(says.judge, text);
  const sha = promptSha256(prompt);
  const verdict = content.judgements.find((j) => j.subject === judgeSubject && j.promptSha256 === sha);
  if (!verdict) {
    content.judgeRequests.push({ subject: judgeSubject, atMs: response[0].startMs, prompt, promptSha256: sha });
    return row(null, 'judge_unavailable', `no judge verdict for ${quote(text)} (prompt sha256 ${sha}; --judge-url asks one)`);
  }
  const judge = `judge ${verdict.model} (prompt sha256 ${sha})`;
  if (verdict.pass === null) return row(null, 'judge_unavailable', `${judge} gave no YES/NO (${quote(verdict.reply)}) for ${quote(text)}`);
  const judged = `${judge} said ${verdict.pass ? 'yes' : 'no'} to ${quote(text)}`;
  return verdict.pass ? row(1, undefined, judged) : row(0, 'wrong_content', judged);
}
