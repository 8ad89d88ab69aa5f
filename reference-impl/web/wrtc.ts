/**
 * @roamhq/wrtc (libwebrtc for Node; prebuilt binary shipped in the npm package) with the
 * types this bridge uses. The package has no type declarations of its own.
 */
import { createRequire } from 'node:module';

export interface AudioData {
  samples: Int16Array;
  sampleRate: number;
  bitsPerSample: 16;
  channelCount: number;
  numberOfFrames: number;
}

interface WrtcTrack {
  kind: string;
  stop(): void;
}

export interface WrtcDataChannel {
  label: string;
  readyState: string;
  send(data: string): void;
  onmessage: ((e: { data: unknown }) => void) | null;
  onopen: (() => void) | null;
}

export interface WrtcPeerConnection {
  connectionState: string;
  iceGatheringState: string;
  localDescription: { type: string; sdp: string } | null;
  addTrack(track: WrtcTrack, stream: unknown): unknown;
  setRemoteDescription(d: { type: 'offer' | 'answer'; sdp: string }): Promise<void>;
  createAnswer(): Promise<{ type: 'answer'; sdp: string }>;
  setLocalDescription(d: { type: string; sdp: string }): Promise<void>;
  close(): void;
  ontrack: ((e: { track: WrtcTrack }) => void) | null;
  ondatachannel: ((e: { channel: WrtcDataChannel }) => void) | null;
  onicegatheringstatechange: (() => void) | null;
  onconnectionstatechange: (() => void) | null;
}

interface Wrtc {
  RTCPeerConnection: new (config?: object) => WrtcPeerConnection;
  MediaStream: new (tracks?: WrtcTrack[]) => unknown;
  nonstandard: {
    RTCAudioSource: new () => { createTrack(): WrtcTrack; onData(d: AudioData): void };
    RTCAudioSink: new (track: WrtcTrack) => { ondata: ((d: AudioData) => void) | null; stop(): void };
  };
}

export const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as Wrtc;
