/**
 * The reference agent reachable over WebRTC, the way a product's media server puts an agent
 * behind a browser: the page sends an SDP offer over HTTP, the bridge answers with a
 * libwebrtc peer (@roamhq/wrtc: Opus, jitter buffer and congestion control as in the browser),
 * and relays audio between the peer and the agent's crosstalk-ws server.
 *
 * Uplink: the page's microphone, decoded by libwebrtc, down-mixed and resampled to 16 kHz,
 * cut into 20 ms frames for the agent. Downlink: the agent's audio is queued and fed to the
 * peer in 10 ms frames on absolute deadlines; "agent.interrupted" drops what is queued (over
 * WebRTC the page holds no buffer of its own to flush). Events (ready, transcripts) go to the
 * page on a data channel named "events".
 */
import WebSocket from 'ws';
import { StreamResampler } from '../../harness/audio/stream-resampler.ts';
import { FrameChunker, SAMPLE_RATE } from '../frames.ts';
import { bytesToPcm, parseTextMessage, pcmToBytes } from '../../adapters/ws/protocol.ts';
import { wrtc, type AudioData, type WrtcDataChannel, type WrtcPeerConnection } from './wrtc.ts';

const TICK_MS = 10;
const TICK_SAMPLES = (SAMPLE_RATE * TICK_MS) / 1000;

interface WebRtcBridge {
  /** Answer a page's offer (complete SDP, no trickle); starts one agent session. */
  answer(offerSdp: string): Promise<string>;
  /** Peers connected now. */
  peerCount(): number;
  close(): Promise<void>;
}

export function createWebRtcBridge(agentUrl: string): WebRtcBridge {
  const peers = new Set<Peer>();
  return {
    async answer(offerSdp) {
      const peer = new Peer(agentUrl, () => peers.delete(peer));
      peers.add(peer);
      try {
        return await peer.answer(offerSdp);
      } catch (e) {
        peer.close();
        throw e;
      }
    },
    peerCount: () => peers.size,
    async close() {
      for (const p of [...peers]) p.close();
    },
  };
}

/** Mono 16-bit from libwebrtc's interleaved frames. */
function downmix(d: AudioData): Int16Array {
  if (d.channelCount === 1) return d.samples.slice(0, d.numberOfFrames);
  const out = new Int16Array(d.numberOfFrames);
  for (let i = 0; i < d.numberOfFrames; i++) {
    let sum = 0;
    for (let c = 0; c < d.channelCount; c++) sum += d.samples[i * d.channelCount + c];
    out[i] = Math.round(sum / d.channelCount);
  }
  return out;
}

class Peer {
  private readonly pc: WrtcPeerConnection;
  private readonly source = new wrtc.nonstandard.RTCAudioSource();
  private sink?: InstanceType<typeof wrtc.nonstandard.RTCAudioSink>;
  private readonly agent: WebSocket;
  private agentReady = false;
  private events?: WrtcDataChannel;
  private readonly resamplers = new Map<number, StreamResampler>();
  private readonly chunker = new FrameChunker();
  /** Agent audio waiting to be sent, 16 kHz. */
  private queue: Int16Array[] = [];
  private queueHead = 0;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    agentUrl: string,
    private readonly onClosed: () => void,
  ) {
    this.pc = new wrtc.RTCPeerConnection();
    const track = this.source.createTrack();
    this.pc.addTrack(track, new wrtc.MediaStream([track]));
    this.pc.ontrack = (e) => {
      if (e.track.kind !== 'audio' || this.sink) return;
      this.sink = new wrtc.nonstandard.RTCAudioSink(e.track);
      this.sink.ondata = (d) => this.uplink(d);
    };
    this.pc.ondatachannel = (e) => {
      if (e.channel.label !== 'events') return;
      this.events = e.channel;
      e.channel.onopen = () => this.agentReady && this.tell({ type: 'ready' });
    };
    this.pc.onconnectionstatechange = () => {
      if (this.pc.connectionState === 'failed' || this.pc.connectionState === 'closed') this.close();
    };
    this.agent = new WebSocket(agentUrl);
    this.agent.on('open', () =>
      this.agent.send(JSON.stringify({ type: 'session.start', sampleRate: SAMPLE_RATE, encoding: 'pcm_s16le', scenario: 'webrtc-bridge' })),
    );
    this.agent.on('message', (data: Buffer, isBinary: boolean) => (isBinary ? this.fromAgent(bytesToPcm(data)) : this.agentEvent(data.toString('utf8'))));
    this.agent.on('error', () => this.close());
    this.agent.on('close', () => this.close());
    this.pace(performance.now());
  }

  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    // No trickle ICE: the answer carries every candidate.
    if (this.pc.iceGatheringState !== 'complete') {
      await new Promise<void>((resolve) => (this.pc.onicegatheringstatechange = () => this.pc.iceGatheringState === 'complete' && resolve()));
    }
    return this.pc.localDescription!.sdp;
  }

  private uplink(d: AudioData): void {
    if (!this.agentReady) return;
    let r = this.resamplers.get(d.sampleRate);
    if (!r) this.resamplers.set(d.sampleRate, (r = new StreamResampler(d.sampleRate, SAMPLE_RATE)));
    for (const frame of this.chunker.push(r.push(downmix(d)))) this.agent.send(pcmToBytes(frame));
  }

  private fromAgent(pcm: Int16Array): void {
    this.queue.push(pcm);
  }

  private agentEvent(text: string): void {
    const parsed = parseTextMessage(text);
    if (!parsed.ok) return;
    const m = parsed.message;
    if (m.type === 'session.ready') {
      this.agentReady = true;
      if (this.events?.readyState === 'open') this.tell({ type: 'ready' });
    } else if (m.type === 'agent.interrupted') {
      this.queue = [];
      this.queueHead = 0;
      this.tell(m);
    } else {
      this.tell(m);
    }
  }

  private tell(m: object): void {
    if (this.events?.readyState === 'open') this.events.send(JSON.stringify(m));
  }

  /** One 10 ms frame of agent audio (or silence) per tick, on absolute deadlines. */
  private pace(deadlineMs: number): void {
    if (this.closed) return;
    const samples = new Int16Array(TICK_SAMPLES);
    let filled = 0;
    while (filled < TICK_SAMPLES && this.queue.length > 0) {
      const head = this.queue[0];
      const n = Math.min(TICK_SAMPLES - filled, head.length - this.queueHead);
      samples.set(head.subarray(this.queueHead, this.queueHead + n), filled);
      filled += n;
      this.queueHead += n;
      if (this.queueHead === head.length) {
        this.queue.shift();
        this.queueHead = 0;
      }
    }
    this.source.onData({ samples, sampleRate: SAMPLE_RATE, bitsPerSample: 16, channelCount: 1, numberOfFrames: TICK_SAMPLES });
    const next = deadlineMs + TICK_MS;
    this.timer = setTimeout(() => this.pace(next), Math.max(0, next - performance.now()));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.sink?.stop();
    this.pc.close();
    if (this.agent.readyState === WebSocket.OPEN) this.agent.send(JSON.stringify({ type: 'session.end' }));
    this.agent.close();
    this.onClosed();
  }
}
