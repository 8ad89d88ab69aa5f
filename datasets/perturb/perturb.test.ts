/**
 * Perturbations (`run --perturb`) with known answers: the grammar, each transform's own
 * physics (codec delay, band, mu-law table, RT60, SNR), and planted times that survive every
 * engine and every perturbation within one 20 ms frame as the speech detector finds them
 * (known-answers.ts), or within the stated error (reverb: a speech end is found later by the
 * reverberant tail, up to REVERB_TAIL_SHARE of the RT60).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vowelVoice } from '../../harness/audio/vowel-voice.ts';
import { encodeWav } from '../audio/wav.ts';
import { InputError } from '../../harness/errors.ts';
import { USER_SAMPLE_RATE } from '../../harness/media.ts';
import { activeSpeechDbfs } from '../../harness/runner/levels.ts';
import { speechSegments } from '../../harness/vad/speech.ts';
import { createMediaSource } from '../media-source.ts';
import { perturbClip } from './apply.ts';
import { KNOWN_ANSWER_ENGINES, KNOWN_ANSWER_SPECS, knownAnswer, renderKnownAnswerClip } from './known-answers.ts';
import { levelSpeech, SPEECH_DBFS } from './level.ts';
import { perturbationNoise, sumStreams } from './noise.ts';
import { timeScale } from './rate.ts';
import { convolve, DIRECT_TO_REVERBERANT_DB, roomImpulse } from './reverb.ts';
import { formatPerturbation, parsePerturbation } from './spec.ts';
import { bandLimit, muLawDecode, muLawEncode, telephone } from './telephone.ts';

const SR = USER_SAMPLE_RATE;
const FRAME_MS = 20;
/** A speech end under reverb is found at most this share of the RT60 late (measured: 0.53 at 300 ms, 0.37 at 800 ms). */
const REVERB_TAIL_SHARE = 0.6;

const dbfs = (x: ArrayLike<number>, scale = 1) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] / scale) ** 2;
  return 10 * Math.log10(s / x.length);
};

/** A 0.5 s linear chirp 300-3000 Hz in 1 s of silence: broadband, so its lag is unambiguous. */
function chirp(): Int16Array {
  const x = new Int16Array(SR);
  for (let i = 0; i < SR / 2; i++) {
    const t = i / SR;
    x[SR / 4 + i] = Math.round(8000 * Math.sin(2 * Math.PI * (300 * t + 2700 * t * t)) * Math.sin((Math.PI * i) / (SR / 2)));
  }
  return x;
}

function bestLag(x: Int16Array, y: Int16Array, maxLag: number): number {
  let best = -Infinity;
  let lag = 0;
  for (let l = -maxLag; l <= maxLag; l++) {
    let s = 0;
    for (let i = maxLag; i < x.length - maxLag; i++) s += x[i] * y[i + l];
    if (s > best) [best, lag] = [s, l];
  }
  return lag;
}

function tone(hz: number, ms = 1000, amplitude = 8000): Int16Array {
  return Int16Array.from({ length: (SR * ms) / 1000 }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / SR)));
}

describe('--perturb grammar', () => {
  it('reads every kind, in any order, and writes the canonical form', () => {
    const p = parsePerturbation('echo:-20dB@120ms, noise:babble@10dB,telephone:opus@8kbps,reverb:400ms,rate:1.1');
    expect(p).toEqual({
      rate: { factor: 1.1 },
      reverb: { rt60Ms: 400 },
      telephone: { codec: 'opus', kbps: 8 },
      noise: { kind: 'babble', snrDb: 10 },
      echo: { gainDb: -20, delayMs: 120 },
    });
    expect(formatPerturbation(p)).toBe('rate:1.1,reverb:400ms,telephone:opus@8kbps,noise:babble@10dB,echo:-20dB@120ms');
    expect(parsePerturbation(formatPerturbation(p))).toEqual(p);
    expect(parsePerturbation('telephone:g711')).toEqual({ telephone: { codec: 'g711' } });
  });

  it.each([
    ['', /names no perturbation/],
    ['reverb', /"reverb" needs a value/],
    ['wobble:3', /unknown perturbation "wobble"/],
    ['rate:1.1,rate:1.2', /"rate" is given twice/],
    ['rate:3', /rate factor 3 is outside 0.5 to 2/],
    ['rate:fast', /rate factor "fast" is not a number/],
    ['reverb:0.4', /reverb RT60 "0.4" is not a number in ms/],
    ['reverb:5000ms', /outside 100 to 2000ms/],
    ['telephone:gsm', /unknown telephone path "gsm"/],
    ['telephone:opus@64kbps', /Opus bitrate 64kbps is outside 6 to 24kbps/],
    ['noise:pink', /needs the form noise:<a>@<b>/],
    ['noise:traffic@10dB', /unknown noise kind "traffic"/],
    ['noise:pink@10', /noise SNR "10" is not a number in dB/],
    ['echo:-20dB@5ms', /echo delay 5ms is outside 20 to 2000ms/],
    ['echo:10dB@100ms', /echo gain 10dB is outside -60 to 0dB/],
  ])('refuses %j as bad input (exit 2) naming the problem and the grammar', (spec, message) => {
    let error: unknown;
    try {
      parsePerturbation(spec);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(message);
    expect((error as InputError).field).toBe('--perturb');
    expect((error as InputError).hint).toMatch(/Grammar: rate:1\.1, reverb:400ms/);
  });
});

describe('transforms', () => {
  it('rate: output length and planted times are divided by the factor; pitch is kept', async () => {
    const clean = await renderKnownAnswerClip('espeak');
    const fast = perturbClip(clean, { rate: { factor: 1.25 } }, 1);
    expect(fast.pcm.length).toBe(Math.round(clean.pcm.length / 1.25));
    expect(fast.words.map((w) => [w.startMs, w.endMs])).toEqual(clean.words.map((w) => [w.startMs / 1.25, w.endMs / 1.25]));
    expect(fast.pauses[0].endMs).toBe(clean.pauses[0].endMs / 1.25);
    // A 200 Hz tone stays 200 Hz (WSOLA, not resampling): its lag-1-period autocorrelation stays ~1.
    const y = timeScale(tone(200), SR, 1.25);
    let r = 0;
    let e = 0;
    for (let i = 2000; i < y.length - 2000; i++) {
      r += y[i] * y[i + SR / 200];
      e += y[i] * y[i];
    }
    expect(r / e).toBeGreaterThan(0.98);
  });

  it('reverb: direct path first, the stated direct-to-reverberant ratio, and an RT60 measured by Schroeder integration', () => {
    for (const rt60Ms of [300, 800]) {
      const h = roomImpulse(rt60Ms, SR, 5);
      expect(h[0]).toBe(1);
      const tail = h.slice(1).reduce((s, v) => s + v * v, 0);
      expect(10 * Math.log10(1 / tail)).toBeCloseTo(DIRECT_TO_REVERBERANT_DB, 6);
      // Energy decay curve of the tail; T20 (-5 to -25 dB) times 3 estimates the RT60.
      const edc = new Float64Array(h.length);
      for (let i = h.length - 1, acc = 0; i >= 1; i--) edc[i] = acc += h[i] * h[i];
      const at = (db: number) => edc.findIndex((v, i) => i >= 1 && 10 * Math.log10(v / edc[1]) <= db);
      const measuredMs = ((at(-25) - at(-5)) * 3 * 1000) / SR;
      expect(Math.abs(measuredMs - rt60Ms) / rt60Ms).toBeLessThan(0.1);
    }
  });

  it('reverb: overlap-add convolution equals the direct sum (several blocks, a response longer than one)', () => {
    const x = Float64Array.from({ length: 40_000 }, (_, i) => Math.sin(i * 0.37) + ((i * 7919) % 13) / 13);
    for (const h of [roomImpulse(300, SR, 1), roomImpulse(1500, SR, 2)]) {
      const y = convolve(x, h);
      expect(y.length).toBe(x.length + h.length - 1);
      for (const n of [0, 1, 4800, 16_383, 16_384, 30_000, y.length - 1]) {
        let direct = 0;
        for (let k = Math.max(0, n - x.length + 1); k <= Math.min(n, h.length - 1); k++) direct += h[k] * x[n - k];
        expect(y[n]).toBeCloseTo(direct, 6);
      }
    }
  });

  it('telephone: no delay (G.711 and Opus, measured on a chirp), 300-3400 Hz, the G.711 mu-law table', () => {
    const x = chirp();
    for (const codec of [{ codec: 'g711' }, { codec: 'opus', kbps: 8 }, { codec: 'opus', kbps: 12 }] as const) {
      expect(bestLag(x, telephone(x, SR, codec), 80)).toBe(0);
    }
    const gainDb = (hz: number) => dbfs(telephone(tone(hz), SR, { codec: 'g711' }).subarray(4000, 12000), 32768) - dbfs(tone(hz).subarray(4000, 12000), 32768);
    // Levelled to the input's level: a single tone keeps its level in band and loses it out of band.
    expect(Math.abs(gainDb(1000))).toBeLessThan(0.5);
    // The band limit itself (before the line gain): 300-3400 Hz, each edge a Butterworth run forward and back.
    const band = (hz: number) => dbfs(bandLimit(tone(hz), SR).subarray(4000, 12000), 32768) - dbfs(tone(hz).subarray(4000, 12000), 32768);
    expect(band(300)).toBeCloseTo(-6, 0);
    expect(band(3400)).toBeCloseTo(-6, 0);
    expect(Math.abs(band(1000))).toBeLessThan(0.5);
    expect(band(150)).toBeLessThan(-20);
    expect(band(7000)).toBeLessThan(-20);
    // ITU-T G.711 mu-law: 0 -> 0xFF, full scale -> 0x80/0x00 (+-32124), 1000 -> 988.
    expect([muLawEncode(0), muLawEncode(32767), muLawEncode(-32768)]).toEqual([0xff, 0x80, 0x00]);
    expect([0, 1000, -1000, 32767].map((v) => muLawDecode(muLawEncode(v)))).toEqual([0, 988, -988, 32124]);
  });

  it('noise: speech levelled to SPEECH_DBFS active, noise at SPEECH_DBFS - snr, added sample-exactly over the floor', async () => {
    const clean = await renderKnownAnswerClip('espeak');
    const levelled = perturbClip(clean, { noise: { kind: 'pink', snrDb: 10 } }, 1);
    expect(activeSpeechDbfs([levelled.pcm], SR)).toBeCloseTo(SPEECH_DBFS, 1);
    expect(levelled.speechStartMs).toBe(clean.speechStartMs);
    for (const kind of ['white', 'pink', 'brown', 'room_tone'] as const) {
      expect(dbfs(perturbationNoise(kind, 10, 3).next(10 * SR))).toBeCloseTo(SPEECH_DBFS - 10, 0);
    }
    const floor = () => perturbationNoise('white', 40, 9);
    const added = () => perturbationNoise('pink', 10, 3);
    const sum = sumStreams(floor(), added()).next(SR);
    const [a, b] = [floor().next(SR), added().next(SR)];
    expect(Array.from(sum)).toEqual(Array.from(a, (v, i) => Math.fround(v + b[i])));
    expect(levelSpeech(clean.pcm, SR, -30).length).toBe(clean.pcm.length);
  });

  it('noise alone at the loudest SNR allowed (-5 dB: noise 5 dB over the speech) is never speech: no phantom user turn', () => {
    for (const kind of ['white', 'pink', 'brown', 'room_tone'] as const) {
      const x = Int16Array.from(perturbationNoise(kind, -5, 4).next(10 * SR), (v) => Math.round(v * 32767));
      expect(speechSegments(x, SR), kind).toEqual([]);
    }
  });

  it('is deterministic: the same clip and seed give the same samples', async () => {
    const clean = await renderKnownAnswerClip('flite');
    const p = parsePerturbation('rate:1.1,reverb:400ms,telephone:opus@8kbps,noise:pink@10dB');
    expect(perturbClip(clean, p, 3).pcm).toEqual(perturbClip(clean, p, 3).pcm);
  });
});

describe('planted times survive every engine and every perturbation (speech detector)', () => {
  it.each(KNOWN_ANSWER_ENGINES)(
    '%s',
    async (engine) => {
      const clean = await renderKnownAnswerClip(engine);
      for (const spec of KNOWN_ANSWER_SPECS) {
        const { errorMs } = knownAnswer(engine, clean, spec);
        const [start, pauseStart, pauseEnd, end] = errorMs;
        const where = `${engine} ${spec}: ${errorMs.map((v) => v.toFixed(0)).join(', ')} ms`;
        // Onsets: within a frame, always.
        expect(Math.abs(start), where).toBeLessThanOrEqual(FRAME_MS);
        expect(Math.abs(pauseEnd), where).toBeLessThanOrEqual(FRAME_MS);
        const rt60Ms = parsePerturbation(spec).reverb?.rt60Ms;
        for (const offset of [pauseStart, end]) {
          if (rt60Ms === undefined) expect(Math.abs(offset), where).toBeLessThanOrEqual(FRAME_MS);
          else (expect(offset, where).toBeGreaterThanOrEqual(-FRAME_MS), expect(offset, where).toBeLessThanOrEqual(REVERB_TAIL_SHARE * rt60Ms));
        }
      }
    },
    120_000,
  );
});

describe('the perturbed media source', () => {
  it('perturbs rendered speech, reports its label and echo path, and adds the noise to the floor', async () => {
    const p = parsePerturbation('reverb:300ms,noise:pink@15dB,echo:-25dB@100ms');
    const media = createMediaSource({ perturbation: p });
    await media.ready();
    expect(media.perturbation?.()).toEqual({ label: 'reverb:300ms,noise:pink@15dB,echo:-25dB@100ms', echo: { gainDb: -25, delayMs: 100 } });
    const speech = { text: 'Hello there, how are you?' };
    const clean = await createMediaSource().renderSpeech(speech, { seed: 2 }, 'x.yaml');
    const perturbed = await media.renderSpeech(speech, { seed: 2 }, 'x.yaml');
    expect(perturbed.pcm.length).toBeGreaterThan(clean.pcm.length); // the reverberant tail
    expect(perturbed.speechEndMs).toBe(clean.speechEndMs);
    expect(dbfs(media.noise({ kind: 'room_tone', level_dbfs: -70 }, 1).next(5 * SR))).toBeCloseTo(SPEECH_DBFS - 15, 0);
    expect(createMediaSource().perturbation?.()).toBeUndefined();
  }, 60_000);

  it('the room and the line reach sounds beside the user too (a background bed keeps its level and times); rate does not', async () => {
    const bed = { noise: 'pink' as const, ms: 2000, snr_db: 10 };
    const defaults = { seed: 4, userSpeechDbfs: -26 };
    const clean = await createMediaSource().renderBackground(bed, defaults, 'x.yaml');
    const far = await createMediaSource({ perturbation: parsePerturbation('rate:1.2,reverb:300ms,telephone:g711') }).renderBackground(bed, defaults, 'x.yaml');
    expect(far.pcm.length).toBe(clean.pcm.length + roomImpulse(300, SR, 0).length - 1);
    expect([far.speechStartMs, far.speechEndMs]).toEqual([clean.speechStartMs, clean.speechEndMs]);
    expect(Math.abs(dbfs(far.pcm.subarray(0, clean.pcm.length), 32768) - dbfs(clean.pcm, 32768))).toBeLessThan(1.5);
    const rateOnly = await createMediaSource({ perturbation: parsePerturbation('rate:1.2') }).renderBackground(bed, defaults, 'x.yaml');
    expect(rateOnly.pcm).toEqual(clean.pcm);
  });

  it('perturbs a human recording with its annotation: the annotated times move with the rate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crosstalk-perturb-clip-'));
    try {
      const pcm = new Int16Array(3 * SR);
      pcm.set(vowelVoice(800, SR), 0.4 * SR);
      pcm.set(vowelVoice(900, SR), 1.6 * SR);
      writeFileSync(join(dir, 'take.wav'), encodeWav(pcm, SR));
      const words = [
        { text: 'well', start_ms: 400, end_ms: 1200 },
        { text: 'then', start_ms: 1600, end_ms: 2500 },
      ];
      writeFileSync(
        join(dir, 'take.json'),
        JSON.stringify({
          segments: [
            { start_ms: 400, end_ms: 1200 },
            { start_ms: 1600, end_ms: 2500 },
          ],
          words,
        }),
      );
      const speech = { clip: 'take.wav', annotation: 'take.json' };
      const file = join(dir, 's.yaml');
      const clean = await createMediaSource().renderSpeech(speech, { seed: 1 }, file);
      const fast = await createMediaSource({ perturbation: parsePerturbation('rate:1.25,telephone:g711') }).renderSpeech(speech, { seed: 1 }, file);
      expect(fast.pcm.length).toBe(Math.round(clean.pcm.length / 1.25));
      expect(fast.words.map((w) => [w.startMs, w.endMs])).toEqual(clean.words.map((w) => [w.startMs / 1.25, w.endMs / 1.25]));
      expect([fast.speechStartMs, fast.speechEndMs]).toEqual([clean.speechStartMs / 1.25, clean.speechEndMs / 1.25]);
      expect(fast.pauses.map((q) => [q.startMs, q.endMs])).toEqual(clean.pauses.map((q) => [q.startMs / 1.25, q.endMs / 1.25]));
      // And the detector finds the speech where the moved truth says, within a frame.
      const found = speechSegments(fast.pcm, SR);
      expect(Math.abs(found[0].startMs - fast.speechStartMs)).toBeLessThanOrEqual(FRAME_MS);
      expect(Math.abs(found.at(-1)!.endMs - fast.speechEndMs)).toBeLessThanOrEqual(FRAME_MS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
