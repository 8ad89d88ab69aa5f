/**
 * Video over crosstalk-ws as the reference server speaks it (loopback, real sockets): the offer
 * in session.ready, frames stepped in order with the audio (the same reaction, on the same
 * frame, as the in-process agent), and bad frames answered with a non-fatal error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../datasets/tts/espeak.ts';
import { FRAME_MS, FRAME_SAMPLES } from '../frames.ts';
import { CLOSE, maxJpegBytes, videoFrameMessage } from '../../adapters/ws/protocol.ts';
import { REFERENCE_SERVER_DEFAULTS, startReferenceServer, type ReferenceServer } from '../server.ts';
import { defaultVoiceBank, type VoiceBank } from '../voice-bank.ts';
import { runAgent } from '../testing/conversation.ts';
import { userTrack } from '../testing/signals.ts';
import { RawClient } from '../testing/raw-client.ts';
import { frameMaker, type FrameMaker } from '../testing/video-frames.ts';

const STEPS_PER_VIDEO_FRAME = 25; // 2 fps
let bank: VoiceBank;
let server: ReferenceServer;
let frames: FrameMaker;
beforeAll(async () => {
  bank = await defaultVoiceBank();
  server = await startReferenceServer({ bank });
  frames = frameMaker();
});
afterAll(async () => {
  await server.close();
  frames.dispose();
});

describe('reference server: video', () => {
  it('offers JPEG video in session.ready, with the largest frame its message limit allows', async () => {
    const c = await RawClient.start(server.url);
    expect(c.jsonOfType('session.ready')).toEqual([
      { type: 'session.ready', video: { encoding: 'jpeg', maxBytes: maxJpegBytes(REFERENCE_SERVER_DEFAULTS.maxMessageBytes) } },
    ]);
    await c.end();
    // The offer is honest: a frame of maxBytes makes a message within the limit.
    expect(videoFrameMessage(new Uint8Array(maxJpegBytes(65_536))).length).toBeLessThanOrEqual(65_536);
  });

  it('steps frames in order with the audio: the same answer, reaction and audio as in-process', async () => {
    const s = await synthesize('Have a look at this picture for me.', { name: 'en-us', rate_wpm: 175, pitch: 45 });
    const track = userTrack(16_000, [{ pcm: s.pcm, atMs: 500 }]);
    const { bare, cued } = await frames.stills('desk', 'object_appears');
    const cueStep = 500; // 10 s: well after the answer to the sentence
    const video = (i: number) => (i % STEPS_PER_VIDEO_FRAME === 0 ? (i >= cueStep ? cued : bare) : undefined);
    const inProcess = await runAgent(bank, track, { video });
    const reactionMs = inProcess.eventsOf('decision').find((d) => d.event.decision.kind === 'react')!.tMs;
    expect(reactionMs).toBe((cueStep + STEPS_PER_VIDEO_FRAME) * FRAME_MS);

    const c = await RawClient.start(server.url);
    for (let i = 0; i * FRAME_SAMPLES < track.length; i++) {
      const jpeg = video(i);
      if (jpeg) c.video(jpeg);
      c.audio(track.subarray(i * FRAME_SAMPLES, (i + 1) * FRAME_SAMPLES));
    }
    const { received } = await c.end();
    expect(c.jsonOfType('transcript').map((t) => t.text)).toEqual(inProcess.eventsOf('transcript').map((t) => t.event.text));
    expect(c.jsonOfType('agent.decision').map((d) => d.kind)).toEqual(['answer', 'react']);
    expect(received.filter((r) => r.kind === 'audio').length).toBe(inProcess.speaking.filter(Boolean).length);
    expect(c.jsonOfType('error')).toEqual([]);
  });

  it('skips a frame that is not a JPEG, or not base64, with a non-fatal bad_video_frame, and goes on', async () => {
    const c = await RawClient.start(server.url);
    c.video(new TextEncoder().encode('GIF89a'));
    c.json({ type: 'video.frame', jpeg: 'not base64!' });
    c.json({ type: 'video.frame' });
    c.audio(new Int16Array(FRAME_SAMPLES * 5));
    const { code } = await c.end();
    expect(code).toBe(CLOSE.normal);
    expect(c.jsonOfType('error')).toEqual([
      {
        type: 'error',
        fatal: false,
        code: 'bad_video_frame',
        message: 'video frame skipped: not a JPEG: a JPEG starts with the bytes ff d8, this frame (6 bytes) starts with "47 49 46 38"',
      },
      {
        type: 'error',
        fatal: false,
        code: 'bad_video_frame',
        message: 'video frame skipped: video.frame "jpeg" is not base64 (A-Z a-z 0-9 + / and = padding)',
      },
      { type: 'error', fatal: false, code: 'bad_video_frame', message: 'video frame skipped: video.frame needs "jpeg": the JPEG bytes in base64' },
    ]);
  });

  it('closes on a video frame before session.start with not_started and 1008', async () => {
    const c = await RawClient.connect(server.url);
    c.video((await frames.stills('plain', 'raised_hand')).bare);
    const { code } = await c.closed;
    expect(code).toBe(CLOSE.protocolViolation);
    expect(c.jsonOfType('error')).toMatchObject([{ fatal: true, code: 'not_started' }]);
  });
});
