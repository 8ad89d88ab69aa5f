/**
 * Video through the generic crosstalk-ws client: frames go out as `video.frame` only to a server
 * whose session.ready offers video, and a frame over the offered size is not sent (it would
 * end the session over the server's message limit) but reported as a recoverable error.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createWsAdapter } from '../adapter.ts';
import { startScriptedServer } from '../testing/scripted-server.ts';
import { testContext } from '../testing/test-context.ts';

/** Text messages the server side received, until the client's session.end. */
function textsUntilEnd(ws: WebSocket): Promise<{ type: string; jpeg?: string }[]> {
  const texts: { type: string; jpeg?: string }[] = [];
  return new Promise((resolve) =>
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const m = JSON.parse(data.toString());
      if (m.type === 'session.end') resolve(texts);
      else texts.push(m);
    }),
  );
}

describe('ws adapter: video', () => {
  it('a server that offers no video gets none: the session has no sendVideoFrame', async () => {
    const server = await startScriptedServer();
    const adapter = createWsAdapter({ url: server.url });
    expect(adapter.capabilities.video).toBe(true); // it can carry video, where the server takes it
    const session = await adapter.open(testContext());
    expect(session.sendVideoFrame).toBeUndefined();
    await session.close();
    await server.close();
  });

  it('a server that offers video gets each frame as base64 JPEG; one over maxBytes is kept back with a recoverable error', async () => {
    const server = await startScriptedServer((ws) => ws.send(JSON.stringify({ type: 'session.ready', video: { encoding: 'jpeg', maxBytes: 4 } })));
    const ctx = testContext();
    const session = await createWsAdapter({ url: server.url }).open(ctx);
    const received = textsUntilEnd(await server.session());
    session.sendVideoFrame!(Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]), 0);
    session.sendVideoFrame!(new Uint8Array(5), 500);
    await session.close();
    expect(await received).toEqual([{ type: 'video.frame', jpeg: '/9j/2Q==' }]);
    expect(ctx.events).toEqual([
      { type: 'network', name: 'connect_ms', valueMs: expect.any(Number) },
      { type: 'network', name: 'first_byte_ms', valueMs: expect.any(Number) },
      {
        type: 'error',
        recoverable: true,
        code: 'video_frame_too_big',
        message: expect.stringMatching(/^crosstalk-ws: video frame of 5 bytes not sent: .* takes JPEGs of at most 4 bytes$/),
      },
    ]);
    await server.close();
  });
});
