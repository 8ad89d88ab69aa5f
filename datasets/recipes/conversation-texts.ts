/**
 * The words of the conversation suites (visual interjection, side talk, background, time
 * awareness, simultaneous speech, background task, long sessions). Questions, long-answer
 * requests and monologues come from core-texts.ts.
 */
import type { Says } from '../../harness/scenario/schema.ts';

/** The user opens a visual scenario: shows something and goes quiet. */
export const SHOW_INTROS: readonly string[] = [
  "I'm going to share my slides now; stop me if you spot anything wrong.",
  'Let me show you the desk setup, just watch for a moment.',
  'Here is my screen. Take a look while I think.',
  "I'll put the camera on the table so you can see.",
  'Have a look at this slide while I find my notes.',
  'Keep an eye on the picture, tell me if anything changes.',
];

/** Said to someone else in the room (side talk). */
export const SIDE_REMARKS: readonly string[] = [
  'Yes, just put it on the table, thanks.',
  'No, the blue one, the one by the door.',
  'Can you close the window? It is cold in here.',
  'I will be there in five minutes, start without me.',
  'Sure, take the car, the keys are in the kitchen.',
  'Hang on, I am on a call right now.',
  'Did you feed the cat this morning?',
  'Tell them I said hello.',
];

/** The user turns back to the agent after side talk. */
export const RESUMES: readonly string[] = [
  'Sorry about that. Where were we?',
  'Okay, I am back. Please go on.',
  'Sorry, someone came in. What were you saying?',
  'Right, sorry. Continue, please.',
];

/** Another voice in the background (a television, a colleague on the phone). */
export const BACKGROUND_LINES: readonly string[] = [
  'And in other news tonight, the city council has approved the new budget for the bridge.',
  'Yes, I can hear you, the meeting is at three, did you get the invite?',
  'Welcome back to the show, today we are talking about gardening in small spaces.',
  'No, no, I told him already, he said he would call back after lunch.',
];

/**
 * Requests to be told when a time has passed, with the time in ms and what the announcement must
 * say: what the user asked to be reminded of or told to say, else the time itself.
 */
export const TIME_REQUESTS: readonly { text: string; afterMs: number; says: Says }[] = [
  { text: 'Tell me when ten seconds have passed.', afterMs: 10_000, says: { numbers: [10] } },
  { text: 'Remind me in thirty seconds to check the oven.', afterMs: 30_000, says: { keywords: ['oven'] } },
  { text: 'Let me know when fifteen seconds are up.', afterMs: 15_000, says: { numbers: [15] } },
  { text: 'Say stop after twenty seconds, I am holding a plank.', afterMs: 20_000, says: { keywords: ['stop'] } },
  { text: 'In forty five seconds, tell me to take the tea bag out.', afterMs: 45_000, says: { keywords: ['tea'] } },
  { text: 'Count five seconds silently and then say now.', afterMs: 5_000, says: { keywords: ['now'] } },
  { text: 'Tell me when one minute has passed.', afterMs: 60_000, says: { pattern: '\\b(minute|sixty|60)\\b' } },
  { text: 'Give me a shout in twelve seconds.', afterMs: 12_000, says: { numbers: [12] } },
];

/** Asked to start live interpretation, and into which language (interpret-keywords.ts). */
export const INTERPRET_REQUESTS: readonly { text: string; language: TargetLanguage }[] = [
  { text: 'Please interpret what I say into Spanish as I speak, without waiting for me to finish.', language: 'es' },
  { text: 'Translate me into French live, while I am talking.', language: 'fr' },
  { text: 'Can you interpret into German simultaneously? I am going to give a short speech.', language: 'de' },
  { text: 'Be my live interpreter into Italian for the next minute.', language: 'it' },
];
export type TargetLanguage = 'es' | 'fr' | 'de' | 'it';

/**
 * Slow requests whose result comes later, with the time the result takes in ms and what the
 * delivery must name: the thing looked up (a result that names nothing is no result).
 */
export const SLOW_TASKS: readonly { text: string; dueAfterMs: number; says: Says }[] = [
  { text: 'Can you look up the status of my flight to Denver? It might take a moment.', dueAfterMs: 12_000, says: { keywords: [['flight', 'Denver']] } },
  {
    text: 'Please check which restaurants nearby have a table for four tonight.',
    dueAfterMs: 15_000,
    says: { keywords: [['restaurant', 'restaurants', 'table']] },
  },
  { text: 'Could you find the cheapest train to Boston tomorrow morning?', dueAfterMs: 10_000, says: { keywords: [['train', 'Boston']] } },
  { text: 'Search my email for the invoice from the plumber, no rush.', dueAfterMs: 18_000, says: { keywords: [['invoice', 'plumber']] } },
  { text: 'Work out how much I spent on groceries last month.', dueAfterMs: 14_000, says: { keywords: [['groceries', 'grocery']] } },
];

/** Small talk while a task runs. */
export const SMALL_TALK: readonly string[] = [
  'By the way, how is your day going?',
  'Meanwhile, do you have any tips for staying focused in the afternoon?',
  'While we wait, what is a good stretch for a stiff neck?',
  'Oh, and what was the name of that film with the talking dog?',
  'Do you know any good jokes?',
];
