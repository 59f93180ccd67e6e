// Sluice's upload page: a presigned multipart upload from the browser, no libraries.
// The upload itself is the console's engine (/console/multipart.js); this page only reads its
// form, takes the token from the form (or the URL fragment) and shows the outcome.
import { MiB, Cancelled, storageUpload, uploadProblem, uploadMultipart } from '/console/multipart.js';

const $ = id => document.getElementById(id);
let current = null;

function setStatus(state, text) {
  const status = $('status');
  status.dataset.state = state;
  status.textContent = text;
}

function mib(bytes) {
  return (bytes / MiB).toFixed(1) + ' MiB';
}

// #token=…&account=…&bucket=…&key=…: a fragment never reaches a server (nor its logs),
// and it is dropped from the address bar and history at once.
function readFragment() {
  if (location.hash.length < 2) {
    return;
  }
  const params = new URLSearchParams(location.hash.slice(1));
  for (const name of ['token', 'account', 'bucket', 'key']) {
    const value = params.get(name);
    if (value) {
      $(name).value = value;
    }
  }
  history.replaceState(null, '', location.pathname + location.search);
}

// Sluice answers problems (RFC 9457): show the status, title and detail as they are.
async function problemOf(response) {
  let text = `${response.status} ${response.statusText}`.trim();
  try {
    const problem = await response.json();
    if (problem.title) {
      text += `: ${problem.title}`;
    }
    if (problem.detail) {
      text += ` (${problem.detail})`;
    }
  } catch {
    // not JSON: the status says enough
  }
  return new Error(text);
}

function requester(token) {
  return async (method, path, body, signal) => {
    const headers = { Authorization: 'Bearer ' + token };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      signal,
    });
    if (!response.ok) {
      throw await problemOf(response);
    }
    return response.status === 204 ? null : response.json();
  };
}

async function start(event) {
  event.preventDefault();
  if (current) {
    return;
  }
  const file = $('file').files[0];
  const key = $('key').value.trim() || (file ? file.name : '');
  const partBytes = Number($('partMiB').value) * MiB;
  const parallel = Number($('parallel').value);
  const problem = key.split('/').some(s => s === '.' || s === '..')
    // Browsers resolve such segments in every URL, so the request would name another key.
    ? 'A browser cannot address a key with "." or ".." segments; choose another key.'
    : uploadProblem(file, partBytes, parallel);
  if (problem) {
    setStatus('error', problem);
    return;
  }

  current = new AbortController();
  $('result').hidden = true;
  $('progress').value = 0;
  $('upload').disabled = true;
  $('cancel').disabled = false;
  try {
    const completed = await uploadMultipart({
      file,
      partBytes,
      parallel,
      calls: storageUpload(requester($('token').value.trim()), $('account').value.trim(), $('bucket').value.trim(), key, file.type),
      signal: current.signal,
      progress: sent => {
        $('progress').value = file.size === 0 ? 1 : sent / file.size;
        if ($('status').dataset.state === 'running') {
          setStatus('running', `Uploading: ${mib(sent)} of ${mib(file.size)}`);
        }
      },
      status: text => setStatus('running', text),
    });
    $('progress').value = 1;
    $('result-key').textContent = completed.key;
    $('result-etag').textContent = completed.etag;
    $('result-size').textContent = `${completed.size} bytes`;
    $('result').hidden = false;
    setStatus('done', `Uploaded ${completed.key} (${mib(completed.size)}).`);
  } catch (error) {
    const cancelled = error instanceof Cancelled || error.name === 'AbortError';
    setStatus('error', (cancelled ? 'Upload cancelled.' : 'Upload failed: ' + error.message) + (error.discarded ?? ''));
  } finally {
    current = null;
    $('upload').disabled = false;
    $('cancel').disabled = true;
  }
}

readFragment();
$('form').addEventListener('submit', start);
$('cancel').addEventListener('click', () => current?.abort());
