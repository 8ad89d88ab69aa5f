/**
 * The lexical ear (optional, `--lexical pocketsphinx`): what the user's words say about whether
 * their turn is over, a cue that does not depend on the voice or the speech engine the way
 * prosody does (reference-impl/README.md, "Stored models"). Each stretch of the user's speech
 * is streamed to the recognizer as it is heard; once the user has been silent `checkAfterMs`,
 * the utterance is ended and its words come back with the recognizer's own language model's
 * probability that a sentence ends after the turn's last two words ("We drove to the": log10
 * -2.3; "...on Sunday morning": -0.6, on Festival's ked), each word's posterior, and how well the
 * recognizer understands this user so far. The policy reads it before its shortest wait is up.
 */
import { FRAME_MS } from '../../frames.ts';
import { isClosedClass } from './closed-class.ts';
import type { Recognizer } from './recognizer.ts';

/** What the words of the turn so far say at the silence now going on. */
export interface LexicalVerdict {
  /** The turn's words as recognized, in order. */
  words: string[];
  /** log10 P(end of sentence | the last two words); null when no word was heard. */
  endLog10: number | null;
  /** The last word, as the recognizer heard it once the utterance was ended or just before (its best path then, no sentence end forced on it), is closed-class ("to", "the", "and"). */
  endsOnClosedClass: boolean;
  /**
   * How well the recognizer understands this user: the mean posterior of the last
   * UNDERSTOOD_WORDS words it heard from them in the session (any turn); null before
   * UNDERSTOOD_MIN_WORDS. A voice it does not understand gets words it made up, which say
   * nothing about the turn.
   */
  understood: number | null;
}

/** Words the `understood` mean runs over, and the fewest it needs. */
const UNDERSTOOD_WORDS = 20;
const UNDERSTOOD_MIN_WORDS = 5;

/** Audio from before the VAD's first speech frame that goes with the utterance (the VAD starts late on a soft onset). */
const LEAD_MS = 200;

export class LexicalEar {
  private readonly session: number;
  private readonly lead: Int16Array[] = [];
  private inUtterance = false;
  private silenceMs = 0;
  private turnWords: string[] = [];
  private readonly posteriors: number[] = [];
  private current: LexicalVerdict | null = null;
  private closed = false;

  constructor(
    private readonly recognizer: Recognizer,
    private readonly checkAfterMs: number,
  ) {
    this.session = recognizer.openSession();
  }

  /** One 20 ms frame and whether it is the user's speech; at the check, waits for the recognizer's words. */
  async hear(frame: Int16Array, speech: boolean): Promise<void> {
    if (this.closed) return;
    if (speech) {
      if (!this.inUtterance) for (const f of this.lead.splice(0)) this.recognizer.audio(this.session, f);
      this.inUtterance = true;
      this.silenceMs = 0;
      this.current = null;
      this.recognizer.audio(this.session, frame);
      return;
    }
    if (!this.inUtterance) {
      this.lead.push(frame.slice());
      if (this.lead.length > LEAD_MS / FRAME_MS) this.lead.shift();
      return;
    }
    // The silence after the last word goes in too: it lets the decoder close the word.
    this.silenceMs += FRAME_MS;
    this.recognizer.audio(this.session, frame);
    if (this.silenceMs < this.checkAfterMs) return;
    this.inUtterance = false;
    const heard = await this.recognizer.endUtterance(this.session);
    this.turnWords.push(...heard.words);
    this.posteriors.push(...heard.posteriors);
    this.posteriors.splice(0, Math.max(0, this.posteriors.length - UNDERSTOOD_WORDS));
    const understood = this.posteriors.length >= UNDERSTOOD_MIN_WORDS ? this.posteriors.reduce((a, b) => a + b, 0) / this.posteriors.length : null;
    this.current = {
      words: [...this.turnWords],
      endLog10: heard.endLog10,
      // Ending the utterance forces a sentence end on its best path, which can turn "...sits on
      // our" into "...to the or"; the path just before ending was not bent towards an end.
      endsOnClosedClass: [heard.words.at(-1), heard.partial.at(-1)].some((w) => w !== undefined && isClosedClass(w)),
      understood,
    };
  }

  /** The verdict for the silence now going on; null before its check (or when speech came since). */
  verdict(): LexicalVerdict | null {
    return this.current;
  }

  /** The agent answered: the next words are a new turn's. */
  newTurn(): void {
    this.turnWords = [];
    this.recognizer.newTurn(this.session);
  }

  /** The session is over; frames still arriving are ignored. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.recognizer.closeSession(this.session);
  }
}
