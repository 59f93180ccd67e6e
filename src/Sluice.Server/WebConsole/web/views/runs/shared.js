// What the runs and logs views share: breadcrumbs, what the token may do, and a log line as both
// the live log and a log chunk's preview show it.
import { h } from '../../ui.js';

/** A breadcrumb trail from [text, href] pairs; the last, given without href, is the page itself. */
export function breadcrumbs(...items) {
  return h('nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumb' },
    h('ol', {}, items.map(([text, href]) => h('li', {},
      href ? h('a', { href }, text) : h('span', { 'aria-current': 'page' }, text)))));
}

/**
 * Whether the token may use a method at all (no methods listed: any). Only decides what is
 * offered; the server judges each key against the token's prefixes and its 403 is shown.
 */
export function mayUse(me, method) {
  const { admin, methods } = me.scope;
  return admin || methods.length === 0 || methods.includes(method);
}

/** "1 file", "3 files". */
export function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * A stored time as a Date, or null: ISO 8601, or Python's str(datetime) as .plx rows hold it
 * ("2026-12-04 00:32:29.123456+00:00"). A time without a zone is UTC, as Sluice reads it.
 */
export function parseTime(text) {
  if (typeof text !== 'string' || text.trim() === '') {
    return null;
  }
  let iso = text.trim().replace(' ', 'T');
  if (iso.includes('T') && !/(Z|[+-]\d\d:?\d\d)$/i.test(iso)) {
    iso += 'Z';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

const pad = (number, width = 2) => String(number).padStart(width, '0');

/** HH:MM:SS.mmm in the reader's time zone: a log is read by the second, its day rarely matters. */
function clock(date) {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** One line of a log ({timestamp, container?, value}): its time, then its text after the container's name. */
export function logLine(entry) {
  const date = parseTime(entry.timestamp);
  const stamp = date
    ? h('time', { datetime: date.toISOString(), title: date.toISOString() }, clock(date))
    : h('time', {}, '');
  const text = entry.container ? `[${entry.container}] ${entry.value ?? ''}` : String(entry.value ?? '');
  return h('div', { class: 'line' }, stamp, h('span', {}, text));
}
