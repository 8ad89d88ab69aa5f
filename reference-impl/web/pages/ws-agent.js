// The crosstalk-ws variant: the page captures the microphone with an AudioWorklet, sends 20 ms
// PCM16 frames to the agent over a WebSocket, and plays the agent's audio through WebAudio,
// flushing it when the agent says it was interrupted (adapters/ws/PROTOCOL.md).
import { onStart, setState, showTranscript } from './ui.js';
import { Player } from './player.js';

const SAMPLE_RATE = 16000;
const agentUrl = new URLSearchParams(location.search).get('agent');

onStart(async () => {
  if (!agentUrl) throw new Error('no agent: open this page with ?agent=ws://host:port/');
  const ctx = new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: 'interactive' });
  await ctx.resume();
  await ctx.audioWorklet.addModule('mic-capture-worklet.js');
  const mic = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true } });
  const ws = new WebSocket(agentUrl);
  ws.binaryType = 'arraybuffer';
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`cannot reach the agent at ${agentUrl}`));
  });
  ws.send(JSON.stringify({ type: 'session.start', sampleRate: SAMPLE_RATE, encoding: 'pcm_s16le', scenario: 'web-demo/ws' }));
  const player = new Player(ctx);
  ws.onclose = () => setState('ended', 'The agent hung up.');
  ws.onmessage = (e) => {
    if (typeof e.data !== 'string') return player.play(new Int16Array(e.data), SAMPLE_RATE);
    const m = JSON.parse(e.data);
    if (m.type === 'session.ready') {
      const capture = new AudioWorkletNode(ctx, 'mic-capture', { numberOfOutputs: 0, processorOptions: { frameSamples: SAMPLE_RATE / 50 } });
      capture.port.onmessage = (f) => ws.readyState === WebSocket.OPEN && ws.send(f.data);
      ctx.createMediaStreamSource(mic).connect(capture);
      setState('live', 'Listening. Go ahead.');
    } else if (m.type === 'agent.interrupted') {
      player.flush();
    } else if (m.type === 'error' && m.fatal) {
      setState('error', m.message);
    } else {
      showTranscript(m);
    }
  };
});
