// Runs: the artifact stores the token may use (#/runs), a store's runs a page at a time
// (#/runs/{store}), and a run's files (#/runs/{store}/{run}, in runs/run.js).
import { api, seg, query } from '../api.js';
import { h, formatBytes, time, message } from '../ui.js';
import { breadcrumbs } from './runs/shared.js';
import { renderRun } from './runs/run.js';

const PAGE_SIZE = 50;

export async function render(view, context) {
  const [store, run] = context.route.parts;
  if (run) {
    return renderRun(view, context);
  }
  return store ? renderRuns(view, context, store) : renderStores(view, context);
}

async function renderStores(view, { me, routeTo, signal }) {
  document.title = 'Artifact stores · Sluice';
  view.append(h('h1', {}, 'Artifact stores'));
  const stores = await api('GET', '/artifacts/', undefined, { signal });
  if (stores.length === 0) {
    view.append(message('info', me.scope.admin
      ? 'This server has no artifact stores: they are set up in its stores file (SLUICE_CONFIG).'
      : 'This token may use no artifact store.'));
    return;
  }
  view.append(h('ul', { class: 'stores' }, stores.map(store => h('li', { class: 'card' },
    h('a', { href: routeTo('runs', store.name), class: 'store-name' }, store.name),
    h('p', {}, 'Bucket ', h('code', {}, store.bucket)),
    store.description ? h('p', {}, store.description) : null))));
}

/**
 * One page of a store's runs. The route carries the page's cursor (?after=) and the cursors of
 * the pages between the first and this one (?before=a/b, run names hold no '/'), so the back
 * button, a reload and "Previous page" all find the page again.
 */
async function renderRuns(view, { routeTo, navigate, route, signal }, store) {
  const after = route.params.get('after');
  const earlier = route.params.get('before')?.split('/').filter(Boolean) ?? [];
  document.title = `Runs in ${store} · Sluice`;
  view.append(
    breadcrumbs(['Artifact stores', routeTo('runs')], [store]),
    h('h1', {}, `Runs in ${store}`));

  const page = await api('GET', `/artifacts/${seg(store)}/runs${query({ limit: PAGE_SIZE, after })}`, undefined, { signal });
  if (page.runs.length === 0) {
    view.append(message('info', after ? 'No more runs.' : 'This store has no runs this token may read.'));
  } else {
    view.append(runsTable(page.runs, run => routeTo('runs', store, run)));
  }

  const pageAt = (cursor, before) => routeTo('runs', store, { after: cursor, before: before.join('/') });
  const previous = after
    ? h('button', { type: 'button', onclick: () => navigate(pageAt(earlier.at(-1), earlier.slice(0, -1))) }, 'Previous page')
    : null;
  const next = page.next
    ? h('button', { type: 'button', onclick: () => navigate(pageAt(page.next, after ? [...earlier, after] : [])) }, 'Next page')
    : null;
  if (previous || next) {
    view.append(h('div', { class: 'buttons' }, previous, next,
      h('span', { class: 'hint' }, `Page ${after ? earlier.length + 2 : 1}`)));
  }
}

function runsTable(runs, linkTo) {
  return h('table', { class: 'stack' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Run'),
      h('th', { scope: 'col', class: 'number' }, 'Files'),
      h('th', { scope: 'col', class: 'number' }, 'Size'),
      h('th', { scope: 'col' }, 'Last change'))),
    h('tbody', {}, runs.map(run => h('tr', {},
      h('td', { 'data-label': 'Run' }, h('a', { href: linkTo(run.name) }, run.name)),
      h('td', { 'data-label': 'Files', class: 'number' }, String(run.files)),
      h('td', { 'data-label': 'Size', class: 'number' }, formatBytes(run.size)),
      h('td', { 'data-label': 'Last change' }, time(run.lastModified))))));
}
