// Tokens (admin, #/tokens): a scope builder that creates a token and shows its secret once,
// and the list of tokens with a revoke button for each active one.
import { api, seg } from '../api.js';
import { h, fill, field, formatBytes, time, message, confirmAction, copyButton, showProblem } from '../ui.js';
import { scopeChoices } from './scope-choices.js';

const METHODS = ['GET', 'PUT', 'DELETE'];
// PresignRequest.MaxExpiresInSeconds: no URL lives longer.
const MAX_URL_SECONDS = 604800;

export async function render(view, { signal }) {
  document.title = 'Tokens · Sluice';
  view.append(h('h1', {}, 'Tokens'));
  const [choices, tokens] = await Promise.all([
    scopeChoices(signal),
    api('GET', '/tokens/', undefined, { signal }),
  ]);

  const listStatus = h('div');
  const empty = tokens.items.length === 0 ? message('info', 'No token yet.') : null;
  const revoke = token => revokeToken(token, listStatus, signal);
  const tbody = h('tbody', {}, tokens.items.map(token => tokenRow(token, revoke)));
  const created = h('div');

  // Each creation gets a fresh form: the last token's choices and messages do not carry over.
  const newForm = () => {
    const form = tokenForm(choices);
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const token = await createToken(form, signal);
      if (token) {
        form.replaceWith(newForm());
        fill(created, secretCard(token));
        created.querySelector('h2').focus();
        empty?.remove();
        tbody.prepend(tokenRow(token, revoke));
      }
    });
    return form;
  };

  view.append(newForm(), created,
    h('section', { 'aria-labelledby': 'tokens-heading' },
      h('h2', { id: 'tokens-heading' }, 'All tokens'),
      listStatus,
      empty,
      h('div', { class: 'table-scroll' }, tokensTable(tbody))));
}

/** Sends the form; answers the created token (with its secret), or null after showing why not. */
async function createToken(form, signal) {
  const status = form.querySelector('.form-status');
  const submit = form.querySelector('button[type="submit"]');
  submit.disabled = true;
  try {
    return await api('POST', '/tokens/', tokenBody(form), { signal });
  } catch (error) {
    if (error.name !== 'AbortError') {
      showProblem(form, error, status);
    }
    return null;
  } finally {
    submit.disabled = false;
  }
}

function secretCard(token) {
  return h('section', { class: 'card', 'aria-labelledby': 'token-created-heading' },
    h('h2', { id: 'token-created-heading', tabindex: '-1' }, 'Token created'),
    h('p', {}, 'Copy this token now: it is shown only once.'),
    h('div', { class: 'secret' },
      h('code', { id: 'new-token-secret' }, token.token),
      copyButton(token.token, 'Copy token')),
    h('p', { class: 'hint' }, `Token ${token.name} (id ${token.id}). Clients send it as "Authorization: Bearer …".`));
}

/** The form, its controls named as the API's fields so its validation messages land beside them. */
function tokenForm(choices) {
  const number = (name, extra = {}) => h('input', { type: 'number', name, min: 1, step: 1, ...extra });
  const list = name => h('input', { type: 'text', name, autocomplete: 'off', spellcheck: 'false' });
  const admin = h('input', { type: 'checkbox', name: 'admin', id: 'token-admin', 'aria-describedby': 'admin-hint' });
  // An admin token has every right and the API refuses a scope beside it, so the scope is set aside.
  const scope = h('fieldset', { class: 'scope' },
    h('legend', {}, 'Scope'),
    h('p', { class: 'hint' }, 'An empty list means any: a token with no accounts ticked may use every account.'),
    accountsChoice(choices),
    field('Buckets (comma-separated)', list('buckets')),
    field('Prefixes (comma-separated)', list('prefixes'), 'Key prefixes such as runs/team-a/: keys outside them are refused.'),
    h('div', { class: 'field' }, h('fieldset', {},
      h('legend', {}, 'Methods'),
      h('div', { class: 'checks' }, METHODS.map(method =>
        h('label', {}, h('input', { type: 'checkbox', name: 'methods', value: method, id: `token-method-${method}` }), ` ${method}`))))),
    field('Max URL lifetime (seconds)', number('max-expiration', { max: MAX_URL_SECONDS }), `At most ${MAX_URL_SECONDS} (7 days). Blank: no limit beyond that.`),
    field('Max upload bytes', number('max-upload-bytes'), 'Uploads must then declare their size, which is signed.'));
  admin.addEventListener('change', () => { scope.disabled = admin.checked; });

  return h('form', { class: 'card', autocomplete: 'off', 'aria-labelledby': 'new-token-heading' },
    h('h2', { id: 'new-token-heading' }, 'New token'),
    field('Name', h('input', { type: 'text', name: 'name', required: true, autocomplete: 'off' }), 'Who or what the token is for, such as ci-nightly.'),
    h('div', { class: 'field' },
      h('label', { class: 'check' }, admin, ' Admin'),
      h('small', { id: 'admin-hint', class: 'hint' }, 'Every right: accounts, tokens and any URL. An admin token has no scope.')),
    scope,
    field('Expires in (seconds)', number('expires-in'), 'Blank: the token works until it is revoked.'),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Create token')),
    h('div', { class: 'form-status' }));
}

/**
 * Ticks for the names the server knows, and a text field for others. The text field carries the
 * API's name "accounts" so a refused name is reported beside it (the ticked ones come from the server).
 */
function accountsChoice({ groups, failed }) {
  return h('div', { class: 'field' }, h('fieldset', {},
    h('legend', {}, 'Accounts and stores'),
    groups.map(({ kind, ids }) => h('div', { class: 'choice-group' },
      h('p', { class: 'hint' }, kind),
      h('div', { class: 'checks' }, ids.map(id =>
        h('label', {}, h('input', { type: 'checkbox', class: 'account-choice', value: id }), ` ${id}`))))),
    failed.map(({ kind, error }) => message('error', `${kind} could not be listed: ${error.message}`)),
    field('Other accounts (comma-separated)', h('input', { type: 'text', name: 'accounts', autocomplete: 'off', spellcheck: 'false' }))));
}

const commaList = text => text.split(',').map(item => item.trim()).filter(Boolean);

/** The request as TokenRequestReader reads it: lists only when not empty, numbers as typed (the API judges them). */
function tokenBody(form) {
  const value = name => form.elements.namedItem(name).value;
  const body = { name: value('name') };
  if (form.elements.namedItem('admin').checked) {
    body.admin = true;
  } else {
    const ticked = [...form.querySelectorAll('.account-choice:checked')].map(box => box.value);
    const lists = {
      accounts: [...new Set([...ticked, ...commaList(value('accounts'))])],
      buckets: commaList(value('buckets')),
      prefixes: commaList(value('prefixes')),
      methods: [...form.querySelectorAll('input[name="methods"]:checked')].map(box => box.value),
    };
    for (const [name, items] of Object.entries(lists)) {
      if (items.length > 0) {
        body[name] = items;
      }
    }
    for (const name of ['max-expiration', 'max-upload-bytes']) {
      if (value(name) !== '') {
        body[name] = value(name);
      }
    }
  }
  if (value('expires-in') !== '') {
    body['expires-in'] = value('expires-in');
  }
  return body;
}

function tokensTable(tbody) {
  return h('table', { class: 'stack readable' },
    h('thead', {}, h('tr', {},
      ['Name', 'Id', 'Scope', 'Created', 'Expires', 'Status', 'Actions'].map(name => h('th', { scope: 'col' }, name)))),
    tbody);
}

function tokenRow(token, revoke) {
  const state = tokenState(token);
  const statusCell = h('td', { 'data-label': 'Status' }, state);
  const actions = h('td', { 'data-label': 'Actions' });
  if (state === 'active') {
    const button = h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke token ${token.name}` }, 'Revoke');
    button.addEventListener('click', async () => {
      if (await revoke(token)) {
        fill(statusCell, 'revoked');
        button.remove();
      }
    });
    actions.append(button);
  }
  return h('tr', {},
    h('td', { 'data-label': 'Name' }, token.name),
    h('td', { 'data-label': 'Id' }, h('code', {}, token.id)),
    h('td', { 'data-label': 'Scope' }, scopeSummary(token.scope)),
    h('td', { 'data-label': 'Created' }, time(token.createdAt)),
    h('td', { 'data-label': 'Expires' }, token.expiresAt ? time(token.expiresAt) : 'never'),
    statusCell,
    actions);
}

function tokenState(token) {
  if (token.revokedAt) {
    return 'revoked';
  }
  return token.expiresAt && new Date(token.expiresAt) <= new Date() ? 'expired' : 'active';
}

/** "admin", or what the scope limits: accounts; buckets; prefixes; methods; lifetimes and sizes. */
function scopeSummary(scope) {
  if (scope.admin) {
    return 'admin';
  }
  const named = (items, what) => items.length > 0 ? `${what}: ${items.join(', ')}` : null;
  return [
    named(scope.accounts, 'accounts') ?? 'any account',
    named(scope.buckets, 'buckets'),
    named(scope.prefixes, 'prefixes'),
    named(scope.methods, 'methods') ?? 'any method',
    scope['max-expiration'] ? `URLs up to ${scope['max-expiration']} s` : null,
    scope['max-upload-bytes'] ? `uploads up to ${formatBytes(scope['max-upload-bytes'])}` : null,
  ].filter(Boolean).join('; ');
}

/** Asks, then revokes; answers whether it did. The status takes focus, as the button goes away. */
async function revokeToken(token, status, signal) {
  if (!await confirmAction(`Revoke token ${token.name}? Clients using it stop working at once.`, 'Revoke')) {
    return false;
  }
  try {
    await api('DELETE', `/tokens/${seg(token.id)}`, undefined, { signal });
  } catch (error) {
    if (error.name !== 'AbortError') {
      fill(status, message('error', error.message));
    }
    return false;
  }
  const note = message('ok', `Revoked token ${token.name}.`);
  note.tabIndex = -1;
  fill(status, note);
  note.focus();
  return true;
}
