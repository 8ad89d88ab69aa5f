// Page state shared by both demo variants: <body data-state> and the status line.
export function setState(state, text) {
  document.body.dataset.state = state;
  document.getElementById('status').textContent = text;
}

export function showTranscript(m) {
  if (m.type === 'transcript' && m.role === 'agent') document.getElementById('transcript').textContent = m.text;
}

export function onStart(run) {
  document.getElementById('start').addEventListener(
    'click',
    () => {
      setState('starting', 'Connecting…');
      run().catch((e) => setState('error', `${e.name ?? 'Error'}: ${e.message}`));
    },
    { once: true },
  );
}
