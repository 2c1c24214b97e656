// The lab page: one xterm.js terminal per node, fed by the node's console over SSE (the browser's
// EventSource resends Last-Event-ID on reconnect, so nothing is missed), typing sent back by POST,
// and the checks refreshed while the lab runs. Only the console on show is followed: switching tabs
// ends its stream and follows the other one from the last event that terminal has, so a page holds
// one long-lived connection (Chromium gives a host six, shared by every tab of the studio).
document.addEventListener('DOMContentLoaded', () => {
  const page = document.getElementById('lab-page');
  if (!page || !window.Terminal) return;
  const lab = page.dataset.labId;
  const csrfToken = document.querySelector('meta[name=csrf-token]');
  const csrfHeader = document.querySelector('meta[name=csrf-header]');
  const holder = document.getElementById('terminal');
  const state = document.getElementById('console-state');
  const consoles = {};

  const open = (node) => {
    if (consoles[node]) return consoles[node];
    const box = document.createElement('div');
    box.className = 'terminal-box';
    box.dataset.node = node;
    holder.appendChild(box);
    const term = new window.Terminal({ convertEol: false, scrollback: 5000, fontSize: 13, cursorBlink: true,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', theme: { background: '#0f1720' } });
    const fit = new window.FitAddon.FitAddon();
    term.loadAddon(fit);
    term.open(box);
    fit.fit();
    // Keystrokes go out one request at a time, in order; what is typed meanwhile goes in the next one.
    let pending = '';
    let sending = false;
    const send = async () => {
      if (sending || !pending) return;
      sending = true;
      const body = pending;
      pending = '';
      const headers = { 'Content-Type': 'text/plain' };
      if (csrfToken && csrfHeader) headers[csrfHeader.content] = csrfToken.content;
      try {
        await fetch(`/api/v1/labs/${lab}/console/${node}`, { method: 'POST', headers, body });
      } finally {
        sending = false;
        send();
      }
    };
    term.onData((data) => { pending += data; send(); });
    consoles[node] = { term, fit, box, last: 0 };
    return consoles[node];
  };

  let source = null;
  const follow = (node) => {
    if (source) source.close();
    const c = consoles[node];
    source = new EventSource(`/api/v1/labs/${lab}/console/${node}?after=${c.last}`);
    source.onmessage = (event) => {
      c.term.write(JSON.parse(event.data));
      c.last = Number(event.lastEventId) || c.last;
    };
    source.onopen = () => { state.textContent = 'live'; };
    source.onerror = () => { state.textContent = 'reconnecting…'; };
  };

  // for the browser tests, which read the terminal's buffer (only visible rows are in the DOM)
  window.studioConsoles = consoles;
  let current = null;
  const show = (node) => {
    if (node === current) return;
    current = node;
    document.querySelectorAll('.tab').forEach((t) => {
      const on = t.dataset.node === node;
      t.classList.toggle('active', on);
      t.setAttribute('aria-selected', on);
    });
    const c = open(node);
    Object.values(consoles).forEach((o) => { o.box.hidden = o !== c; });
    c.fit.fit();
    c.term.focus();
    state.textContent = 'connecting…';
    follow(node);
  };
  document.querySelectorAll('.tab').forEach((t) => t.addEventListener('click', () => show(t.dataset.node)));
  window.addEventListener('resize', () => { if (current) consoles[current].fit.fit(); });
  const first = document.querySelector('.tab');
  if (first) show(first.dataset.node);

  const refresh = async () => {
    let status;
    try {
      const r = await fetch(`/api/v1/labs/${lab}`, { headers: { Accept: 'application/json' } });
      if (!r.ok) return false;
      status = await r.json();
    } catch (e) {
      return true;
    }
    const badge = document.getElementById('lab-state');
    badge.textContent = status.state.toLowerCase();
    badge.className = `status status-${status.state.toLowerCase()}`;
    // An upgrade replaces the lab's checks (the upgrade, then the new build's): the list follows.
    const list = document.getElementById('checks');
    const shown = [...list.querySelectorAll('[data-check]')].map((li) => li.dataset.check).join(' ');
    if (shown !== status.checks.map((c) => c.name).join(' ')) {
      list.replaceChildren(...status.checks.map((c) => {
        const li = document.createElement('li');
        li.dataset.check = c.name;
        const head = document.createElement('div');
        head.className = 'check-head';
        const dot = document.createElement('span');
        dot.className = 'check-dot';
        dot.setAttribute('aria-hidden', 'true');
        const title = document.createElement('strong');
        title.textContent = c.title;
        const st = document.createElement('span');
        st.className = 'check-status';
        const time = document.createElement('span');
        time.className = 'check-time muted small';
        head.append(dot, title, st, time);
        const detail = document.createElement('div');
        detail.className = 'check-detail small';
        li.append(head, detail);
        return li;
      }));
    }
    status.checks.forEach((c) => {
      const item = document.querySelector(`[data-check="${c.name}"]`);
      if (!item) return;
      item.className = `check-item check-${c.status.toLowerCase()}`;
      item.querySelector('.check-status').textContent = c.status.toLowerCase();
      item.querySelector('.check-time').textContent = c.atSeconds != null ? `${c.atSeconds.toFixed(1)} s` : '';
      item.querySelector('.check-detail').textContent = c.detail || '';
      let excerpt = item.querySelector('.check-excerpt');
      if (c.excerpt) {
        if (!excerpt) {
          excerpt = document.createElement('details');
          excerpt.className = 'check-excerpt';
          const summary = document.createElement('summary');
          summary.className = 'small';
          summary.textContent = 'console';
          excerpt.append(summary, document.createElement('pre'));
          item.appendChild(excerpt);
        }
        excerpt.querySelector('pre').textContent = c.excerpt;
      } else if (excerpt) {
        excerpt.remove(); // the check runs again (the router rebooted): its old console excerpt goes
      }
    });
    const done = status.checks.every((c) => !['PENDING', 'RUNNING'].includes(c.status));
    return !(done && ['STOPPED', 'FAILED'].includes(status.state));
  };
  const loop = async () => { if (await refresh()) setTimeout(loop, 1000); };
  loop();
});
