// The console's shell: sign-in, the navigation the token's scope allows, and a hash router
// (#/section/…): the fragment never reaches the server, so no route puts anything in its logs.
import { api, ApiError, setToken, token } from './api.js';
import { h, fill, field, message, announce } from './ui.js';

// Each section is a module exporting render(view, context) → an optional cleanup function.
const SECTIONS = {
  runs: () => import('./views/runs.js'),
  logs: () => import('./views/logs.js'),
  presign: () => import('./views/presign.js'),
  accounts: () => import('./views/accounts.js'),
  tokens: () => import('./views/tokens.js'),
};
const ADMIN_SECTIONS = new Set(['accounts', 'tokens']);

const view = document.getElementById('view');
let me = null;
let cleanup = null;
let controller = null;

/** The route in the fragment: #/runs/store/run?path=a/b → { section: 'runs', parts: ['store', 'run'], params }. */
export function currentRoute() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, search = ''] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { section: parts[0] ?? '', parts: parts.slice(1), params: new URLSearchParams(search) };
}

/** A fragment for a route: route('runs', store, run, { path }) → #/runs/store/run?path=…. */
export function route(section, ...rest) {
  const params = rest.length > 0 && typeof rest[rest.length - 1] === 'object' ? rest.pop() : null;
  const path = [section, ...rest].map(encodeURIComponent).join('/');
  const search = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== '')).toString() : '';
  return `#/${path}${search ? '?' + search : ''}`;
}

export function navigate(hash) {
  if (location.hash === hash) {
    show();
  } else {
    location.hash = hash;
  }
}

function showSignIn(problem) {
  document.title = 'Sign in · Sluice';
  document.getElementById('nav').hidden = true;
  document.getElementById('who').hidden = true;
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', spellcheck: false, required: true });
  const status = h('div', { class: 'status' }, problem ? message('error', problem) : null);
  const form = h('form', { class: 'card narrow', autocomplete: 'off' },
    field('Token', input, 'An admin token, or a scoped one from your administrator. It is kept in this tab only and sent only in the Authorization header.'),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Sign in')),
    status);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    setToken(input.value.trim());
    try {
      await signIn();
      if (!currentRoute().section) {
        navigate('#/runs');
      } else {
        show();
      }
    } catch (error) {
      setToken(null);
      fill(status, message('error', error.status === 401 ? 'This token is not valid (unknown, revoked or expired).' : error.message));
      input.focus();
    }
  });
  fill(view, h('h1', {}, 'Sign in to Sluice'),
    h('p', {}, 'Browse runs and their artifacts, follow logs, sign URLs and manage accounts and tokens. Files go straight between this browser and the bucket through presigned URLs.'),
    form);
  input.focus();
}

async function signIn() {
  me = await api('GET', '/me');
  const admin = me.scope.admin;
  for (const link of document.querySelectorAll('#nav a')) {
    link.hidden = link.hasAttribute('data-admin') && !admin;
  }
  document.getElementById('nav').hidden = false;
  document.getElementById('who-name').textContent = `${me.name}${admin ? ' (admin)' : ''}`;
  document.getElementById('who').hidden = false;
}

async function show() {
  cleanup?.();
  cleanup = null;
  controller?.abort();
  controller = new AbortController();
  if (!token()) {
    showSignIn();
    return;
  }
  if (!me) {
    try {
      await signIn();
    } catch (error) {
      setToken(null);
      showSignIn(error instanceof ApiError && error.status === 401 ? 'Your session ended: sign in again.' : error.message);
      return;
    }
  }

  const current = currentRoute();
  const section = SECTIONS[current.section] ? current.section : 'runs';
  for (const link of document.querySelectorAll('#nav a')) {
    const here = link.dataset.section === section || (section === 'logs' && link.dataset.section === 'runs');
    if (here) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  if (ADMIN_SECTIONS.has(section) && !me.scope.admin) {
    fill(view, h('h1', {}, 'Not for this token'), message('error', 'This page needs an admin token.'));
    return;
  }

  view.replaceChildren();
  const signal = controller.signal;
  const context = { me, route: current, navigate, routeTo: route, signal };
  try {
    const module = await SECTIONS[section]();
    if (signal.aborted) {
      return; // the route moved on while the module loaded: the newer show() renders
    }
    const done = await module.render(view, context);
    if (signal.aborted) {
      done?.();
      return;
    }
    cleanup = done ?? null;
  } catch (error) {
    if (error.name === 'AbortError') {
      return;
    }
    if (error instanceof ApiError && error.status === 401) {
      me = null;
      setToken(null);
      showSignIn('Your session ended: sign in again.');
      return;
    }
    view.append(message('error', error.message));
  }
  if (document.activeElement === document.body || !view.contains(document.activeElement)) {
    view.focus({ preventScroll: true });
  }
  announce(document.title);
}

document.getElementById('sign-out').addEventListener('click', () => {
  setToken(null);
  me = null;
  cleanup?.();
  cleanup = null;
  location.hash = '#/';
  showSignIn();
});
window.addEventListener('hashchange', show);
show();
