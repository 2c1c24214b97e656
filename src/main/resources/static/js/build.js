// The build page while a build runs: follow the log over SSE, refresh progress, reload when done.
document.addEventListener('DOMContentLoaded', () => {
  const page = document.getElementById('build-page');
  if (!page) return;
  const id = page.dataset.buildId;
  const log = document.getElementById('log');
  const logState = document.getElementById('log-state');

  const source = new EventSource(log.dataset.src);
  source.onmessage = (event) => {
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
    log.append(event.data + '\n');
    if (atBottom) log.scrollTop = log.scrollHeight;
  };
  source.addEventListener('end', () => { source.close(); logState.textContent = 'complete'; });
  source.onerror = () => { logState.textContent = 'reconnecting…'; };
  source.onopen = () => { logState.textContent = 'live'; };

  const finished = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
  if (finished.includes(page.dataset.buildStatus)) return;

  const refresh = async () => {
    let view;
    try {
      const response = await fetch(`/api/v1/builds/${id}`, { headers: { Accept: 'application/json' } });
      if (!response.ok) return;
      view = await response.json();
    } catch (e) {
      return;
    }
    if (finished.includes(view.status)) {
      window.location.reload();
      return;
    }
    const status = document.getElementById('build-status');
    status.textContent = view.status.toLowerCase();
    status.className = `status status-${view.status.toLowerCase()}`;
    document.getElementById('overall').value = view.progress;
    document.getElementById('elapsed').textContent = `${view.elapsedSeconds.toFixed(1)} s`;
    const queue = document.getElementById('queue-position');
    if (queue) queue.textContent = view.queuePosition > 0 ? `position ${view.queuePosition} in the queue` : 'started';
    view.stages.forEach((s) => {
      const row = document.querySelector(`[data-stage="${s.name}"]`);
      if (!row) return;
      row.className = `stage-${s.state}`;
      row.querySelector('progress').value = s.fraction;
      row.querySelector('.stage-state').textContent = s.state;
    });
  };
  setInterval(refresh, 700);
});
