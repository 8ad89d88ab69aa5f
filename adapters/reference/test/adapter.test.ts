/**
 * The reference adapter both ways: in-process (synchronous, virtual time) and over its own
 * WebSocket server, giving the same agent audio for the same user audio.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AdapterError, type AdapterEvent } from '../../../harness/adapter.ts';
import { synthesize } from '../../../datasets/tts/espeak.ts';
import { FRAME_SAMPLES } from '../../../reference-impl/frames.ts';
import { userTrack } from '../../../reference-impl/testing/signals.ts';
import { testContext } from '../../ws/testing/test-context.ts';
import { createReferenceAdapter } from '../adapter.ts';

let track: Int16Array;
beforeAll(async () => {
  const q = await synthesize('Can you tell me what time the library opens on Saturday?', { name: 'en-us', rate_wpm: 180, pitch: 45 });
  track = userTrack(500 + q.words[q.words.length - 1].endMs + 7_000, [{ pcm: q.pcm, atMs: 500 }]);
});

/** Feeds the track in 10 ms pieces (not the agent's 20 ms) without awaiting each; resolves when the last was handled. */
async function feed(session: { sendAudio(p: Int16Array, t: number): void | Promise<void> }): Promise<void> {
  const piece = FRAME_SAMPLES / 2;
  let last: void | Promise<void> = undefined;
  for (let i = 0; i + piece <= track.length; i += piece) last = session.sendAudio(track.subarray(i, i + piece), (i / piece) * 10);
  await last;
}

const audioOf = (events: AdapterEvent[]) => events.flatMap((e) => (e.type === 'audio' ? [e.pcm] : []));

describe('reference adapter', () => {
  it('in-process: virtual time, events emitted before the last sendAudio resolves', async () => {
    const adapter = createReferenceAdapter({ mode: 'in-process' });
    expect(adapter.capabilities.virtualTime).toBe(true);
    const ctx = testContext();
    const session = await adapter.open(ctx);
    await feed(session);
    // Nothing else was awaited: all of it was emitted by the time sendAudio's promise resolved.
    expect(ctx.events.map((e) => e.type).slice(0, 2)).toEqual(['vendor', 'audio']);
    expect(audioOf(ctx.events).length).toBeGreaterThan(100);
    await session.close();
  });

  it('ws: starts its own loopback server, gives the same audio as in-process, dispose stops it', async () => {
    const inProcess = testContext();
    await feed(await createReferenceAdapter({ mode: 'in-process' }).open(inProcess));

    const adapter = createReferenceAdapter({ mode: 'ws' });
    expect(adapter.capabilities.virtualTime).toBe(false);
    const ctx = testContext();
    const session = await adapter.open(ctx);
    void feed(session);
    const expected = audioOf(inProcess.events);
    // The server answers each frame as it arrives; wait for the last one.
    await ctx.waitFor(() => audioOf(ctx.events).length === expected.length);
    await session.close();
    expect(audioOf(ctx.events)).toEqual(expected);

    await adapter.dispose?.();
    const again = await adapter.open(testContext()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(again).toBeNull(); // a fresh server is started on demand after dispose
    await adapter.dispose?.();
  });

  it('device gpu without a usable GPU provider is a configuration error naming the device', async () => {
    const err = await createReferenceAdapter({ mode: 'in-process', device: 'gpu' })
      .open(testContext())
      .then(
        () => null,
        (e: unknown) => e,
      );
    // This machine has no GPU (and no Vulkan for onnxruntime's webgpu provider).
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).kind).toBe('config');
    expect((err as AdapterError).message).toMatch(/--device gpu: no usable GPU/);
  });

  it('ws with a url: connects there, and a dead url is an infrastructure error', async () => {
    const err = await createReferenceAdapter({ mode: 'ws', url: 'ws://127.0.0.1:9/' })
      .open(testContext())
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).kind).toBe('infrastructure');
  });
});
