// The page side of the browser adapter, installed before any page script runs (Playwright
// init script). Plain JS: it is sent to the browser as text, wrapped by the adapter as
// `(function (CROSSTALK) { <this file> })(config)` with config = { linkUrl, micSampleRate,
// micLeadMs, micWorklet, recorderWorklet } (the worklets' source text).
//
// It does three things, all through one loopback WebSocket to the harness (the "link"):
// - getUserMedia returns the injected microphone (the harness's user frames, played by an
//   AudioWorklet) and, when video is asked for, a canvas stream of the harness's video frames.
//   The browser's own getUserMedia is asked first, so a refused permission is refused exactly
//   as the page would see it, and the harness is told.
// - What the page plays is tapped: every connection to an AudioContext's destination is
//   mirrored into a recorder worklet, and every playing <audio>/<video> element (WebRTC remote
//   streams included) is captured through its stream. Chunks go to the harness stamped with
//   the page time (performance.now()) at which the page's audio output plays them.
// - It answers the harness's clock pings with performance.now().
if (window.top !== window) return;

const nativeConnect = AudioNode.prototype.connect;
const nativeDisconnect = AudioNode.prototype.disconnect;
const nativeGetUserMedia = MediaDevices.prototype.getUserMedia;
const nativePlay = HTMLMediaElement.prototype.play;

// Binary message kinds, shared with adapters/browser/link-protocol.ts.
const MIC_FRAME = 1;
const VIDEO_FRAME = 2;
const PLAYED_AUDIO = 3;

const link = new WebSocket(CROSSTALK.linkUrl);
link.binaryType = 'arraybuffer';
const linkOpen = new Promise((resolve) => link.addEventListener('open', resolve, { once: true }));
const send = (message) => {
  if (link.readyState === WebSocket.OPEN) link.send(message);
  else if (link.readyState === WebSocket.CONNECTING) linkOpen.then(() => link.send(message));
};
const sendJson = (m) => send(JSON.stringify(m));

const moduleUrl = (source) => URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));

// ---- microphone and camera -------------------------------------------------------------
let mic;
function microphone() {
  mic ??= (async () => {
    const ctx = new AudioContext({ sampleRate: CROSSTALK.micSampleRate, latencyHint: 'interactive' });
    await ctx.audioWorklet.addModule(moduleUrl(CROSSTALK.micWorklet));
    const node = new AudioWorkletNode(ctx, 'crosstalk-mic', { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
    const dest = ctx.createMediaStreamDestination();
    dest.channelCount = 1;
    nativeConnect.call(node, dest);
    const toMs = (samples) => (samples / ctx.sampleRate) * 1000;
    node.port.onmessage = (e) => {
      const d = e.data;
      if (d.type === 'late') return sendJson({ type: 'mic.late', seq: d.seq, lateMs: toMs(d.lateSamples) });
      if (d.type === 'moved') return sendJson({ type: 'mic.moved', seq: d.seq, movedMs: toMs(d.movedSamples) });
      // Main-thread receipt time: an upper bound (by the port hop) on when the frame entered the stream.
      const pageMs = performance.now() - toMs(d.offsetSamples);
      sendJson({ type: 'mic.frame', seq: d.seq, pageMs, lateFrames: d.lateFrames, lostSamples: d.lostSamples, reanchors: d.reanchors });
    };
    if (ctx.state !== 'running') await ctx.resume();
    await linkOpen;
    return {
      ctx,
      stream: dest.stream,
      /** A harness frame [u8 kind, 3 pad, u32 seq, f64 page time it was sent, PCM16]. */
      push(buf) {
        const v = new DataView(buf);
        const sentPageMs = v.getFloat64(8, true);
        // The render position now is currentTime; the frame is due micLeadMs after it was sent.
        const targetFrame = Math.round((ctx.currentTime + (sentPageMs + CROSSTALK.micLeadMs - performance.now()) / 1000) * ctx.sampleRate);
        node.port.postMessage({ seq: v.getUint32(4, true), pcm: new Int16Array(buf, 16), targetFrame }, [buf]);
      },
    };
  })();
  return mic;
}

let camera;
function cameraStream() {
  if (camera) return camera;
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 480;
  const g = canvas.getContext('2d');
  g.fillRect(0, 0, canvas.width, canvas.height);
  const stream = canvas.captureStream();
  camera = {
    stream,
    draw(buf) {
      createImageBitmap(new Blob([new Uint8Array(buf, 8)], { type: 'image/jpeg' })).then(
        (img) => {
          if (canvas.width !== img.width || canvas.height !== img.height) {
            canvas.width = img.width;
            canvas.height = img.height;
          }
          g.drawImage(img, 0, 0);
          img.close();
        },
        (e) => sendJson({ type: 'warning', message: `a video frame could not be decoded: ${e.message}` }),
      );
    },
  };
  return camera;
}

MediaDevices.prototype.getUserMedia = async function getUserMedia(constraints) {
  const audio = !!constraints?.audio;
  const video = !!constraints?.video;
  sendJson({ type: 'gum.request', audio, video });
  try {
    // The browser decides the permission; its fake devices are only asked, never used.
    const real = await nativeGetUserMedia.call(this, { audio, video });
    for (const t of real.getTracks()) t.stop();
  } catch (e) {
    sendJson({ type: 'gum.refused', name: e?.name ?? 'Error', message: e?.message ?? String(e) });
    throw e;
  }
  const tracks = [];
  if (audio) tracks.push(...(await microphone()).stream.getAudioTracks().map((t) => t.clone()));
  if (video) tracks.push(...cameraStream().stream.getVideoTracks().map((t) => t.clone()));
  sendJson({ type: 'gum.granted', audio, video });
  return new MediaStream(tracks);
};

// ---- capture of what the page plays ----------------------------------------------------
let nextSourceId = 1;
const recorders = new WeakMap();
function recorderFor(ctx) {
  let r = recorders.get(ctx);
  if (!r) {
    r = (async () => {
      await ctx.audioWorklet.addModule(moduleUrl(CROSSTALK.recorderWorklet));
      const sourceId = nextSourceId++;
      // No outputs: Chrome pulls such a node every render quantum without it reaching the speakers.
      const node = new AudioWorkletNode(ctx, 'crosstalk-recorder', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 2, channelCountMode: 'explicit', channelInterpretation: 'speakers' });
      node.port.onmessage = (e) => postPlayed(ctx, sourceId, e.data.pcm, e.data.ctxTime);
      sendJson({ type: 'capture.source', sourceId, sampleRate: ctx.sampleRate });
      return node;
    })();
    recorders.set(ctx, r);
  }
  return r;
}

/** The page time at which context time `ctxTime` reaches the audio output. */
function outputPageMs(ctx, ctxTime) {
  const ts = ctx.getOutputTimestamp();
  if (ts.performanceTime > 0) return ts.performanceTime + (ctxTime - ts.contextTime) * 1000;
  return performance.now() + (ctxTime - ctx.currentTime + ctx.baseLatency + (ctx.outputLatency || 0)) * 1000;
}

function postPlayed(ctx, sourceId, pcm, ctxTime) {
  const buf = new ArrayBuffer(16 + pcm.byteLength);
  const v = new DataView(buf);
  v.setUint8(0, PLAYED_AUDIO);
  v.setUint16(2, sourceId, true);
  v.setUint32(4, ctx.sampleRate, true);
  v.setFloat64(8, outputPageMs(ctx, ctxTime), true);
  new Int16Array(buf, 16).set(pcm);
  send(buf);
}

// Nodes connected to a destination now; only those are mirrored into the recorder.
const tapped = new Set();
AudioNode.prototype.connect = function connect(target, ...rest) {
  const r = nativeConnect.call(this, target, ...rest);
  if (target instanceof AudioDestinationNode && this.context instanceof AudioContext && !tapped.has(this)) {
    tapped.add(this);
    recorderFor(this.context).then((rec) => tapped.has(this) && nativeConnect.call(this, rec));
  }
  return r;
};
AudioNode.prototype.disconnect = function disconnect(...args) {
  const r = nativeDisconnect.apply(this, args);
  const all = args.length === 0 || typeof args[0] === 'number';
  if (tapped.has(this) && (all || args[0] instanceof AudioDestinationNode)) {
    tapped.delete(this);
    if (!all) recorders.get(this.context)?.then((rec) => {
      try {
        nativeDisconnect.call(this, rec);
      } catch {
        // Not connected yet: nothing to undo.
      }
    });
  }
  return r;
};

let captureCtx;
const elementTaps = new WeakMap();
function tapElement(el) {
  if (elementTaps.has(el) || el.muted) return;
  const stream = el.srcObject instanceof MediaStream ? el.srcObject : el.captureStream?.();
  if (!stream || stream.getAudioTracks().length === 0) return;
  captureCtx ??= new AudioContext({ latencyHint: 'interactive' });
  const source = captureCtx.createMediaStreamSource(stream);
  elementTaps.set(el, source);
  recorderFor(captureCtx).then((rec) => elementTaps.get(el) === source && nativeConnect.call(source, rec));
}
function untapElement(el) {
  const source = elementTaps.get(el);
  if (!source) return;
  elementTaps.delete(el);
  nativeDisconnect.call(source);
}
const watched = new WeakSet();
function watch(el) {
  if (watched.has(el)) return;
  watched.add(el);
  el.addEventListener('playing', () => tapElement(el));
  for (const ev of ['pause', 'ended', 'emptied']) el.addEventListener(ev, () => untapElement(el));
  if (!el.paused && el.readyState > 2) tapElement(el);
}
HTMLMediaElement.prototype.play = function play() {
  watch(this);
  return nativePlay.call(this);
};
// Autoplaying elements in the document never call play().
document.addEventListener('playing', (e) => e.target instanceof HTMLMediaElement && (watch(e.target), tapElement(e.target)), true);

// ---- harness messages ------------------------------------------------------------------
link.addEventListener('message', (e) => {
  if (typeof e.data === 'string') {
    const m = JSON.parse(e.data);
    if (m.type === 'ping') sendJson({ type: 'pong', id: m.id, pageMs: performance.now() });
    return;
  }
  const kind = new DataView(e.data).getUint8(0);
  if (kind === MIC_FRAME) mic?.then((m) => m.push(e.data));
  else if (kind === VIDEO_FRAME) camera?.draw(e.data);
});
link.addEventListener('close', () => {
  // The harness ended the session: the microphone goes quiet, as a real one unplugged would.
  mic?.then((m) => m.ctx.suspend());
});
