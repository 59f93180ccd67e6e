// A run (#/runs/{store}/{run}?path=…): its tree on the left; on the right the selected file or
// folder (facts, download, delete, preview), the upload form, and below them the run's metrics.
// Each entry of the tree is a route of its own, so links, reloads and the back button all work.
import { api, seg, query } from '../../api.js';
import { h, fill, formatBytes, time, message, confirmAction } from '../../ui.js';
import { breadcrumbs, mayUse, plural } from './shared.js';
import { renderPreview } from './preview.js';
import { uploadForm } from './upload.js';
import { fetchMetrics, metricsSection } from './metrics.js';

// A download link this close to expiring is signed again when clicked.
const LINK_MARGIN_MS = 30000;

// The tree and metrics of the run on screen, with the sign-in that read them: moving within the
// run reuses them rather than listing the whole run again on every click.
let kept = null;
// What the last action did, said on the page it moved to (a delete moves to the run root).
let flash = null;
// The tree entry clicked last: focused again on its page, so a keyboard reader keeps its place.
let clickedPath = null;

export async function renderRun(view, { me, route, routeTo, navigate, signal }) {
  const [store, run] = route.parts;
  const path = route.params.get('path') ?? '';
  const page = {
    me, store, run, path, navigate, signal,
    api: `/artifacts/${seg(store)}/runs/${seg(run)}`,
    at: entryPath => routeTo('runs', store, run, { path: entryPath }),
  };
  document.title = `Run ${run} · Sluice`;
  const note = takeFlash();
  view.append(
    breadcrumbs(['Artifact stores', routeTo('runs')], [store, routeTo('runs', store)], path ? [run, page.at('')] : [run]),
    h('h1', {}, `Run ${run}`),
    h('p', {}, h('a', { href: routeTo('logs', store, run) }, 'Logs')));
  if (note) {
    view.append(note);
  }

  const treeNav = h('nav', { class: 'tree', 'aria-label': 'Files' });
  treeNav.addEventListener('click', event => {
    clickedPath = event.target.closest('a[data-path]')?.dataset.path ?? null;
  });
  const entryBox = h('div');
  const side = h('div', {}, entryBox);
  view.append(h('div', { class: 'split run-split' }, treeNav, side));

  // The entry's link and preview requests stop when the page goes, or when the entry is shown again.
  let entryController = null;
  const show = tree => {
    fill(treeNav, treeList([tree], page, true));
    entryController?.abort();
    entryController = new AbortController();
    showEntry(entryBox, find(tree, path), page, AbortSignal.any([signal, entryController.signal]));
  };
  const tree = await loadTree(page);
  show(tree);

  if (mayUse(me, 'PUT')) {
    side.append(uploadForm({
      store, run, signal,
      folder: defaultFolder(find(tree, path)),
      onUploaded: async () => {
        kept = null;
        show(await loadTree(page));
      },
    }));
  }
  note?.focus();
  if (clickedPath === path) {
    treeNav.querySelector('[aria-current="page"]')?.focus();
  }
  clickedPath = null;
  showMetrics(view, page);

  return () => {
    entryController.abort();
    if (location.hash.split('?')[0] !== page.at('')) {
      kept = null;
    }
  };
}

function takeFlash() {
  if (!flash) {
    return null;
  }
  const note = message('ok', flash);
  note.tabIndex = -1;
  flash = null;
  return note;
}

async function loadTree(page) {
  const key = page.at('');
  if (kept?.key === key && kept.me === page.me) {
    return kept.tree;
  }
  const answer = await api('GET', `${page.api}/tree`, undefined, { signal: page.signal });
  kept = { key, me: page.me, tree: answer.tree, metrics: null };
  return answer.tree;
}

// Not awaited by the page: the tree is usable before the run's events are read.
async function showMetrics(view, page) {
  const entry = kept;
  try {
    entry.metrics ??= await fetchMetrics(page.api, page.signal);
    if (entry.metrics.length > 0) {
      view.append(metricsSection(entry.metrics));
    }
  } catch (error) {
    if (error.name !== 'AbortError') {
      view.append(h('section', { 'aria-labelledby': 'metrics-title' },
        h('h2', { id: 'metrics-title' }, 'Metrics'), message('error', error.message)));
    }
  }
}

/** The entry at a run-relative path ('' is the run itself), or null. */
function find(tree, path) {
  let node = tree;
  for (const name of path ? path.split('/') : []) {
    node = node.children?.find(child => child.name === name);
    if (!node) {
      return null;
    }
  }
  return node;
}

/** Nested lists of links, folders with a trailing '/' and always open; the run itself is "All files". */
function treeList(nodes, page, isRoot = false) {
  return h('ul', {}, nodes.map(node => {
    const name = isRoot ? 'All files' : node.type === 'directory' ? `${node.name}/` : node.name;
    return h('li', {},
      h('a', {
        href: page.at(node.path),
        dataset: { path: node.path },
        'aria-current': node.path === page.path ? 'page' : null,
      }, name),
      ' ',
      h('span', { class: 'size' }, formatBytes(node.size)),
      node.children?.length ? treeList(node.children, page) : null);
  }));
}

/** Where uploads go unless the reader says otherwise: the selected folder, the selected file's, or outputs. */
function defaultFolder(node) {
  if (node?.type === 'directory' && node.path) {
    return node.path;
  }
  const parent = node?.type === 'file' ? node.path.split('/').slice(0, -1).join('/') : '';
  return parent || 'outputs';
}

function showEntry(box, node, page, signal) {
  if (!node) {
    fill(box, h('h2', {}, page.path), message('error', `This run has nothing at ${page.path}: it may have been deleted.`));
  } else if (node.type === 'file') {
    showFile(box, node, page, signal);
  } else {
    showFolder(box, node, page);
  }
}

function showFolder(box, node, page) {
  const outcome = h('div');
  const remove = node.path && mayUse(page.me, 'DELETE') ? deleteButton('Delete folder', node, page, outcome) : null;
  fill(box,
    h('h2', {}, node.path || 'All files'),
    h('dl', { class: 'facts' }, fact('Files', String(node.files)), fact('Size', sizeText(node.size))),
    remove ? h('div', { class: 'buttons' }, remove) : null,
    outcome);
}

async function showFile(box, node, page, signal) {
  const download = h('span', { class: 'hint' }, 'Preparing the download link…');
  const outcome = h('div');
  const preview = h('section', { class: 'preview', 'aria-label': 'Preview' }, h('p', { class: 'hint' }, 'Loading the preview…'));
  fill(box,
    h('h2', {}, node.path),
    h('dl', { class: 'facts' }, fact('Size', sizeText(node.size)), fact('Last modified', time(node.lastModified))),
    h('div', { class: 'buttons' }, download, mayUse(page.me, 'DELETE') ? deleteButton('Delete', node, page, outcome) : null),
    outcome,
    preview);

  let link;
  try {
    link = await fileLink(page, node.path, signal);
  } catch (error) {
    if (error.name !== 'AbortError') {
      download.remove();
      fill(outcome, message('error', error.message));
      preview.dataset.kind = 'none';
      fill(preview, h('p', {}, 'No preview: the file could not be linked.'));
    }
    return;
  }
  download.replaceWith(downloadLink(node, link, page, outcome));
  await renderPreview(preview, node, link.url, signal);
}

/** A presigned GET of a run's file: { url, method, expiresAt, note? }. */
function fileLink(page, path, signal) {
  return api('GET', `${page.api}/files${query({ path })}`, undefined, { signal });
}

/**
 * The browser fetches the file straight from the bucket. (Browsers ignore `download` on another
 * origin's link: what the bucket serves as text or images opens in a new tab, the console stays.)
 */
function downloadLink(node, link, page, outcome) {
  let current = link;
  const anchor = h('a', { href: link.url, rel: 'noopener', target: '_blank', download: node.name }, 'Download');
  // A page left open outlives its link: sign a fresh one before following a link about to expire.
  anchor.addEventListener('click', async event => {
    if (Date.parse(current.expiresAt) - Date.now() > LINK_MARGIN_MS) {
      return;
    }
    event.preventDefault();
    try {
      current = await fileLink(page, node.path, page.signal);
      anchor.href = current.url;
      anchor.click();
    } catch (error) {
      if (error.name !== 'AbortError') {
        fill(outcome, message('error', error.message));
      }
    }
  });
  return anchor;
}

function deleteButton(label, node, page, outcome) {
  const button = h('button', { type: 'button', class: 'danger' }, label);
  button.addEventListener('click', () => deleteEntry(node, page, outcome, button));
  return button;
}

async function deleteEntry(node, page, outcome, button) {
  if (!(await confirmAction(`Delete ${node.path}? This cannot be undone.`))) {
    return;
  }
  button.disabled = true;
  fill(outcome, message('info', `Deleting ${node.path}…`));
  try {
    const deleted = await api('DELETE', `${page.api}/files${query({ path: node.path })}`, undefined, { signal: page.signal });
    const aborted = deleted.uploadsAborted > 0 ? ` and ${plural(deleted.uploadsAborted, 'unfinished upload')}` : '';
    flash = `Deleted ${deleted.path}: ${plural(deleted.files, 'file')} (${formatBytes(deleted.bytes)})${aborted}.`;
    kept = null;
    page.navigate(page.at(''));
  } catch (error) {
    if (error.name !== 'AbortError') {
      fill(outcome, message('error', error.message));
      button.disabled = false;
    }
  }
}

function fact(term, value) {
  return [h('dt', {}, term), h('dd', {}, value)];
}

function sizeText(bytes) {
  return bytes < 1024 ? `${bytes} bytes` : `${bytes} bytes (${formatBytes(bytes)})`;
}
