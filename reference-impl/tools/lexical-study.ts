/**
 * Issue 23's candidate cue that does not depend on the speech engine: whether the words of the
 * turn so far end on a closed-class word ("to", "the", "and", "because", "is"...), which a
 * finished English sentence almost never does and a hesitation often does. Prosody does not carry
 * across engines (reference-impl/README.md, "Stored models"); words might.
 *
 *   npx tsx reference-impl/tools/lexical-study.ts
 *
 * Data: the end-of-turn development texts (tools/eot-texts.ts, none in any suite) spoken by
 * Festival's ked voice (an engine no suite uses) at the dev set's two rates, each rendering cut
 * at its end and at two word boundaries drawn as train-eot.ts draws its pauses (never after the
 * first two words or the last), with 300 ms of silence after the cut. The words are read twice:
 * as written (a perfect recognizer) and as Debian's offline recognizer hears them
 * (`pocketsphinx_batch`, packages pocketsphinx and pocketsphinx-en-us: an optional install, not
 * set-up's). Prints, per kind of cut, how often the last word is closed-class, and what the
 * recognizer costs in real time. A study: nothing in the agent uses it yet.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../../datasets/audio/wav.ts';
import { DEFAULT_TTS_CACHE_DIR } from '../../datasets/media-source.ts';
import { createRng } from '../../datasets/prng.ts';
import { cachedSynthesizer } from '../../datasets/tts/cache.ts';
import { DEV_TEXTS } from './eot-texts.ts';

/**
 * English closed-class words that do not end a sentence: articles and other determiners,
 * subject and possessive pronouns, prepositions, conjunctions, auxiliaries and modals, from a
 * grammar's word classes. Object pronouns ("her" too), "this"/"that" and "there" are left out: "Can you fix
 * it?" ends on one. (First written with them; on this dev set they marked 4 of 60 written turn
 * ends, so they went. The held-out set was never read.)
 */
const CLOSED_CLASS = new Set(
  `a an the my your his its our their some any no every each either neither these those
  i he she we they who whom whose which
  to of in on at by for with from into onto about over under after before during through between among without within than as like
  and or but so because although though if when while unless until since whereas nor
  is am are was were be been being have has had do does did will would shall should can could may might must
  not very just`
    .split(/\s+/)
    .filter(Boolean),
);

const MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
const RATES_WPM = [145, 205];
const CUTS_PER_RENDERING = 2;
const TAIL_MS = 300;
const SEED = 20261207;

const normalized = (word: string) => word.toLowerCase().replace(/[^a-z']/g, '');
const endsClosedClass = (words: readonly string[]) => words.length > 0 && CLOSED_CLASS.has(normalized(words[words.length - 1]));

if (!existsSync(`${MODEL_DIR}/en-us.lm.bin`)) {
  console.error(
    `lexical-study: ${MODEL_DIR} not found; install Debian pocketsphinx pocketsphinx-en-us (apt-get install pocketsphinx pocketsphinx-en-us, as root).`,
  );
  process.exit(2);
}

interface Cut {
  id: string;
  kind: 'end' | 'pause';
  written: string[];
}

const synthesize = cachedSynthesizer(DEFAULT_TTS_CACHE_DIR);
const rng = createRng(SEED);
const dir = mkdtempSync(join(tmpdir(), 'crosstalk-lexical-'));
mkdirSync(join(dir, 'wav'));
const cuts: Cut[] = [];
let audioMs = 0;
try {
  for (const [ti, text] of DEV_TEXTS.entries()) {
    for (const [ri, rate_wpm] of RATES_WPM.entries()) {
      const s = await synthesize(text, { engine: 'festival', name: 'ked', rate_wpm, pitch: 30 + 30 * ri });
      const n = s.words.length;
      const ends = [{ kind: 'end' as const, words: n }];
      const pauses = Array.from({ length: CUTS_PER_RENDERING }, () => ({ kind: 'pause' as const, words: 2 + Math.floor(rng.next() * Math.max(1, n - 3)) }));
      for (const [ci, cut] of [...ends, ...pauses].entries()) {
        const cutSample = Math.min(s.pcm.length, Math.round(((s.words[cut.words - 1].endMs + 30) * s.sampleRate) / 1000));
        const pcm = new Int16Array(cutSample + Math.round((TAIL_MS * s.sampleRate) / 1000));
        pcm.set(s.pcm.subarray(0, cutSample));
        audioMs += (pcm.length * 1000) / s.sampleRate;
        const id = `t${ti}r${ri}c${ci}`;
        writeFileSync(join(dir, 'wav', `${id}.wav`), encodeWav(pcm, s.sampleRate));
        cuts.push({ id, kind: cut.kind, written: s.words.slice(0, cut.words).map((w) => w.text) });
      }
    }
  }
  writeFileSync(join(dir, 'ctl'), cuts.map((c) => c.id).join('\n') + '\n');
  const t0 = performance.now();
  // One process, every clip decoded in turn: the recognizer's cost per second of audio.
  execFileSync(
    'pocketsphinx_batch',
    ['-adcin', 'yes', '-cepdir', join(dir, 'wav'), '-cepext', '.wav', '-ctl', join(dir, 'ctl'), '-hyp', join(dir, 'hyp')].concat([
      '-hmm',
      `${MODEL_DIR}/en-us`,
      '-lm',
      `${MODEL_DIR}/en-us.lm.bin`,
      '-dict',
      `${MODEL_DIR}/cmudict-en-us.dict`,
    ]),
    { stdio: 'ignore' },
  );
  const decodeMs = performance.now() - t0;
  // Each line: "words ... (id score)".
  const heard = new Map(
    readFileSync(join(dir, 'hyp'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const m = /^(.*)\((\S+) [^)]*\)\s*$/.exec(line);
        return [m?.[2] ?? '', (m?.[1] ?? '').trim().split(/\s+/).filter(Boolean)] as const;
      }),
  );
  const pct = (k: number, n: number) => `${k}/${n} (${((100 * k) / n).toFixed(1)} %)`;
  for (const kind of ['end', 'pause'] as const) {
    const of = cuts.filter((c) => c.kind === kind);
    const written = of.filter((c) => endsClosedClass(c.written)).length;
    const recognized = of.filter((c) => endsClosedClass(heard.get(c.id) ?? [])).length;
    const sameLast = of.filter((c) => normalized(c.written.at(-1)!) === normalized(heard.get(c.id)?.at(-1) ?? '')).length;
    console.log(
      `${kind}: last word closed-class as written ${pct(written, of.length)}, as recognized ${pct(recognized, of.length)}; recognized last word = written ${pct(sameLast, of.length)}`,
    );
  }
  console.log(
    `pocketsphinx_batch: ${(audioMs / 1000).toFixed(1)} s of audio in ${(decodeMs / 1000).toFixed(1)} s (${(decodeMs / audioMs).toFixed(2)}x real time, one process)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
