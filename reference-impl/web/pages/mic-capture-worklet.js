// Cuts the microphone into PCM16 frames (default 20 ms) and posts each to the page.
class MicCapture extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.frameSamples = options.processorOptions?.frameSamples ?? Math.round(sampleRate / 50);
    this.frame = new Int16Array(this.frameSamples);
    this.filled = 0;
  }

  process(inputs) {
    const ch = inputs[0][0];
    if (!ch) return true;
    for (let i = 0; i < ch.length; i++) {
      this.frame[this.filled++] = Math.max(-32768, Math.min(32767, Math.round(ch[i] * 32768)));
      if (this.filled === this.frameSamples) {
        // Transferred, not copied: the next frame gets a fresh buffer.
        this.port.postMessage(this.frame.buffer, [this.frame.buffer]);
        this.frame = new Int16Array(this.frameSamples);
        this.filled = 0;
      }
    }
    return true;
  }
}
registerProcessor('mic-capture', MicCapture);
