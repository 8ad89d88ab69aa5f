/**
 * The telephone path: the clip resampled to 8 kHz, band-limited to 300-3400 Hz, coded with
 * G.711 mu-law or narrowband Opus, and resampled back to 16 kHz. Nothing in it moves a
 * planted time: the resampler is zero phase (datasets/audio/resample.ts), the band limit is run
 * forward and backward (zero phase), mu-law is memoryless, and Opus's delay (its encoder
 * lookahead, which the encoder reports) is cut off the decoded stream. The output is scaled
 * back to the input's RMS: a line's gain, not its bandwidth, sets how loud the far end sounds
 * (the band limit alone takes 4-7 dB off a low voice, enough to move its quiet onsets by 20-50
 * ms under the detector's threshold; measured, known-answers.ts). RMS, not active speech level,
 * so that a sound with no speech in it (a bed, a tic) keeps its level too.
 */
import { Encoder, Decoder } from '@evan/opus';
import { resample } from '../audio/resample.ts';
import { applyBiquad, highPass, lowPass, type BiquadCoefficients } from '../effects/biquad.ts';

const TELEPHONE_RATE = 8000;
const BAND_LOW_HZ = 300;
const BAND_HIGH_HZ = 3400;
const OPUS_FRAME_MS = 20;
/** libopus's OPUS_GET_LOOKAHEAD request (@evan/opus's `lookhead` getter is not implemented). */
const OPUS_GET_LOOKAHEAD = 4027;

/** A biquad run forward then backward: its magnitude response squared, with zero phase. */
function zeroPhase(x: Float64Array, c: BiquadCoefficients): Float64Array {
  return applyBiquad(applyBiquad(x, c).reverse(), c).reverse();
}

export function bandLimit(pcm: Int16Array, sampleRate: number): Float64Array {
  const x = Float64Array.from(pcm);
  return zeroPhase(zeroPhase(x, highPass(BAND_LOW_HZ, sampleRate)), lowPass(BAND_HIGH_HZ, sampleRate));
}

/** ITU-T G.711 mu-law: 14-bit magnitude, bias 33 (132 in 16-bit units), 8 segments of 16 steps. */
export function muLawEncode(sample: number): number {
  const BIAS = 0x84;
  let s = Math.max(-32635, Math.min(32635, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function muLawDecode(code: number): number {
  const u = ~code & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << exponent) - 0x84;
  return u & 0x80 ? -magnitude : magnitude;
}

function toInt16(x: ArrayLike<number>): Int16Array {
  return Int16Array.from(x as ArrayLike<number>, (v) => Math.max(-32768, Math.min(32767, Math.round(v))));
}

function opusRoundTrip(pcm: Int16Array, kbps: number): Int16Array {
  const encoder = new Encoder({ channels: 1, sample_rate: TELEPHONE_RATE, application: 'voip' });
  encoder.bitrate = kbps * 1000;
  const decoder = new Decoder({ channels: 1, sample_rate: TELEPHONE_RATE });
  const delay = encoder.ctl(OPUS_GET_LOOKAHEAD);
  const frame = (OPUS_FRAME_MS * TELEPHONE_RATE) / 1000;
  // Feed the lookahead's worth of silence after the clip so its last samples come out.
  const frames = Math.ceil((pcm.length + delay) / frame);
  const padded = new Int16Array(frames * frame);
  padded.set(pcm);
  const decoded = new Int16Array(padded.length);
  for (let f = 0; f < frames; f++) {
    const bytes = decoder.decode(encoder.encode(padded.subarray(f * frame, (f + 1) * frame)));
    decoded.set(new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2), f * frame);
  }
  return decoded.slice(delay, delay + pcm.length);
}

export function telephone(pcm: Int16Array, sampleRate: number, codec: { codec: 'g711' } | { codec: 'opus'; kbps: number }): Int16Array {
  const narrow = toInt16(bandLimit(resample(pcm, sampleRate, TELEPHONE_RATE), TELEPHONE_RATE));
  const coded = codec.codec === 'g711' ? narrow.map((s) => muLawDecode(muLawEncode(s))) : opusRoundTrip(narrow, codec.kbps);
  const back = resample(coded, TELEPHONE_RATE, sampleRate);
  // Rounding of lengths through 8 kHz: keep the clip's own length.
  const out = new Int16Array(pcm.length);
  out.set(back.subarray(0, pcm.length));
  const power = (x: Int16Array) => x.reduce((sum, v) => sum + v * v, 0);
  const k = power(out) > 0 ? Math.sqrt(power(pcm) / power(out)) : 0;
  return toInt16(Array.from(out, (v) => v * k));
}
