// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add('js');

document.addEventListener('DOMContentLoaded', () => {
  // Confirm destructive forms (data-confirm="question").
  document.querySelectorAll('form[data-confirm]').forEach((form) => {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  // Show only the fields of the chosen WAN mode.
  const modeInputs = document.querySelectorAll('input[data-wan-mode]');
  const showMode = () => {
    const checked = document.querySelector('input[data-wan-mode]:checked');
    const mode = checked ? checked.value : '';
    document.querySelectorAll('.wan-fields').forEach((box) => {
      box.hidden = !box.dataset.modes.split(' ').includes(mode);
    });
  };
  modeInputs.forEach((input) => input.addEventListener('change', showMode));
  if (modeInputs.length) showMode();

  // A service's settings show only while the service is ticked (data-with-service="ssh").
  const serviceBoxes = document.querySelectorAll('[data-with-service]');
  const showSettings = () => serviceBoxes.forEach((box) => {
    const tick = document.querySelector(`input[data-service="${box.dataset.withService}"]`);
    box.hidden = !(tick && tick.checked);
  });
  document.querySelectorAll('input[data-service]').forEach((input) => input.addEventListener('change', showSettings));
  if (serviceBoxes.length) showSettings();

  // Extra files: add and remove rows; Spring binds files[i].* by index, gaps are fine.
  const rows = document.getElementById('file-rows');
  const add = document.getElementById('add-file');
  if (rows && add) {
    let next = rows.querySelectorAll('.file-row').length;
    add.addEventListener('click', () => {
      const template = rows.querySelector('.file-row');
      const row = template.cloneNode(true);
      row.querySelectorAll('input, textarea, label').forEach((el) => {
        for (const attr of ['name', 'id', 'for']) {
          if (el.hasAttribute(attr)) el.setAttribute(attr, el.getAttribute(attr).replace(/files\[?\d+\]?/, (m) => m.includes('[') ? `files[${next}]` : `files${next}`));
        }
        if (el.tagName !== 'LABEL') el.value = el.name && el.name.endsWith('.mode') ? '0644' : '';
      });
      row.querySelectorAll('.field-error').forEach((e) => e.remove());
      row.querySelectorAll('.has-error').forEach((e) => e.classList.remove('has-error'));
      rows.appendChild(row);
      next += 1;
      row.querySelector('input').focus();
    });
    rows.addEventListener('click', (event) => {
      if (!event.target.matches('[data-remove-file]')) return;
      const row = event.target.closest('.file-row');
      if (rows.querySelectorAll('.file-row').length > 1) row.remove();
      else row.querySelectorAll('input, textarea').forEach((el) => { el.value = el.name.endsWith('.mode') ? '0644' : ''; });
    });
  }

  // Port forwards: the same for forward rows (forwards[i].*).
  const fwRows = document.getElementById('forward-rows');
  const addFw = document.getElementById('add-forward');
  if (fwRows && addFw) {
    let nextFw = fwRows.querySelectorAll('.forward-row').length;
    addFw.addEventListener('click', () => {
      const row = fwRows.querySelector('.forward-row').cloneNode(true);
      row.querySelectorAll('input, select, label').forEach((el) => {
        for (const attr of ['name', 'id', 'for']) {
          if (el.hasAttribute(attr)) el.setAttribute(attr, el.getAttribute(attr).replace(/forwards\[?\d+\]?/, (m) => m.includes('[') ? `forwards[${nextFw}]` : `forwards${nextFw}`));
        }
        if (el.tagName === 'SELECT') el.value = 'tcp';
        else if (el.tagName !== 'LABEL') el.value = '';
      });
      row.querySelectorAll('.field-error').forEach((e) => e.remove());
      row.querySelectorAll('.has-error').forEach((e) => e.classList.remove('has-error'));
      fwRows.appendChild(row);
      nextFw += 1;
      row.querySelector('input').focus();
    });
    fwRows.addEventListener('click', (event) => {
      if (!event.target.matches('[data-remove-forward]')) return;
      const row = event.target.closest('.forward-row');
      if (fwRows.querySelectorAll('.forward-row').length > 1) row.remove();
      else row.querySelectorAll('input, select').forEach((el) => { el.value = el.tagName === 'SELECT' ? 'tcp' : ''; });
    });
  }

  // Import: read a chosen file into the text box so it can be checked before sending.
  const file = document.getElementById('file');
  const json = document.getElementById('json');
  if (file && json) {
    file.addEventListener('change', async () => {
      if (file.files.length) json.value = await file.files[0].text();
    });
  }
});
