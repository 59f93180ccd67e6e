'use strict';
// Sluice's upload page: a presigned multipart upload from the browser, no libraries.
// Sluice starts, signs, completes and aborts (same origin, bearer token); the parts go
// straight to the bucket by PUT to the signed URLs (cross origin: the bucket needs CORS).
(() => {
  const MiB = 1024 * 1024;
  const MIN_PART_BYTES = 5 * MiB;
  const MAX_PARTS = 10000;
  const SIGN_BATCH = 16;           // part URLs signed per request, as the workers reach them
  const ATTEMPTS = 4;              // per part, for network errors and the bucket's 5xx
  const RESIGN_MARGIN_MS = 60000;  // a URL this close to expiring is signed again

  const $ = id => document.getElementById(id);
  let current = null;

  class Cancelled extends Error {}

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

  function encodePath(key) {
    return key.split('/').map(encodeURIComponent).join('/');
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

  async function api(upload, method, path, body) {
    const headers = { Authorization: 'Bearer ' + upload.token };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      signal: upload.controller.signal,
    });
    if (!response.ok) {
      throw await problemOf(response);
    }
    return response.status === 204 ? null : response.json();
  }

  // S3 errors are XML: <Error><Code>…</Code><Message>…</Message></Error>.
  function bucketError(xhr, part, url) {
    if (xhr.status === 0) {
      return new Error(`Part ${part}: the browser could not PUT to the bucket at ${new URL(url).origin}. `
        + `Is it reachable, and does its CORS rule allow PUT from ${location.origin} and expose ETag?`);
    }
    let code = '';
    try {
      const xml = new DOMParser().parseFromString(xhr.responseText, 'application/xml');
      code = [xml.querySelector('Code')?.textContent, xml.querySelector('Message')?.textContent].filter(Boolean).join(': ');
    } catch {
      // no XML body
    }
    return new Error(`Part ${part}: the bucket answered ${xhr.status} ${xhr.statusText}${code ? ` (${code})` : ''}`);
  }

  // Signs the batch a part falls in, once, however many workers ask for it.
  async function partUrl(upload, part, fresh) {
    const cached = upload.urls.get(part);
    if (!fresh && cached && cached.expires - Date.now() > RESIGN_MARGIN_MS) {
      return cached.url;
    }
    const batch = fresh ? `fresh-${part}` : Math.floor((part - 1) / SIGN_BATCH);
    if (!upload.signing.has(batch)) {
      const first = fresh ? part : batch * SIGN_BATCH + 1;
      const last = fresh ? part : Math.min(first + SIGN_BATCH - 1, upload.count);
      const numbers = first === last ? `${first}` : `${first}-${last}`;
      const signing = api(upload, 'GET', `${upload.keyPath}?uploadId=${encodeURIComponent(upload.uploadId)}&partNumbers=${numbers}`)
        .then(signed => {
          const expires = Date.parse(signed.expiresAt);
          for (const p of signed.parts) {
            upload.urls.set(p.partNumber, { url: p.url, expires });
          }
        })
        .finally(() => upload.signing.delete(batch));
      upload.signing.set(batch, signing);
    }
    await upload.signing.get(batch);
    return upload.urls.get(part).url;
  }

  // XMLHttpRequest rather than fetch: it reports upload progress.
  function put(upload, url, blob, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      upload.requests.add(xhr);
      const done = () => upload.requests.delete(xhr);
      xhr.open('PUT', url);
      xhr.upload.onprogress = e => onProgress(e.loaded);
      xhr.onload = () => { done(); resolve(xhr); };
      xhr.onerror = () => { done(); resolve(xhr); };
      xhr.onabort = () => { done(); reject(new Cancelled('Cancelled.')); };
      xhr.send(blob);
    });
  }

  async function uploadPart(upload, part) {
    const start = (part - 1) * upload.partBytes;
    const blob = upload.file.slice(start, Math.min(start + upload.partBytes, upload.file.size));
    let fresh = false;
    for (let attempt = 1; ; attempt++) {
      const url = await partUrl(upload, part, fresh);
      const xhr = await put(upload, url, blob, loaded => upload.progress(part, loaded));
      if (xhr.status === 200) {
        const etag = xhr.getResponseHeader('ETag');
        if (!etag) {
          throw new Error(`Part ${part} was stored, but the bucket hides its ETag from the browser: its CORS rule must expose the ETag header.`);
        }
        upload.progress(part, blob.size);
        return { partNumber: part, etag };
      }
      upload.progress(part, 0);
      // A 403 may be a URL that expired while it waited: sign it once more.
      const retry = xhr.status === 0 || xhr.status >= 500 || (xhr.status === 403 && !fresh);
      if (!retry || attempt >= ATTEMPTS) {
        throw bucketError(xhr, part, url);
      }
      fresh = xhr.status === 403;
      await new Promise(r => setTimeout(r, 500 * attempt));
      if (upload.controller.signal.aborted) {
        throw new Cancelled('Cancelled.');
      }
    }
  }

  async function run(upload) {
    setStatus('running', 'Starting the upload…');
    const created = await api(upload, 'POST', `${upload.bucketPath}?uploads`,
      { filename: upload.key, contentType: upload.file.type || undefined });
    upload.uploadId = created.uploadId;
    upload.keyPath = `${upload.bucketPath}/${encodePath(created.key)}`;

    const etags = [];
    let next = 1;
    const worker = async () => {
      while (next <= upload.count) {
        const part = next++;
        etags.push(await uploadPart(upload, part));
      }
    };
    setStatus('running', `Uploading ${upload.count} part${upload.count === 1 ? '' : 's'}…`);
    await Promise.all(Array.from({ length: Math.min(upload.parallel, upload.count) }, worker));

    setStatus('running', 'Completing the upload…');
    etags.sort((a, b) => a.partNumber - b.partNumber);
    const completed = await api(upload, 'POST', `${upload.keyPath}?uploadId=${encodeURIComponent(upload.uploadId)}`, { parts: etags });
    upload.uploadId = null;
    return completed;
  }

  // Frees the parts stored so far; the upload has failed already, so a failure here is only reported.
  async function abort(upload) {
    if (!upload.uploadId) {
      return '';
    }
    try {
      await fetch(`${upload.keyPath ?? upload.bucketPath}?uploadId=${encodeURIComponent(upload.uploadId)}`, {
        method: 'DELETE',
        headers: { Authorization: 'Bearer ' + upload.token },
        cache: 'no-store',
        credentials: 'omit',
      });
      return ' The parts sent were discarded.';
    } catch {
      return ' The parts sent could not be discarded: the bucket\'s lifecycle rules must clear them.';
    }
  }

  function formProblem(file, key, partBytes, parallel) {
    if (!file) {
      return 'Choose a file.';
    }
    if (!Number.isInteger(partBytes / MiB) || partBytes < MIN_PART_BYTES) {
      return 'The part size must be a whole number of MiB, at least 5.';
    }
    if (!Number.isInteger(parallel) || parallel < 1 || parallel > 8) {
      return 'Parts at once must be 1 to 8.';
    }
    if (key.split('/').some(s => s === '.' || s === '..')) {
      // Browsers resolve such segments in every URL, so the request would name another key.
      return 'A browser cannot address a key with "." or ".." segments; choose another key.';
    }
    const parts = Math.ceil(file.size / partBytes);
    if (parts > MAX_PARTS) {
      return `This file needs ${parts} parts of ${partBytes / MiB} MiB; S3 takes at most ${MAX_PARTS}: raise the part size to ${Math.ceil(file.size / MAX_PARTS / MiB)} MiB or more.`;
    }
    return null;
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
    const problem = formProblem(file, key, partBytes, parallel);
    if (problem) {
      setStatus('error', problem);
      return;
    }

    const loaded = new Map();
    const upload = current = {
      token: $('token').value.trim(),
      bucketPath: `/aws/storage/${encodeURIComponent($('account').value.trim())}/${encodeURIComponent($('bucket').value.trim())}`,
      key,
      file,
      partBytes,
      parallel,
      count: Math.max(1, Math.ceil(file.size / partBytes)),
      controller: new AbortController(),
      requests: new Set(),
      urls: new Map(),
      signing: new Map(),
      uploadId: null,
      keyPath: null,
      progress(part, bytes) {
        loaded.set(part, bytes);
        let sent = 0;
        for (const b of loaded.values()) {
          sent += b;
        }
        $('progress').value = file.size === 0 ? 1 : sent / file.size;
        if ($('status').dataset.state === 'running') {
          setStatus('running', `Uploading: ${mib(sent)} of ${mib(file.size)}`);
        }
      },
    };

    $('result').hidden = true;
    $('progress').value = 0;
    $('upload').disabled = true;
    $('cancel').disabled = false;
    try {
      const completed = await run(upload);
      $('progress').value = 1;
      $('result-key').textContent = completed.key;
      $('result-etag').textContent = completed.etag;
      $('result-size').textContent = `${completed.size} bytes`;
      $('result').hidden = false;
      setStatus('done', `Uploaded ${completed.key} (${mib(completed.size)}).`);
    } catch (error) {
      upload.controller.abort();
      for (const xhr of upload.requests) {
        xhr.abort();
      }
      const cancelled = error instanceof Cancelled || error.name === 'AbortError';
      setStatus('error', (cancelled ? 'Upload cancelled.' : 'Upload failed: ' + error.message) + await abort(upload));
    } finally {
      current = null;
      $('upload').disabled = false;
      $('cancel').disabled = true;
    }
  }

  function cancel() {
    if (!current) {
      return;
    }
    current.controller.abort();
    for (const xhr of current.requests) {
      xhr.abort();
    }
  }

  readFragment();
  $('form').addEventListener('submit', start);
  $('cancel').addEventListener('click', cancel);
})();
