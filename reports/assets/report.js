// The report page's one script: per-session timelines drawn when a session is opened (so a
// 10,000-session page stays light), the recording's player with a cursor moving along the
// timeline, and links from failures to their timelines. All text goes in through textContent:
// nothing from a scenario, transcript or vendor event is ever parsed as markup.
'use strict';
(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const sessions = data.sessions;

  const W = 960;
  const LEFT = 64;
  const RIGHT = 12;
  const LANES = [
    { name: 'user', y: 8 },
    { name: 'agent', y: 40 },
    { name: 'events', y: 72 },
  ];
  const LANE_H = 24;
  const AXIS_Y = 104;
  const H = 124;

  function el(name, attrs, parent, text) {
    const node = document.createElementNS(SVG, name);
    for (const k in attrs) node.setAttribute(k, String(attrs[k]));
    if (text !== undefined) {
      const title = document.createElementNS(SVG, 'title');
      title.textContent = text;
      node.appendChild(title);
    }
    if (parent) parent.appendChild(node);
    return node;
  }

  function h(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function fmt(v, unit) {
    if (v === null) return '—';
    const a = Math.abs(v);
    const s = a >= 100 || Number.isInteger(v) ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
    return unit === 'ms' ? s + ' ms' : s;
  }

  function tickStep(durMs) {
    const steps = [100, 250, 500, 1000, 2000, 5000, 10000, 30000, 60000];
    return steps.find((s) => durMs / s <= 12) || 120000;
  }

  function drawTimeline(s, host) {
    const dur = Math.max(s.dur, 1);
    const x = (t) => LEFT + (Math.max(0, Math.min(t, dur)) * (W - LEFT - RIGHT)) / dur;
    const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'timeline', role: 'img' });
    el('title', {}, svg).textContent = `Timeline of ${s.key} r${s.repeat}`;
    for (const lane of LANES) {
      el('rect', { x: LEFT, y: lane.y, width: W - LEFT - RIGHT, height: LANE_H, class: 'lane' }, svg);
      el('text', { x: LEFT - 6, y: lane.y + 16, class: 'lane-label', 'text-anchor': 'end' }, svg).textContent = lane.name;
    }
    const step = tickStep(dur);
    for (let t = 0; t <= dur; t += step) {
      el('line', { x1: x(t), x2: x(t), y1: AXIS_Y - 2, y2: AXIS_Y + 3, class: 'tick' }, svg);
      el('text', { x: x(t), y: AXIS_Y + 15, class: 'tick-label', 'text-anchor': 'middle' }, svg).textContent = (t / 1000).toFixed(step < 1000 ? 2 : 0) + ' s';
    }
    for (const [channel, kind, a, b] of s.g) {
      const lane = kind === 'visual_cue' ? LANES[2] : channel === 'agent' ? LANES[1] : LANES[0];
      const label = `${channel} ${kind} ${(a / 1000).toFixed(2)}–${(b / 1000).toFixed(2)} s`;
      el('rect', { x: x(a), y: lane.y + 3, width: Math.max(1, x(b) - x(a)), height: LANE_H - 6, class: `seg ${channel} k-${kind}` }, svg, label);
    }
    for (const [t, kind, label, detail] of s.k) {
      const text = `${(t / 1000).toFixed(3)} s ${kind}: ${label}${detail ? ' — ' + detail : ''}`;
      const g = el('g', { class: `marker m-${kind}` }, svg, text);
      const full = kind === 'barge-in' || kind === 'error';
      el('line', { x1: x(t), x2: x(t), y1: full ? LANES[0].y : LANES[2].y, y2: LANES[2].y + LANE_H }, g);
      const y = LANES[2].y + 4;
      el('path', { d: `M${x(t) - 5},${y} L${x(t) + 5},${y} L${x(t)},${y + 8} Z` }, g);
    }
    const cursor = el('line', { x1: LEFT, x2: LEFT, y1: 2, y2: AXIS_Y, class: 'cursor' }, svg);
    host.appendChild(svg);
    return { svg, cursor, x, dur };
  }

  function metricTable(s) {
    const table = h('table', 'session-metrics');
    const head = table.createTHead().insertRow();
    for (const c of ['metric', 'subject', 'value', 'expectation', 'result', 'reason', 'note']) head.appendChild(h('th', '', c));
    const body = table.createTBody();
    for (const [name, subject, value, unit, passed, expectation, note, reason] of s.m) {
      const row = body.insertRow();
      row.className = passed === false ? 'fail' : passed === true ? 'pass' : '';
      const shown = value === null ? 'N/A' : fmt(value, unit);
      for (const c of [name, subject, shown, expectation || '', passed === null ? '' : passed ? 'held' : 'FAILED', reason || '', note || '']) row.insertCell().textContent = c;
      if (reason) row.cells[5].className = 'na';
    }
    return table;
  }

  function transcriptList(s) {
    const list = h('ul', 'transcripts');
    for (const [t, role, text] of s.t) {
      const item = h('li');
      item.appendChild(h('span', 'time', (t / 1000).toFixed(2) + ' s '));
      item.appendChild(h('b', '', role + ': '));
      item.appendChild(h('span', 'said', text));
      list.appendChild(item);
    }
    return list;
  }

  function actionList(s) {
    const list = h('ul', 'actions');
    for (const [t, kind, label, detail] of s.k) {
      if (kind !== 'action' && kind !== 'barge-in' && kind !== 'backchannel') continue;
      const item = h('li');
      item.appendChild(h('span', 'time', (t / 1000).toFixed(2) + ' s '));
      item.appendChild(h('b', '', `${label} (${kind})`));
      if (detail) item.appendChild(h('span', 'said', ' “' + detail + '”'));
      list.appendChild(item);
    }
    return list;
  }

  function render(details) {
    if (details.dataset.rendered) return;
    details.dataset.rendered = '1';
    const s = sessions[Number(details.dataset.index)];
    const body = details.querySelector('.session-body');
    const tl = drawTimeline(s, body);
    if (s.audio) {
      const audio = h('audio');
      audio.controls = true;
      audio.preload = 'metadata';
      audio.src = s.audio;
      body.appendChild(audio);
      let frame = 0;
      const move = () => {
        const px = tl.x(audio.currentTime * 1000);
        tl.cursor.setAttribute('x1', px);
        tl.cursor.setAttribute('x2', px);
      };
      const loop = () => {
        move();
        frame = audio.paused ? 0 : requestAnimationFrame(loop);
      };
      audio.addEventListener('play', () => frame || (frame = requestAnimationFrame(loop)));
      audio.addEventListener('timeupdate', move);
      audio.addEventListener('seeked', move);
      tl.svg.addEventListener('click', (ev) => {
        const box = tl.svg.getBoundingClientRect();
        const vx = ((ev.clientX - box.left) * W) / box.width;
        const t = ((vx - LEFT) * tl.dur) / (W - LEFT - RIGHT);
        if (t >= 0 && t <= tl.dur) audio.currentTime = t / 1000;
      });
    } else {
      body.appendChild(h('p', 'muted', 'No recording found for this session.'));
    }
    if (s.error) body.appendChild(h('p', 'error-text', s.error));
    if (s.k.length) body.appendChild(actionList(s));
    if (s.t.length) body.appendChild(transcriptList(s));
    if (s.m.length) body.appendChild(metricTable(s));
  }

  function openSession(hash) {
    const target = hash && document.getElementById(hash.slice(1));
    if (!target || !target.classList.contains('session')) return;
    target.open = true;
    render(target);
    target.scrollIntoView({ block: 'start' });
  }

  document.addEventListener('toggle', (ev) => {
    if (ev.target.classList && ev.target.classList.contains('session') && ev.target.open) render(ev.target);
  }, true);
  document.addEventListener('click', (ev) => {
    const link = ev.target.closest && ev.target.closest('a.to-session');
    if (!link) return;
    ev.preventDefault();
    history.replaceState(null, '', link.getAttribute('href'));
    openSession(link.getAttribute('href'));
  });
  window.addEventListener('hashchange', () => openSession(location.hash));
  openSession(location.hash);
  document.body.dataset.ready = '1';
})();
