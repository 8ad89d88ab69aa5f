import { describe, expect, it } from 'vitest';
import { numbersIn, saysNumber } from './numbers.ts';
import { checkSays, foldWords } from './says.ts';
import { agentTranscripts, heardText, transcriptsBySegment } from './heard.ts';
import { judgePrompt, parseJudgeReply, promptSha256 } from './judge-prompt.ts';
import type { RecordingEvent } from '../recording/events.ts';
import type { Segment } from '../scoring/types.ts';

describe('numbersIn: numbers in digits and in words', () => {
  it.each([
    ['twenty seconds', [20]],
    ['20 seconds', [20]],
    ['forty-five seconds have passed', [45]],
    ['forty five', [45]],
    ['one hundred and five', [105]],
    ['a hundred', [100]],
    ['two thousand twenty', [2020]],
    ['two hundred and fifty thousand', [250_000]],
    ['1,500 people and 2.5 hours', [1500, 2.5]],
    ['twenty twenty', [20, 20]],
    ['nineteen ninety', [19, 90]],
    ['five, six', [5, 6]],
    ['Ten seconds have passed. That is the time you asked for.', [10]],
    ['It is 10:30 now', [10, 30]],
    ['and the cat sat on a mat', []],
    ['one and two', [1, 2]],
  ])('%s -> %j', (text, expected) => {
    expect(numbersIn(text)).toEqual(expected);
  });

  it('saysNumber matches either spelling', () => {
    expect(saysNumber('Thirty seconds are up', 30)).toBe(true);
    expect(saysNumber('30 seconds are up', 30)).toBe(true);
    expect(saysNumber('Thirteen seconds are up', 30)).toBe(false);
  });
});

describe('checkSays: keywords, numbers, pattern', () => {
  it('folds case, accents, apostrophes and punctuation, and matches whole words', () => {
    expect(foldWords("Time's up — la città, Großmutter!")).toBe(' times up la citta grossmutter ');
    expect(checkSays({ keywords: ['citta'] }, 'Sono in città.').ok).toBe(true);
    expect(checkSays({ keywords: ['now'] }, 'It is nowhere to be seen').ok).toBe(false);
    expect(checkSays({ keywords: ['tea bag'] }, 'Take the tea-bag out').ok).toBe(true);
  });

  it('a list is any of its items; min_keywords lowers how many must be said', () => {
    const says = { keywords: [['bicicletta', 'bici'], 'lettere', 'nonna'], min_keywords: 2 };
    expect(checkSays(says, 'una bici e delle lettere').ok).toBe(true);
    const one = checkSays(says, 'una bici');
    expect(one.ok).toBe(false);
    expect(one.missing[0]).toMatch(/2 of the keywords \(said 1; not: keyword "lettere", keyword "nonna"\)/);
  });

  it('numbers and pattern, each named when missing', () => {
    expect(checkSays({ numbers: [30], keywords: ['oven'] }, 'Thirty seconds: check the oven').ok).toBe(true);
    const r = checkSays({ numbers: [30], keywords: ['oven'], pattern: 'minute|60' }, 'Time is up');
    expect(r.missing).toEqual(['keyword "oven"', 'number 30', 'pattern /minute|60/']);
    expect(checkSays({ pattern: 'MINUTE' }, 'one minute has passed').ok).toBe(true);
  });

  it('a check with only a judge criterion passes here (the judge decides)', () => {
    expect(checkSays({ judge: 'names a city' }, 'anything').ok).toBe(true);
  });
});

describe('heard: transcripts onto the agent speech they belong to', () => {
  const seg = (startMs: number, endMs: number): Segment => ({ channel: 'agent', startMs, endMs, kind: 'speech' });
  const a = seg(1000, 3000);
  const b = seg(3400, 5000);
  const c = seg(9000, 11_000);
  const agent = [a, b, c];
  const tr = (t: number, text: string, final = true, extra: object = {}): RecordingEvent => ({ type: 'transcript', t, role: 'agent', text, final, ...extra });

  it('text sent before its audio, during it or at its end lands on its own segment', () => {
    const events = [tr(950, 'first'), tr(4000, 'second'), tr(11_100, 'third')];
    const by = transcriptsBySegment(agentTranscripts(events), agent);
    expect(heardText(by, [a])).toBe('first');
    expect(heardText(by, [b])).toBe('second');
    expect(heardText(by, [c])).toBe('third');
    expect(heardText(by, [a, b])).toBe('first second');
  });

  it('in silence, the nearer segment takes it', () => {
    const by = transcriptsBySegment(agentTranscripts([tr(5600, 'late end of b'), tr(8600, 'early c')]), agent);
    expect(heardText(by, [b])).toBe('late end of b');
    expect(heardText(by, [c])).toBe('early c');
  });

  it('finals win over deltas; deltas alone are joined as they came', () => {
    const by = transcriptsBySegment(agentTranscripts([tr(1100, 'Hel', false), tr(1200, 'lo there', false), tr(2900, 'Hello there', true)]), agent);
    expect(heardText(by, [a])).toBe('Hello there');
    const deltas = transcriptsBySegment(agentTranscripts([tr(1100, 'Hel', false), tr(1200, 'lo there', false)]), agent);
    expect(heardText(deltas, [a])).toBe('Hello there');
  });

  it("the endpoint's words replace the adapter's, placed at their middle on the played channel", () => {
    const events = [
      tr(1500, 'vendor says something else'),
      tr(3350, 'heard', true, { source: 'endpoint', endMs: 3650 }),
      tr(3700, 'words', true, { source: 'endpoint', endMs: 3900 }),
    ];
    const by = transcriptsBySegment(agentTranscripts(events), agent);
    expect(heardText(by, [a])).toBeNull();
    expect(heardText(by, [b])).toBe('heard words');
  });

  it('user transcripts and wordless text are no transcript', () => {
    const events: RecordingEvent[] = [{ type: 'transcript', t: 1500, role: 'user', text: 'user words', final: true }, tr(2000, ' ... ')];
    expect(heardText(transcriptsBySegment(agentTranscripts(events), agent), [a])).toBeNull();
  });
});

describe('judge prompt', () => {
  it('the hash follows the criterion and the heard text', () => {
    const p = judgePrompt('names a city in France', 'Paris is lovely');
    expect(promptSha256(p)).toMatch(/^[0-9a-f]{64}$/);
    expect(promptSha256(p)).toBe(promptSha256(judgePrompt('names a city in France', 'Paris is lovely')));
    expect(promptSha256(p)).not.toBe(promptSha256(judgePrompt('names a city in France', 'Rome is lovely')));
    expect(p[1].content).toContain('Paris is lovely');
  });

  it('reads YES / NO as the first word, anything else is no verdict', () => {
    expect(parseJudgeReply('YES')).toBe(true);
    expect(parseJudgeReply('**No.** It names Rome.')).toBe(false);
    expect(parseJudgeReply('yes, it does')).toBe(true);
    expect(parseJudgeReply('I think so')).toBeNull();
  });
});
