// A file's preview, read by the browser straight from the bucket through its presigned URL:
// JSON, CSV and TSV, images, log chunks and text. Only the first 256 KiB are read (images whole),
// and the section's data-kind says what it became: json, csv, image, log, text or none.
import { h, fill, message } from '../../ui.js';
import { logLine } from './shared.js';

const PREVIEW_BYTES = 256 * 1024;
const MAX_IMAGE_BYTES = 32 * 1024 * 1024;
const TABLE_ROWS = 50;
const IMAGE_TYPES = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif',
  webp: 'image/webp', svg: 'image/svg+xml', bmp: 'image/bmp',
};
const TEXT_EXTENSIONS = new Set(['txt', 'log', 'md', 'yaml', 'yml', 'py', 'out', 'err', 'ini', 'toml', 'cfg', 'json', 'jsonl', 'csv', 'tsv', 'plx']);
const PLX_HEADER = 'timestamp|node|pod|container|value';

/** Fills the preview section; failures are shown in it, never thrown (but for the page going away). */
export async function renderPreview(section, file, url, signal) {
  try {
    const [kind, ...content] = await build(file, url, signal);
    section.dataset.kind = kind;
    fill(section, content);
  } catch (error) {
    if (error.name !== 'AbortError') {
      section.dataset.kind = 'none';
      fill(section, message('error', error.message));
    }
  }
}

/** [kind, …elements] for the file. */
async function build(file, url, signal) {
  const extension = file.name.includes('.') ? file.name.split('.').pop().toLowerCase() : '';
  if (file.size === 0) {
    return ['none', h('p', {}, 'This file is empty.')];
  }
  if (IMAGE_TYPES[extension]) {
    return imagePreview(file, url, IMAGE_TYPES[extension], signal);
  }

  const bytes = await firstBytes(url, signal);
  const cut = file.size > PREVIEW_BYTES;
  const text = decode(bytes, cut, TEXT_EXTENSIONS.has(extension));
  if (text === null) {
    return ['none', h('p', {}, 'No preview for this kind of file.')];
  }
  const note = cut ? h('p', { class: 'hint' }, '(first 256 KiB)') : null;
  // A cut file ends in the middle of a line: structured previews leave that line out.
  const whole = cut ? text.slice(0, text.lastIndexOf('\n') + 1) : text;

  const log = logLines(file.path, extension, whole);
  if (log) {
    return ['log', note, log];
  }
  if (extension === 'json') {
    const pretty = prettyJson(text);
    if (pretty !== null) {
      return ['json', note, scrollingPre(pretty)];
    }
  }
  const table = extension === 'csv' || extension === 'tsv' ? csvTable(whole, extension === 'tsv' ? '\t' : ',') : null;
  if (table) {
    return ['csv', note, table];
  }
  return ['text', note, scrollingPre(text)];
}

/** A fetch from the bucket, its failures said in words: CORS and S3's XML errors otherwise read as nothing. */
async function bucketFetch(url, init) {
  let response;
  try {
    response = await fetch(url, { credentials: 'omit', ...init });
  } catch (error) {
    if (error.name === 'AbortError') {
      throw error;
    }
    throw new Error(`The browser could not read the file from the bucket at ${new URL(url).origin}: `
      + `is it reachable, and does its CORS rule allow GET from ${location.origin}?`);
  }
  if (!response.ok) {
    const xml = new DOMParser().parseFromString(await response.text(), 'application/xml');
    const code = [xml.querySelector('Code')?.textContent, xml.querySelector('Message')?.textContent].filter(Boolean).join(': ');
    throw new Error(`The bucket answered ${response.status} ${response.statusText}${code ? ` (${code})` : ''}.`);
  }
  return response;
}

/** The first 256 KiB; read as a stream and cut there, in case the bucket ignores the Range and sends it all. */
async function firstBytes(url, signal) {
  const response = await bucketFetch(url, { headers: { Range: `bytes=0-${PREVIEW_BYTES - 1}` }, signal });
  const reader = response.body.getReader();
  const bytes = new Uint8Array(PREVIEW_BYTES);
  let length = 0;
  while (length < PREVIEW_BYTES) {
    const { done, value } = await reader.read();
    if (done) {
      return bytes.subarray(0, length);
    }
    const taken = value.subarray(0, PREVIEW_BYTES - length);
    bytes.set(taken, length);
    length += taken.length;
  }
  await reader.cancel();
  return bytes;
}

/**
 * The bytes as UTF-8 text, or null when they are not text (invalid UTF-8, or a NUL). Files
 * known to be text are read leniently. A cut file may end inside a character: streaming mode
 * leaves that character out instead of failing.
 */
function decode(bytes, cut, knownText) {
  try {
    const text = new TextDecoder('utf-8', { fatal: !knownText }).decode(bytes, { stream: cut });
    return knownText || !text.includes('\0') ? text : null;
  } catch {
    return null;
  }
}

function prettyJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}

// Scrollable, so focusable: a keyboard reader can scroll it.
function scrollingPre(text) {
  return h('pre', { tabindex: '0' }, text);
}

async function imagePreview(file, url, type, signal) {
  if (file.size > MAX_IMAGE_BYTES) {
    return ['none', h('p', {}, 'This image is larger than 32 MiB: download it to see it.')];
  }
  const response = await bucketFetch(url, { signal });
  // The type from the name: a bucket often serves binary/octet-stream, which an <img> will not show as SVG.
  const blob = new Blob([await response.arrayBuffer()], { type });
  const objectUrl = URL.createObjectURL(blob);
  signal.addEventListener('abort', () => URL.revokeObjectURL(objectUrl), { once: true });
  return ['image', h('img', { src: objectUrl, alt: file.name })];
}

/**
 * A run's log chunk as log lines, or null for any other file: .plx rows under plxlogs/ and
 * .tmpplxlogs/, Sluice's earlier JSON lines under logs/.
 */
function logLines(path, extension, text) {
  let entries;
  if (extension === 'plx' && /^(plxlogs|\.tmpplxlogs)\//.test(path)) {
    entries = text.split('\n').map(row => row.replace(/\r$/, '')).filter(row => row && row !== PLX_HEADER).map(plxEntry);
  } else if (extension === 'jsonl' && path.startsWith('logs/')) {
    entries = text.split('\n').filter(row => row.trim()).map(jsonEntry);
  } else {
    return null;
  }
  return h('div', { class: 'log', role: 'log', 'aria-label': 'Log lines', tabindex: '0' }, entries.map(logLine));
}

/** timestamp|node|pod|container|{"_": "the line"}: cut at the first four '|' only, the text may hold more. */
function plxEntry(row) {
  const fields = [];
  let start = 0;
  for (let i = 0; i < 4; i++) {
    const end = row.indexOf('|', start);
    if (end < 0) {
      return { value: row };
    }
    fields.push(row.slice(start, end));
    start = end + 1;
  }
  const [timestamp, , , container] = fields;
  const raw = row.slice(start);
  let value = raw;
  try {
    const parsed = JSON.parse(raw);
    value = typeof parsed?._ === 'string' ? parsed._ : raw;
  } catch {
    // not {"_": …}: the row's text as it is
  }
  return { timestamp, container, value };
}

/** {"timestamp", "value" or "line", "container"?}: what is missing is left empty, what is not JSON shown as it is. */
function jsonEntry(row) {
  try {
    const line = JSON.parse(row);
    const text = line?.value ?? line?.line;
    return { timestamp: line?.timestamp, container: line?.container, value: typeof text === 'string' ? text : row };
  } catch {
    return { value: row };
  }
}

/** The first rows as a table, the first row its header; null when there is no row at all. */
function csvTable(text, separator) {
  const [header, ...rows] = parseRows(text, separator, TABLE_ROWS + 2);
  if (!header) {
    return null;
  }
  const shown = rows.slice(0, TABLE_ROWS);
  const columns = Math.max(header.length, ...shown.map(row => row.length));
  const cells = (row, tag) => Array.from({ length: columns }, (_, i) => h(tag, tag === 'th' ? { scope: 'col' } : {}, row[i] ?? ''));
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Table preview' },
    h('table', {},
      rows.length > TABLE_ROWS ? h('caption', {}, `The first ${TABLE_ROWS} rows`) : null,
      h('thead', {}, h('tr', {}, cells(header, 'th'))),
      h('tbody', {}, shown.map(row => h('tr', {}, cells(row, 'td'))))));
}

/**
 * Up to `limit` rows of CSV (RFC 4180): fields split on the separator; a quoted field may hold
 * the separator, line breaks, and "" for a quote.
 */
function parseRows(text, separator, limit) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length && rows.length < limit; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch !== '"') {
        field += ch;
      } else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = false;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === separator) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') {
        i++;
      }
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if ((field !== '' || row.length > 0) && rows.length < limit) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
