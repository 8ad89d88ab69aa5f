// The WebRTC variant: the microphone goes to the agent as a WebRTC track (Opus), the agent's
// voice comes back as a remote track played by an <audio> element, and events (ready,
// transcripts) arrive on a data channel. Signalling is one HTTP POST with the complete offer.
import { onStart, setState, showTranscript } from './ui.js';

onStart(async () => {
  const mic = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true } });
  const pc = new RTCPeerConnection();
  for (const track of mic.getAudioTracks()) pc.addTrack(track, mic);
  const audio = document.getElementById('agent-audio');
  pc.ontrack = (e) => {
    audio.srcObject = e.streams[0] ?? new MediaStream([e.track]);
    audio.play().catch(() => {});
  };
  const events = pc.createDataChannel('events');
  events.onmessage = (e) => {
    const m = JSON.parse(e.data);
    if (m.type === 'ready') setState('live', 'Listening. Go ahead.');
    else showTranscript(m);
  };
  pc.onconnectionstatechange = () => {
    if (pc.connectionState === 'failed') setState('error', 'The connection to the agent failed.');
    if (pc.connectionState === 'closed' || pc.connectionState === 'disconnected') setState('ended', 'The agent hung up.');
  };
  await pc.setLocalDescription(await pc.createOffer());
  if (pc.iceGatheringState !== 'complete') {
    await new Promise((resolve) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve()));
  }
  const res = await fetch('webrtc/offer', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sdp: pc.localDescription.sdp }) });
  if (!res.ok) throw new Error(`the agent refused the call: HTTP ${res.status} ${await res.text()}`);
  await pc.setRemoteDescription({ type: 'answer', sdp: (await res.json()).sdp });
});
