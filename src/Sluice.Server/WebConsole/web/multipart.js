// The browser's presigned multipart upload, for the console's run uploads and the /upload page.
// Sluice starts, signs, completes and aborts (same origin, bearer token); the parts go straight
// to the bucket by PUT to the signed URLs (cross origin: the bucket needs CORS exposing ETag).
export const MiB = 1024 * 1024;
export const MIN_PART_BYTES = 5 * MiB;
export const MAX_PARTS = 10000;
const SIGN_BATCH = 16;           // part URLs signed per request, as the workers reach them
const ATTEMPTS = 4;              // per part, for network errors and the bucket's 5xx
const RESIGN_MARGIN_MS = 60000;  // a URL this close to expiring is signed again

export class Cancelled extends Error {}

/**
 * The server calls of an upload on the storage API (/aws/storage/{account}/{bucket}):
 * `request(method, path, body, signal)` sends one with the caller's token and answers its JSON.
 */
export function storageUpload(request, account, bucket, key, contentType) {
  const bucketPath = `/aws/storage/${encodeURIComponent(account)}/${encodeURIComponent(bucket)}`;
  let keyPath = null;
  const encodePath = k => k.split('/').map(encodeURIComponent).join('/');
  return {
    async create(signal) {
      const created = await request('POST', `${bucketPath}?uploads`, { filename: key, contentType: contentType || undefined }, signal);
      keyPath = `${bucketPath}/${encodePath(created.key)}`;
      return created;
    },
    sign: (uploadId, numbers, signal) => request('GET', `${keyPath}?uploadId=${encodeURIComponent(uploadId)}&partNumbers=${numbers}`, undefined, signal),
    complete: (uploadId, parts, signal) => request('POST', `${keyPath}?uploadId=${encodeURIComponent(uploadId)}`, { parts }, signal),
    abort: uploadId => request('DELETE', `${keyPath ?? bucketPath}?uploadId=${encodeURIComponent(uploadId)}`),
  };
}

/** The server calls of an upload into a run: /artifacts/{store}/runs/{run}/files?path=… with S3's query words. */
export function runUpload(request, store, run, path, contentType) {
  const files = `/artifacts/${encodeURIComponent(store)}/runs/${encodeURIComponent(run)}/files?path=${encodeURIComponent(path)}`;
  return {
    create: signal => request('POST', `${files}&uploads`, { contentType: contentType || undefined }, signal),
    sign: (uploadId, numbers, signal) => request('GET', `${files}&uploadId=${encodeURIComponent(uploadId)}&partNumbers=${numbers}`, undefined, signal),
    complete: (uploadId, parts, signal) => request('POST', `${files}&uploadId=${encodeURIComponent(uploadId)}`, { parts }, signal),
    abort: uploadId => request('DELETE', `${files}&uploadId=${encodeURIComponent(uploadId)}`),
  };
}

/** What is wrong with these settings for this file, or null. */
export function uploadProblem(file, partBytes, parallel) {
  if (!file) {
    return 'Choose a file.';
  }
  if (!Number.isInteger(partBytes / MiB) || partBytes < MIN_PART_BYTES) {
    return 'The part size must be a whole number of MiB, at least 5.';
  }
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 8) {
    return 'Parts at once must be 1 to 8.';
  }
  const parts = Math.ceil(file.size / partBytes);
  if (parts > MAX_PARTS) {
    return `This file needs ${parts} parts of ${partBytes / MiB} MiB; S3 takes at most ${MAX_PARTS}: raise the part size to ${Math.ceil(file.size / MAX_PARTS / MiB)} MiB or more.`;
  }
  return null;
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

/**
 * Uploads `file` in parts of `partBytes`, `parallel` at once, through `calls` (storageUpload or
 * runUpload). Reports progress(sentBytes) and status(text); answers the server's completion.
 * On failure or `signal` aborting, it aborts the upload and throws with `discarded` saying so.
 */
export async function uploadMultipart({ file, partBytes, parallel, calls, signal, progress = () => {}, status = () => {} }) {
  const upload = {
    count: Math.max(1, Math.ceil(file.size / partBytes)),
    requests: new Set(),
    urls: new Map(),
    signing: new Map(),
    loaded: new Map(),
    uploadId: null,
  };
  const stopped = () => {
    for (const xhr of upload.requests) {
      xhr.abort();
    }
  };
  signal?.addEventListener('abort', stopped);
  const report = (part, bytes) => {
    upload.loaded.set(part, bytes);
    let sent = 0;
    for (const b of upload.loaded.values()) {
      sent += b;
    }
    progress(sent);
  };

  // Signs the batch a part falls in, once, however many workers ask for it.
  async function partUrl(part, fresh) {
    const cached = upload.urls.get(part);
    if (!fresh && cached && cached.expires - Date.now() > RESIGN_MARGIN_MS) {
      return cached.url;
    }
    const batch = fresh ? `fresh-${part}` : Math.floor((part - 1) / SIGN_BATCH);
    if (!upload.signing.has(batch)) {
      const first = fresh ? part : batch * SIGN_BATCH + 1;
      const last = fresh ? part : Math.min(first + SIGN_BATCH - 1, upload.count);
      const signing = calls.sign(upload.uploadId, first === last ? `${first}` : `${first}-${last}`, signal)
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
  function put(url, blob, onProgress) {
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

  async function uploadPart(part) {
    const start = (part - 1) * partBytes;
    const blob = file.slice(start, Math.min(start + partBytes, file.size));
    let fresh = false;
    for (let attempt = 1; ; attempt++) {
      const url = await partUrl(part, fresh);
      const xhr = await put(url, blob, loaded => report(part, loaded));
      if (xhr.status === 200) {
        const etag = xhr.getResponseHeader('ETag');
        if (!etag) {
          throw new Error(`Part ${part} was stored, but the bucket hides its ETag from the browser: its CORS rule must expose the ETag header.`);
        }
        report(part, blob.size);
        return { partNumber: part, etag };
      }
      report(part, 0);
      // A 403 may be a URL that expired while it waited: sign it once more.
      const retry = xhr.status === 0 || xhr.status >= 500 || (xhr.status === 403 && !fresh);
      if (!retry || attempt >= ATTEMPTS) {
        throw bucketError(xhr, part, url);
      }
      fresh = xhr.status === 403;
      await new Promise(r => setTimeout(r, 500 * attempt));
      if (signal?.aborted) {
        throw new Cancelled('Cancelled.');
      }
    }
  }

  try {
    status('Starting the upload…');
    const created = await calls.create(signal);
    upload.uploadId = created.uploadId;
    const etags = [];
    let next = 1;
    const worker = async () => {
      while (next <= upload.count) {
        const part = next++;
        etags.push(await uploadPart(part));
      }
    };
    status(`Uploading ${upload.count} part${upload.count === 1 ? '' : 's'}…`);
    await Promise.all(Array.from({ length: Math.min(parallel, upload.count) }, worker));

    status('Completing the upload…');
    etags.sort((a, b) => a.partNumber - b.partNumber);
    const completed = await calls.complete(upload.uploadId, etags, signal);
    upload.uploadId = null;
    return completed;
  } catch (error) {
    stopped();
    if (error.name === 'AbortError') {
      error = new Cancelled('Cancelled.');
    }
    // Frees the parts stored so far; the upload has failed already, so a failure here is only reported.
    if (upload.uploadId) {
      try {
        await calls.abort(upload.uploadId);
        error.discarded = ' The parts sent were discarded.';
      } catch {
        error.discarded = ' The parts sent could not be discarded: the bucket\'s lifecycle rules must clear them.';
      }
    }
    error.discarded ??= '';
    throw error;
  } finally {
    signal?.removeEventListener('abort', stopped);
  }
}
