// Agent audio played through WebAudio, as most web voice clients do it: each chunk is
// scheduled right after the previous one; a chunk that finds the queue empty starts a short
// lead from now, so that ordinary network jitter does not cut the speech. flush() stops
// everything scheduled (the agent was interrupted).
const JITTER_LEAD_S = 0.04;

export class Player {
  constructor(ctx) {
    this.ctx = ctx;
    this.nextStart = 0;
    this.sources = new Set();
  }

  play(pcm, sampleRate) {
    if (pcm.length === 0) return;
    const buffer = this.ctx.createBuffer(1, pcm.length, sampleRate);
    const ch = buffer.getChannelData(0);
    for (let i = 0; i < pcm.length; i++) ch[i] = pcm[i] / 32768;
    const source = this.ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(this.ctx.destination);
    const start = Math.max(this.nextStart, this.ctx.currentTime + JITTER_LEAD_S);
    source.start(start);
    this.nextStart = start + buffer.duration;
    this.sources.add(source);
    source.onended = () => this.sources.delete(source);
  }

  flush() {
    for (const s of this.sources) s.stop();
    this.sources.clear();
    this.nextStart = 0;
  }
}
