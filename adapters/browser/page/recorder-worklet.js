// Taps what the page plays: everything the page connects to its AudioContext's destination
// (and media elements, through a capture context) is mirrored into this node, which posts it
// down-mixed to mono PCM16 with the context time of its first sample. Digitally silent chunks
// are not posted: nothing was heard then. Plain JS, sent to the browser as text.
class CrosstalkRecorder extends AudioWorkletProcessor {
  constructor(options) {
    super();
    // About 10 ms per chunk: small enough to place agent audio finely, large enough to be cheap.
    this.chunkSamples = Math.max(128, Math.round(sampleRate * 0.01 / 128) * 128);
    this.pcm = new Int16Array(this.chunkSamples);
    this.filled = 0;
    this.heard = false;
    this.startTime = 0;
    this.silentBelow = options.processorOptions?.silentBelow ?? 1 / 32768;
  }

  process(inputs) {
    const channels = inputs[0];
    const n = channels.length > 0 ? channels[0].length : 128;
    if (this.filled === 0) this.startTime = currentTime;
    for (let k = 0; k < n; k++) {
      let sum = 0;
      for (const ch of channels) sum += ch[k];
      const v = channels.length > 0 ? sum / channels.length : 0;
      if (v >= this.silentBelow || v <= -this.silentBelow) this.heard = true;
      this.pcm[this.filled + k] = Math.max(-32768, Math.min(32767, Math.round(v * 32768)));
    }
    this.filled += n;
    if (this.filled >= this.chunkSamples) {
      if (this.heard) this.port.postMessage({ pcm: this.pcm.slice(0, this.filled), ctxTime: this.startTime });
      this.filled = 0;
      this.heard = false;
    }
    return true;
  }
}
registerProcessor('crosstalk-recorder', CrosstalkRecorder);
