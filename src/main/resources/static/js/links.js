// The lab page's links: one card per link (from GET /api/v1/labs/{id}/links) with its counters,
// state and impairment, and its packet summary (the last LINES lines), both fetched every second;
// buttons to cut and restore it, a small impairment form and the pcap download. Markup comes from
// the page's <template>. The summary is polled (…/frames?after=ID), not followed over SSE: Chromium
// gives a host six connections, and a page holding one stream per link and per console took them
// all with two lab pages open, so the next page of the studio waited forever. The page now holds
// one stream: the console it shows.
document.addEventListener('DOMContentLoaded', () => {
  const page = document.getElementById('lab-page');
  const grid = document.getElementById('links');
  const template = document.getElementById('link-template');
  if (!page || !grid || !template) return;
  const lab = page.dataset.labId;
  const LINES = 200;
  const csrfToken = document.querySelector('meta[name=csrf-token]');
  const csrfHeader = document.querySelector('meta[name=csrf-header]');
  const cards = {};
  const number = new Intl.NumberFormat('en');
  const size = (b) => (b >= 1048576 ? `${(b / 1048576).toFixed(1)} MiB` : b >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`);
  const base = (name) => `/api/v1/labs/${encodeURIComponent(lab)}/links/${encodeURIComponent(name)}`;

  const clock = (ms) => {
    const d = new Date(ms);
    const p = (n, w = 2) => String(n).padStart(w, '0');
    return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
  };

  const addLine = (card, line) => {
    const list = card.frames;
    const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
    const li = document.createElement('li');
    li.dataset.id = line.id;
    const cell = (cls, text) => {
      const s = document.createElement('span');
      s.className = cls;
      s.textContent = text;
      li.appendChild(s);
      return s;
    };
    cell('f-time', clock(line.time));
    cell('f-dir', `${line.from} → ${line.to}`);
    cell('f-proto', line.protocol);
    cell('f-sum', line.summary).title = `${line.summary} (${line.length} bytes)`;
    const fate = cell('f-fate', line.fate || '');
    if (line.fate && line.fate.startsWith('+')) fate.classList.add('delayed');
    list.appendChild(li);
    while (list.children.length > LINES) list.removeChild(list.firstChild);
    if (atBottom) list.scrollTop = list.scrollHeight;
  };

  const send = async (card, body) => {
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (csrfToken && csrfHeader) headers[csrfHeader.content] = csrfToken.content;
    card.error.hidden = true;
    try {
      const r = await fetch(base(card.name), { method: 'POST', headers, body: JSON.stringify(body) });
      const answer = await r.json();
      if (!r.ok) {
        const errors = answer.errors ? answer.errors.map((e) => (e.field ? `${e.field} ${e.message}` : e.message)) : [answer.detail];
        card.error.textContent = errors.join('; ');
        card.error.hidden = false;
        return;
      }
      update(card, answer, true);
    } catch (e) {
      card.error.textContent = 'The studio did not answer; try again.';
      card.error.hidden = false;
    }
  };

  const create = (link) => {
    const node = template.content.firstElementChild.cloneNode(true);
    node.dataset.link = link.name;
    node.querySelector('.link-name').textContent = link.name;
    node.querySelector('.link-ends').textContent = link.ends.map((e) => e.node).join(' ↔ ');
    const pcap = node.querySelector('.link-pcap');
    pcap.href = `${base(link.name)}/pcap`;
    pcap.setAttribute('download', `lab-${lab}-${link.name}.pcap`);
    const card = { name: link.name, node, frames: node.querySelector('.frame-list'), error: node.querySelector('.link-error') || document.createElement('p') };
    const down = node.querySelector('.link-down');
    const up = node.querySelector('.link-up');
    const form = node.querySelector('.link-impair');
    if (down) down.addEventListener('click', () => send(card, { state: 'down' }));
    if (up) up.addEventListener('click', () => send(card, { state: 'up' }));
    if (form) {
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const body = {};
        for (const input of form.querySelectorAll('input')) {
          const v = input.value.trim();
          // a number for a number field; anything else goes as typed, and the studio says what is wrong with it
          body[input.name] = v === '' ? 0 : (Number.isFinite(Number(v)) ? Number(v) : v);
        }
        send(card, body);
      });
    }
    card.last = 0;
    const empty = document.getElementById('links-empty');
    if (empty) empty.remove();
    grid.appendChild(node);
    cards[link.name] = card;
    return card;
  };

  const update = (card, link, fillForm) => {
    const state = card.node.querySelector('.link-state');
    state.textContent = link.state;
    state.className = `status link-state status-${link.state}`;
    const q = (sel) => card.node.querySelector(sel);
    q('.c-frames').textContent = number.format(link.frames);
    q('.c-bytes').textContent = size(link.bytes);
    q('.c-dropped').textContent = number.format(link.dropped);
    q('.c-capture').textContent = `${number.format(link.capture.frames)} · ${size(link.capture.bytes)}`;
    q('.c-capture').title = `pcap now ${link.capture.bytes} bytes of at most ${link.capture.limitBytes}; ${link.capture.evicted} oldest frames dropped for room`;
    const imp = link.impairment;
    const impaired = imp.lossPercent > 0 || imp.delayMs > 0 || imp.jitterMs > 0;
    q('.link-impairment').textContent = impaired
      ? `impaired: ${imp.lossPercent} % loss, ${imp.delayMs} ms delay, ± ${imp.jitterMs} ms jitter`
      : 'clean line: no loss, no delay';
    const form = q('.link-impair');
    if (form && (fillForm || !card.filled) && !form.contains(document.activeElement)) {
      form.elements.lossPercent.value = imp.lossPercent;
      form.elements.delayMs.value = imp.delayMs;
      form.elements.jitterMs.value = imp.jitterMs;
      card.filled = true;
    }
  };

  // the summary lines after the last one shown (the newest LINES when more came meanwhile)
  const pull = async (card) => {
    try {
      const r = await fetch(`${base(card.name)}/frames?after=${card.last}&limit=${LINES}`, { headers: { Accept: 'application/json' } });
      if (!r.ok) return;
      const batch = await r.json();
      batch.lines.forEach((line) => addLine(card, line));
      card.last = Math.max(card.last, batch.lastId);
    } catch (e) {
      // the next round asks again
    }
  };

  const refresh = async () => {
    let links;
    try {
      const r = await fetch(`/api/v1/labs/${encodeURIComponent(lab)}/links`, { headers: { Accept: 'application/json' } });
      if (r.status === 404) {
        const problem = await r.json().catch(() => ({}));
        return (problem.title || '') === 'Link not found'; // still starting: ask again; an unknown lab: stop
      }
      if (!r.ok) return true;
      links = await r.json();
    } catch (e) {
      return true;
    }
    links.forEach((l) => update(cards[l.name] || create(l), l, false));
    await Promise.all(Object.values(cards).map(pull));
    return true;
  };
  const loop = async () => { if (await refresh()) setTimeout(loop, 1000); };
  loop();
});
