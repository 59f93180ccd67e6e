// The presign playground (#/presign, any token): sign one S3 URL with the token's rights and get
// it back with its expiry and a ready curl line. Only what the token may use is offered; the
// server still judges every request, and its refusals are shown as it words them.
import { api, seg, query } from '../api.js';
import { h, fill, field, time, message, announce, copyButton, showProblem } from '../ui.js';
import { awsAccountIds } from './scope-choices.js';

const METHODS = ['GET', 'PUT', 'DELETE'];
// PresignRequest.MaxExpiresInSeconds: no URL lives longer.
const MAX_URL_SECONDS = 604800;
const DEFAULT_SECONDS = 3600;

export async function render(view, { me, signal }) {
  document.title = 'Presign a URL · Sluice';
  view.append(
    h('h1', {}, 'Presign a URL'),
    h('p', {}, 'Sign a URL for one S3 object with this token\'s rights. Whoever holds the URL can use it until it expires, and the bytes go straight between them and the bucket. This page signs S3 (AwsAccount) URLs only; Azure containers are signed through the API (/azure/storage/…).'));

  const form = presignForm(me, await accountControl(me, signal));
  const status = h('div');
  const result = h('div');
  form.append(status);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    await sign(form, status, result, signal);
  });
  view.append(form, result);
}

/**
 * A select of the accounts the token may use, or a text field when any name may do: a scoped
 * token with no accounts listed may use every account, and only an admin may list them.
 */
async function accountControl(me, signal) {
  const ids = me.scope.admin ? await awsAccountIds(signal) : me.scope.accounts;
  if (ids.length === 0) {
    const hint = me.scope.admin ? 'No AwsAccount yet: create one under Accounts.' : 'The AwsAccount id, such as prod.';
    return { control: h('input', { type: 'text', name: 'account', required: true, autocomplete: 'off', spellcheck: 'false' }), hint };
  }
  return { control: h('select', { name: 'account' }, ids.map(id => h('option', { value: id }, id))), hint: null };
}

function presignForm(me, account) {
  const { scope } = me;
  const maxSeconds = Math.min(scope['max-expiration'] ?? MAX_URL_SECONDS, MAX_URL_SECONDS);
  const methods = scope.admin || scope.methods.length === 0 ? METHODS : METHODS.filter(method => scope.methods.includes(method));

  const bucket = h('input', { type: 'text', name: 'bucket', required: true, autocomplete: 'off', spellcheck: 'false' });
  let bucketChoices = null;
  if (scope.buckets.length > 0) {
    bucketChoices = h('datalist', { id: 'presign-buckets' }, scope.buckets.map(name => h('option', { value: name })));
    bucket.setAttribute('list', bucketChoices.id);
  }
  const key = h('input', { type: 'text', name: 'path', autocomplete: 'off', spellcheck: 'false' });
  const method = h('select', { name: 'method' }, methods.map(name => h('option', { value: name }, name)));
  const uploadOnly = h('div', {},
    field('Content type (PUT only, optional)', h('input', { type: 'text', name: 'contentType', autocomplete: 'off', spellcheck: 'false' }),
      'Signed: the upload must then send exactly this Content-Type.'),
    field('Size in bytes (PUT only)', h('input', { type: 'number', name: 'contentLength', min: 0, step: 1 }), scope['max-upload-bytes']
      ? `Required: this token limits uploads to ${scope['max-upload-bytes']} bytes. Signed: the upload must be exactly this size.`
      : 'Optional. Signed: the upload must then be exactly this size.'));
  // The key travels in the URL for GET and DELETE, in the body for PUT: the API names the field
  // "path" or "filename" accordingly, and the control follows so its messages land beside it.
  const methodChanged = () => {
    const put = method.value === 'PUT';
    uploadOnly.hidden = !put;
    key.name = put ? 'filename' : 'path';
  };
  method.addEventListener('change', methodChanged);
  methodChanged();

  return h('form', { class: 'card', autocomplete: 'off' },
    field('Account', account.control, account.hint),
    field('Bucket', bucket, scope.buckets.length > 0 ? `This token may use: ${scope.buckets.join(', ')}.` : null),
    bucketChoices,
    // A key Sluice picks has no prefix, so a token limited to prefixes could not use one.
    field('Key', key, scope.prefixes.length > 0
      ? `The object key, starting with ${scope.prefixes.join(' or ')}.`
      : 'The object key, such as runs/42/model.bin. For PUT, leave it blank and Sluice picks a key.'),
    field('Method', method),
    uploadOnly,
    field('Expires in (seconds)', h('input', { type: 'number', name: 'expiration', min: 1, max: maxSeconds, step: 1, value: Math.min(DEFAULT_SECONDS, maxSeconds), required: true }),
      `At most ${maxSeconds}. A URL may end sooner when the account's credentials do.`),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Sign')));
}

async function sign(form, status, result, signal) {
  const value = name => form.elements.namedItem(name).value;
  const method = value('method');
  const key = value(method === 'PUT' ? 'filename' : 'path');
  const request = presignRequest(method, value('account'), value('bucket'), key, value('expiration'), {
    contentType: value('contentType'),
    contentLength: value('contentLength'),
  });
  if (request.problem) {
    showProblem(form, request.problem, status);
    return;
  }
  const submit = form.querySelector('button[type="submit"]');
  submit.disabled = true;
  try {
    const answer = await api(request.method, request.path, request.body, { signal });
    clearProblem(form, status);
    fill(result, resultCard(answer, fileName(answer.key ?? key)));
    announce(`Signed a ${answer.method} URL.`);
  } catch (error) {
    if (error.name !== 'AbortError') {
      fill(result);
      showProblem(form, error, status);
    }
  } finally {
    submit.disabled = false;
  }
}

/**
 * The API call that signs: GET or DELETE on the key's path, or POST of the key (filename) for an
 * upload. Or a problem, shaped as the API's, for what a browser cannot send.
 */
function presignRequest(method, account, bucket, key, expiration, { contentType, contentLength }) {
  const base = `/aws/storage/${seg(account)}/${seg(bucket)}`;
  const search = query({ expiration });
  if (method === 'PUT') {
    const body = {};
    // Without filename the server generates a key; with an empty one it refuses.
    for (const [name, text] of Object.entries({ filename: key, contentType, contentLength })) {
      if (text !== '') {
        body[name] = text;
      }
    }
    return { method: 'POST', path: base + search, body };
  }
  const segments = key.split('/');
  if (key === '') {
    return invalid('path', 'must not be empty: give the object key to sign for');
  }
  // A browser resolves "." and ".." in a URL's path before sending it, so such a key cannot be addressed from here.
  if (segments.some(part => part === '.' || part === '..')) {
    return invalid('path', 'has a "." or ".." segment, which the browser would resolve away: sign it with curl --path-as-is or the sluice CLI (a PUT here works, as its key travels in the body)');
  }
  return { method, path: `${base}/${segments.map(encodeURIComponent).join('/')}${search}` };
}

const invalid = (name, problem) => ({ problem: { message: `The request is invalid: ${name} ${problem}`, errors: { [name]: [problem] } } });

/** Takes back what showProblem marked, once a request succeeds. */
function clearProblem(form, status) {
  form.querySelectorAll('.field-error').forEach(note => note.remove());
  form.querySelectorAll('[aria-invalid]').forEach(control => {
    control.removeAttribute('aria-invalid');
    control.removeAttribute('aria-errormessage');
  });
  fill(status);
}

/** The file name curl reads or writes: the key's last segment. */
function fileName(key) {
  return key.split('/').pop() || 'file';
}

/** A word for a POSIX shell: single-quoted, with ' written as '\'' (close, escaped quote, reopen). */
const shellQuote = text => `'${String(text).replaceAll("'", "'\\''")}'`;

function curlLine(answer, file) {
  const url = shellQuote(answer.url);
  switch (answer.method) {
    case 'PUT': {
      const headers = Object.entries(answer.headers ?? {}).map(([name, value]) => `-H ${shellQuote(`${name}: ${value}`)} `).join('');
      return `curl -fT ${shellQuote(file)} ${headers}${url}`;
    }
    case 'DELETE':
      return `curl -fX DELETE ${url}`;
    default:
      return `curl -fo ${shellQuote(file)} ${url}`;
  }
}

function resultCard(answer, file) {
  const curl = curlLine(answer, file);
  const headers = Object.entries(answer.headers ?? {});
  const facts = [
    ['Method', answer.method],
    ['Expires', time(answer.expiresAt)],
    answer.key ? ['Key', h('code', {}, answer.key)] : null,
    answer.note ? ['Note', answer.note] : null,
    headers.length > 0 ? ['Required headers', headers.map(([name, value]) => h('div', {}, h('code', {}, `${name}: ${value}`)))] : null,
  ].filter(Boolean);
  return h('section', { class: 'card', 'aria-labelledby': 'presigned-heading' },
    h('h2', { id: 'presigned-heading' }, `Signed ${answer.method} URL`),
    h('div', { class: 'secret' }, h('code', { id: 'presigned-url' }, answer.url), copyButton(answer.url, 'Copy URL')),
    h('dl', { class: 'facts' }, facts.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
    h('h3', {}, 'With curl'),
    h('pre', { id: 'presigned-curl' }, curl),
    h('div', { class: 'buttons' }, copyButton(curl, 'Copy curl')));
}
