// The injected microphone: plays the harness's user frames into the MediaStream the page gets
// from getUserMedia, each at a fixed lead after the harness sent it. Runs in the page's
// AudioWorkletGlobalScope (plain JS: sent to the browser as text).
//
// Frames come from the page's main thread as { seq, pcm, targetFrame }: targetFrame is the
// context frame at which the frame's first sample should enter the stream (harness send time
// + lead, mapped onto this context). Frames are contiguous, so the schedule is anchored once
// (slot = anchor + seq * frameLength) and every frame lands exactly after the previous one;
// a late frame loses only its overdue head. A FIFO would instead keep any backlog the page
// ever built up (a stalled render thread) as extra latency for the rest of the session.
// If the context clock slips against the harness's (render glitches), the anchor is moved.
// Late frames and moves are posted as they happen: the audio the page got late or out of place
// is the harness's own timing error (harness/runner/harness-error.ts), not the system's.
const RESYNC_FRAMES = 3;

class CrosstalkMic extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ring = new Float32Array(sampleRate); // one second
    this.anchor = null;
    this.offBy = 0;
    this.starts = []; // { seq, frame }: first samples not yet played
    this.counters = { lateFrames: 0, lostSamples: 0, reanchors: 0 };
    this.port.onmessage = (e) => this.place(e.data);
  }

  place({ seq, pcm, targetFrame }) {
    const n = pcm.length;
    if (this.anchor === null) this.anchor = targetFrame - seq * n;
    let slot = this.anchor + seq * n;
    // Tolerate arrival jitter; follow a real slip (several frames in a row off by > one frame).
    if (Math.abs(targetFrame - slot) > n) {
      if (++this.offBy >= RESYNC_FRAMES) {
        // The frames before this one went in this far from their due place: said, so the harness can count it.
        this.port.postMessage({ type: 'moved', seq, movedSamples: targetFrame - slot });
        this.anchor = targetFrame - seq * n;
        slot = targetFrame;
        this.offBy = 0;
        this.counters.reanchors++;
      }
    } else {
      this.offBy = 0;
    }
    const skip = Math.max(0, currentFrame - slot);
    if (skip > 0) {
      this.counters.lateFrames++;
      this.counters.lostSamples += Math.min(skip, n);
      this.port.postMessage({ type: 'late', seq, lateSamples: skip });
    }
    for (let i = skip; i < n; i++) this.ring[(slot + i) % this.ring.length] = pcm[i] / 32768;
    if (skip === 0) this.starts.push({ seq, frame: slot });
  }

  process(_inputs, outputs) {
    const out = outputs[0][0];
    const len = this.ring.length;
    for (let i = 0; i < out.length; i++) {
      const k = (currentFrame + i) % len;
      out[i] = this.ring[k];
      this.ring[k] = 0;
    }
    const end = currentFrame + out.length;
    while (this.starts.length > 0 && this.starts[0].frame < end) {
      const s = this.starts.shift();
      this.port.postMessage({ type: 'started', seq: s.seq, offsetSamples: Math.max(0, s.frame - currentFrame), ...this.counters });
    }
    return true;
  }
}
registerProcessor('crosstalk-mic', CrosstalkMic);
