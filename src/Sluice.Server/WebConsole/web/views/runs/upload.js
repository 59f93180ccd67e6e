// Uploading files into a run: presigned multipart, as /upload does. Sluice starts, signs and
// completes each upload; the parts go from this browser straight to the bucket.
import { api } from '../../api.js';
import { h, fill, field, message } from '../../ui.js';
import { MiB, Cancelled, runUpload, uploadMultipart, uploadProblem } from '../../multipart.js';
import { plural } from './shared.js';

const PART_BYTES = 8 * MiB;
const PARALLEL = 4;

const request = (method, path, body, signal) => api(method, path, body, { signal });

/**
 * The form; each file goes to <folder>/<its name>. `signal` is the page's: leaving the page
 * cancels the upload. `onUploaded` reloads what shows the run's files.
 */
export function uploadForm({ store, run, folder, signal, onUploaded }) {
  const files = h('input', { type: 'file', name: 'files', multiple: true, required: true });
  const into = h('input', { type: 'text', name: 'folder', value: folder, autocomplete: 'off', spellcheck: false });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Upload');
  const cancel = h('button', { type: 'button', hidden: true }, 'Cancel');
  const progress = h('progress', { max: 1, value: 0, 'aria-label': 'Upload progress', hidden: true });
  const status = h('p', { role: 'status' });
  const problems = h('div');
  const form = h('form', { class: 'card upload', 'aria-labelledby': 'upload-title' },
    h('h2', { id: 'upload-title' }, 'Upload files'),
    field('Files to upload', files),
    field('Into folder', into, 'A folder of the run; leaving this page cancels an upload under way.'),
    h('div', { class: 'buttons' }, submit, cancel),
    progress, status, problems);

  let running = null;
  const setRunning = controller => {
    running = controller;
    submit.disabled = Boolean(controller);
    cancel.hidden = !controller;
  };
  cancel.addEventListener('click', () => running?.abort());

  form.addEventListener('submit', async event => {
    event.preventDefault();
    if (running) {
      return;
    }
    const chosen = [...files.files];
    const problem = chosen.length === 0 ? 'Choose the files to upload.' : chosen.map(fileProblem).find(Boolean);
    if (problem) {
      fill(problems, message('error', problem));
      return;
    }
    fill(problems);
    const controller = new AbortController();
    setRunning(controller);
    const folderPath = into.value.trim().replace(/^\/+|\/+$/g, '');
    const total = chosen.reduce((sum, file) => sum + file.size, 0);
    progress.hidden = false;
    progress.value = 0;
    let done = 0;
    let sentBefore = 0;
    let current = null;
    try {
      for (const file of chosen) {
        current = file;
        const counter = chosen.length > 1 ? ` (${done + 1} of ${chosen.length})` : '';
        await uploadMultipart({
          file,
          partBytes: PART_BYTES,
          parallel: PARALLEL,
          calls: runUpload(request, store, run, folderPath ? `${folderPath}/${file.name}` : file.name, file.type),
          signal: AbortSignal.any([signal, controller.signal]),
          progress: sent => { progress.value = total === 0 ? 1 : (sentBefore + sent) / total; },
          status: text => { status.textContent = `${file.name}${counter}: ${text}`; },
        });
        done++;
        sentBefore += file.size;
      }
      progress.value = 1;
      files.value = '';
      // Said once the tree shows the files, so what the reader sees next agrees with it.
      await reload(onUploaded, problems);
      status.textContent = `Uploaded ${plural(done, 'file')}.`;
    } catch (error) {
      if (signal.aborted) {
        return; // the page is gone, and the upload with it
      }
      const before = done > 0 ? ` ${plural(done, 'file')} had been uploaded.` : '';
      if (error instanceof Cancelled) {
        status.textContent = `Upload cancelled.${error.discarded}${before}`;
      } else {
        status.textContent = '';
        fill(problems, message('error', `${current.name}: ${error.message}${error.discarded ?? ''}${before}`));
      }
      if (done > 0) {
        await reload(onUploaded, problems);
      }
    } finally {
      setRunning(null);
    }
  });
  return form;
}

function fileProblem(file) {
  const problem = uploadProblem(file, PART_BYTES, PARALLEL);
  return problem && `${file.name}: ${problem}`;
}

async function reload(onUploaded, problems) {
  try {
    await onUploaded();
  } catch (error) {
    if (error.name !== 'AbortError') {
      fill(problems, message('error', `The upload is done, but the run's files could not be read again: ${error.message}`));
    }
  }
}
