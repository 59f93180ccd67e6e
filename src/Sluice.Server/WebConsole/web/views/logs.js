// A run's log, live (#/logs/{store}/{run}): pages read with the server's cursor until it says
// there is no more, then asked for again every 2 s while "Follow new lines" is checked.
// Search hides the lines that do not match and marks what does.
import { api, seg, query } from '../api.js';
import { h, fill, field, message } from '../ui.js';
import { breadcrumbs, logLine, plural } from './runs/shared.js';

const POLL_MS = 2000;
const MAX_LINES = 50000;
const SEARCH_DELAY_MS = 150;
// A reader this close to the bottom is following the end.
const BOTTOM_SLACK_PX = 8;

export async function render(view, { route, routeTo, signal }) {
  const [store, run] = route.parts;
  if (!store || !run) {
    document.title = 'Logs · Sluice';
    view.append(h('h1', {}, 'Logs'),
      h('p', {}, 'Choose a run in ', h('a', { href: routeTo('runs') }, 'Runs'), ' to read its log.'));
    return null;
  }
  document.title = `Logs of ${run} · Sluice`;

  const follow = h('input', { type: 'checkbox', name: 'follow', checked: true });
  const search = h('input', { type: 'search', name: 'search', autocomplete: 'off', spellcheck: false });
  const jump = h('button', { type: 'button' }, 'Jump to end');
  const count = h('p', { role: 'status' }, 'Reading the log…');
  const problems = h('div');
  const dropped = h('div');
  // role=log is a live region: off, or a reader would hear every batch of up to 2,000 lines; the count above says what arrived.
  const log = h('div', { class: 'log', role: 'log', 'aria-label': 'Log lines', 'aria-live': 'off', tabindex: '0' });
  view.append(
    breadcrumbs(['Artifact stores', routeTo('runs')], [store, routeTo('runs', store)], [run, routeTo('runs', store, run)], ['Logs']),
    h('h1', {}, `Logs of ${run}`),
    h('div', { class: 'log-controls' },
      h('label', { class: 'check' }, follow, ' Follow new lines'),
      field('Search', search),
      jump),
    count, problems, dropped, log);

  const lines = []; // { element, text, lower }, oldest first
  let needle = '';
  let cursor = {};
  let started = false; // a first answer came
  let timer = null;
  let searchTimer = null;
  let reading = false;
  let stopped = false;

  const atBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight <= BOTTOM_SLACK_PX;
  const toBottom = () => { log.scrollTop = log.scrollHeight; };

  function add(entries) {
    const followEnd = follow.checked && atBottom();
    const fragment = document.createDocumentFragment();
    for (const entry of entries) {
      const element = logLine(entry);
      const text = element.lastChild.textContent;
      const line = { element, text, lower: text.toLowerCase() };
      applySearch(line);
      lines.push(line);
      fragment.append(element);
    }
    log.append(fragment);
    if (lines.length > MAX_LINES) {
      for (const line of lines.splice(0, lines.length - MAX_LINES)) {
        line.element.remove();
      }
      if (!dropped.hasChildNodes()) {
        dropped.append(message('info', `Only the last ${MAX_LINES.toLocaleString('en')} lines are kept: older ones were dropped.`));
      }
    }
    if (followEnd) {
      toBottom();
    }
  }

  // Hidden when it does not match; its matches marked, or its plain text put back.
  function applySearch(line) {
    const matches = !needle || line.lower.includes(needle);
    line.element.hidden = !matches;
    const span = line.element.lastChild;
    if (needle && matches) {
      fill(span, marked(line, needle));
      line.marked = true;
    } else if (line.marked) {
      span.textContent = line.text;
      line.marked = false;
    }
  }

  function showCount() {
    let text;
    if (lines.length === 0) {
      text = started ? 'No log lines yet.' : 'Reading the log…';
    } else if (needle) {
      const matching = lines.reduce((sum, line) => sum + (line.element.hidden ? 0 : 1), 0);
      text = `${matching} of ${plural(lines.length, 'line')} match`;
    } else {
      text = plural(lines.length, 'line');
    }
    // Set only when it changes: a live region repeats what is written to it.
    if (count.textContent !== text) {
      count.textContent = text;
    }
  }

  async function read() {
    timer = null;
    reading = true;
    try {
      let more = true;
      while (more) {
        const page = await api('GET', `/artifacts/${seg(store)}/runs/${seg(run)}/logs${query(cursor)}`, undefined, { signal });
        cursor = { last_file: page.last_file, last_time: page.last_time };
        started = true;
        add(page.logs);
        showCount();
        more = page.more;
      }
      fill(problems);
    } catch (error) {
      if (error.name === 'AbortError') {
        return;
      }
      fill(problems, message('error', error.message));
      // The server refused (a bad cursor, no rights): asking again would be refused again.
      stopped = error.status >= 400 && error.status < 500;
    } finally {
      reading = false;
    }
    schedule();
  }

  function schedule() {
    if (follow.checked && !stopped && !signal.aborted && !reading && !timer) {
      timer = setTimeout(read, POLL_MS);
    }
  }

  follow.addEventListener('change', () => {
    if (follow.checked) {
      stopped = false; // checking it again is asking again, even after a refusal
      schedule();
    } else {
      clearTimeout(timer);
      timer = null;
    }
  });
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      needle = search.value.trim().toLowerCase();
      lines.forEach(applySearch);
      showCount();
    }, SEARCH_DELAY_MS);
  });
  jump.addEventListener('click', toBottom);

  read();
  return () => {
    stopped = true;
    clearTimeout(timer);
    clearTimeout(searchTimer);
  };
}

/** The line's text with each match of the needle in <mark>. */
function marked(line, needle) {
  // Lower-casing may change a text's length (a few Unicode letters): then nothing is marked, the line still shown.
  if (line.lower.length !== line.text.length) {
    return line.text;
  }
  const pieces = [];
  let from = 0;
  for (let at = line.lower.indexOf(needle); at >= 0; at = line.lower.indexOf(needle, from)) {
    pieces.push(line.text.slice(from, at), h('mark', {}, line.text.slice(at, at + needle.length)));
    from = at + needle.length;
  }
  pieces.push(line.text.slice(from));
  return pieces;
}
