// S3 accounts (admin): the list with a credentials check per account (#/accounts), and the
// create (#/accounts/new) and edit (#/accounts/{id}) form. A PUT replaces the whole account,
// and the API never sends secrets back, so an edit asks for them again.
import { api, seg, query } from '../api.js';
import { h, fill, field, time, message, announce, confirmAction, showProblem } from '../ui.js';

// The outcome of a save, shown once by the list the form returns to.
let savedNotice = null;

export async function render(view, context) {
  const [id] = context.route.parts;
  if (id === undefined) {
    return renderList(view, context);
  }
  // An account really named "new" is edited by saving it again from the "New account" form.
  return renderForm(view, context, id === 'new' ? null : id);
}

async function renderList(view, { routeTo, signal }) {
  document.title = 'Accounts · Sluice';
  const status = h('div', {}, savedNotice ? message('ok', savedNotice) : null);
  savedNotice = null;
  view.append(
    h('h1', {}, 'Accounts'),
    h('p', {}, 'The S3 accounts (AwsAccount) Sluice signs URLs with. Azure accounts and containers are managed through the API (/AzureAccount, /AzureContainer).'),
    status,
    h('div', { class: 'buttons' }, h('a', { href: routeTo('accounts', 'new'), class: 'button primary' }, 'New account')));

  const { items } = await api('GET', '/AwsAccount/', undefined, { signal });
  if (items.length === 0) {
    view.append(message('info', 'No account yet: create one with "New account".'));
    return;
  }

  // "Check" reads the bucket to try from here; the API's complaints about it appear beside it.
  const bucket = h('input', { type: 'text', name: 'bucket', autocomplete: 'off', spellcheck: 'false' });
  const checkOptions = h('div', { class: 'card narrow' },
    field('Bucket to try when checking (optional)', bucket,
      'Check resolves an account\'s credentials and says where they came from; given a bucket, it also lists one key of it with them.'));
  const checkArea = h('div');
  const tbody = h('tbody');
  const table = h('table', { class: 'stack readable' },
    h('thead', {}, h('tr', {},
      ['Id', 'Region', 'Host', 'Credentials', 'Actions'].map(name => h('th', { scope: 'col' }, name)))),
    tbody);

  const actions = {
    check: async (account, button) => {
      button.disabled = true;
      fill(checkArea, message('info', `Checking account ${account.id}…`));
      try {
        const path = `/AwsAccount/${seg(account.id)}/$check${query({ bucket: bucket.value })}`;
        const result = await api('POST', path, undefined, { signal });
        clearFieldErrors(checkOptions);
        fill(checkArea, checkReport(result));
        announce(result.ok ? `Check of ${account.id} passed.` : `Check of ${account.id} failed.`);
      } catch (error) {
        if (error.name !== 'AbortError') {
          showProblem(checkOptions, error, checkArea);
        }
      } finally {
        button.disabled = false;
      }
    },
    delete: async (account, row) => {
      if (!await confirmAction(`Delete account ${account.id}? URLs can no longer be signed with it, and it cannot be undone.`)) {
        return;
      }
      try {
        await api('DELETE', `/AwsAccount/${seg(account.id)}`, undefined, { signal });
        row.remove();
        fill(checkArea);
        say(status, `Deleted account ${account.id}.`);
        if (!tbody.hasChildNodes()) {
          table.replaceWith(message('info', 'No account left: create one with "New account".'));
        }
      } catch (error) {
        if (error.name !== 'AbortError') {
          fill(status, message('error', error.message));
        }
      }
    },
  };
  tbody.append(...items.map(account => accountRow(account, routeTo, actions)));
  view.append(checkOptions, h('div', { class: 'table-scroll' }, table), checkArea);
}

function accountRow(account, routeTo, actions) {
  const check = h('button', { type: 'button', 'aria-label': `Check account ${account.id}` }, 'Check');
  const remove = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete account ${account.id}` }, 'Delete');
  const row = h('tr', {},
    h('td', { 'data-label': 'Id' }, h('code', {}, account.id)),
    h('td', { 'data-label': 'Region' }, account.region),
    h('td', { 'data-label': 'Host' }, endpoint(account)),
    h('td', { 'data-label': 'Credentials' }, credentialsSummary(account)),
    h('td', { 'data-label': 'Actions' }, h('div', { class: 'buttons' },
      h('a', { href: routeTo('accounts', account.id), class: 'button', 'aria-label': `Edit account ${account.id}` }, 'Edit'),
      check, remove)));
  check.addEventListener('click', () => actions.check(account, check));
  remove.addEventListener('click', () => actions.delete(account, row));
  return row;
}

function endpoint(account) {
  const how = `${account['use-ssl'] ? 'HTTPS' : 'HTTP'}, ${account['path-style'] ? 'path-style' : 'virtual-hosted'}`;
  // One element per cell: a folded table (table.stack) lays each child of a cell out as a grid item.
  return h('span', {}, account.host ? h('code', {}, account.host) : 'AWS', h('br'), h('small', { class: 'hint' }, how));
}

function credentialsSummary(account) {
  if (account.credentials !== 'access-keys') {
    return 'default chain';
  }
  return h('span', {}, 'access key ', h('code', {}, account['access-key-id']), account['has-session-token'] ? ' with a session token' : null);
}

/** A status that stays in the page and takes focus, since the button that caused it is gone. */
function say(place, text) {
  const note = message('ok', text);
  note.tabIndex = -1;
  fill(place, note);
  note.focus();
}

/** Takes back what showProblem marked beside fields, once the request they were about succeeded. */
function clearFieldErrors(container) {
  container.querySelectorAll('.field-error').forEach(note => note.remove());
  container.querySelectorAll('[aria-invalid]').forEach(control => {
    control.removeAttribute('aria-invalid');
    control.removeAttribute('aria-errormessage');
  });
}

/** What $check found, as facts: where the credentials came from, and whether the bucket answered. */
function checkReport(result) {
  const { credentials, bucket } = result;
  const facts = [
    ['Credential source', credentials.source ?? 'none found'],
    credentials['access-key-id'] ? ['Access key id', h('code', {}, credentials['access-key-id'])] : null,
    ['Temporary', credentials.temporary ? 'yes' : 'no'],
    credentials.expiresAt ? ['Expires', time(credentials.expiresAt)] : null,
    credentials.error ? ['Credentials error', credentials.error] : null,
    bucket ? ['Bucket', h('code', {}, bucket.name)] : null,
    bucket ? ['Reachable', reachability(bucket)] : null,
  ].filter(Boolean);
  const verdict = result.ok
    ? message('ok', bucket ? `Check passed: the credentials resolved and bucket ${bucket.name} answered.` : 'Check passed: the credentials resolved.')
    : message('error', credentials.ok ? `Check failed: bucket ${bucket.name} did not answer.` : 'Check failed: no credentials could be resolved.');
  return h('section', { class: 'card', 'aria-label': `Check of ${result.id}` },
    h('h2', {}, `Check of ${result.id}`),
    verdict,
    h('dl', { class: 'facts' }, facts.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])));
}

function reachability(bucket) {
  const status = bucket.status ? ` (HTTP ${bucket.status})` : '';
  return `${bucket.ok ? 'yes' : 'no'}${status}${bucket.error ? `: ${bucket.error}` : ''}`;
}

async function renderForm(view, { routeTo, navigate, signal }, id) {
  const title = id === null ? 'New account' : `Edit account ${id}`;
  document.title = `${title} · Sluice`;
  view.append(h('h1', {}, title));
  const account = id === null ? null : await api('GET', `/AwsAccount/${seg(id)}`, undefined, { signal });

  const form = accountForm(account, routeTo);
  const status = h('div');
  form.append(status);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const accountId = form.elements.namedItem('id').value;
    // The browser would resolve these in the URL and PUT somewhere else: the API's own words, said here.
    if (accountId === '.' || accountId === '..') {
      const problem = "must not be '.' or '..'";
      showProblem(form, { message: `The request is invalid: id ${problem}`, errors: { id: [problem] } }, status);
      return;
    }
    const save = form.querySelector('button[type="submit"]');
    save.disabled = true;
    try {
      await api('PUT', `/AwsAccount/${seg(accountId)}`, accountBody(form), { signal });
      savedNotice = `Saved account ${accountId}.`;
      navigate(routeTo('accounts'));
    } catch (error) {
      if (error.name !== 'AbortError') {
        showProblem(form, error, status);
      }
    } finally {
      save.disabled = false;
    }
  });
  view.append(form);
  form.elements.namedItem(id === null ? 'id' : 'region').focus();
}

/** The form, its controls named as the API's fields so its validation messages land beside them. */
function accountForm(account, routeTo) {
  const text = (name, value, extra = {}) =>
    h('input', { type: 'text', name, value: value ?? '', autocomplete: 'off', spellcheck: 'false', ...extra });
  const secret = name => h('input', { type: 'password', name, autocomplete: 'off', spellcheck: 'false' });
  const editing = account !== null;

  return h('form', { class: 'card', autocomplete: 'off' },
    field('Id', text('id', account?.id, { required: true, readOnly: editing }), editing
      ? 'An account keeps its id: to rename it, create a new one and delete this one.'
      : 'Letters, digits, \'.\', \'_\' and \'-\', at most 64: tokens and URLs name the account by it.'),
    field('Region', text('region', account?.region, { required: true }),
      'For example us-east-1; an S3-compatible store takes the region it was set up with.'),
    field('Host', text('host', account?.host),
      'host[:port] of an S3-compatible store, such as minio.internal:9000, without http://. Blank for AWS.'),
    checkbox('Use HTTPS', 'use-ssl', account?.['use-ssl'] ?? true, 'Clear it for a store that speaks plain HTTP.'),
    checkbox('Path-style URLs', 'path-style', account?.['path-style'] ?? false,
      'The bucket in the path (host/bucket/key) rather than the host name, as most S3-compatible stores want.'),
    h('fieldset', {},
      h('legend', {}, 'Credentials'),
      h('p', { class: 'hint' }, 'Leave all three blank to sign with the server\'s default AWS credential chain (environment, profile, instance or pod role).'),
      account?.credentials === 'access-keys' ? message('info', secretsNotice(account)) : null,
      field('Access key id', text('access-key-id', account?.['access-key-id'])),
      field('Secret access key', secret('secret-access-key'), 'Required with an access key id.'),
      field('Session token', secret('session-token'), 'Only for temporary keys.')),
    h('div', { class: 'buttons' },
      h('button', { type: 'submit', class: 'primary' }, 'Save'),
      h('a', { href: routeTo('accounts'), class: 'button' }, 'Cancel')));
}

function secretsNotice(account) {
  const token = account['has-session-token'] ? ', and its session token,' : '';
  return `The API never sends secrets back, and saving replaces the whole account: type the secret access key${token} again (the API requires the secret with an access key id).`;
}

/** A checkbox inside its label, with a hint, in a .field so showProblem can put a message beside it. */
function checkbox(label, name, checked, hint) {
  const input = h('input', { type: 'checkbox', name, checked, id: `account-${name}`, 'aria-describedby': `account-${name}-hint` });
  return h('div', { class: 'field' },
    h('label', { class: 'check' }, input, ' ', label),
    h('small', { id: `account-${name}-hint`, class: 'hint' }, hint));
}

/** The fields as the API reads them: text only when filled in (an empty one means "not given"), booleans always. */
function accountBody(form) {
  const body = {};
  for (const name of ['region', 'host', 'access-key-id', 'secret-access-key', 'session-token']) {
    const value = form.elements.namedItem(name).value;
    if (value !== '') {
      body[name] = value;
    }
  }
  body['use-ssl'] = form.elements.namedItem('use-ssl').checked;
  body['path-style'] = form.elements.namedItem('path-style').checked;
  return body;
}
