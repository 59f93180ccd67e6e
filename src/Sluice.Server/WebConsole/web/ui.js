// The few DOM helpers every view uses. Text always goes in as text nodes, never as markup,
// so nothing a bucket or a server answer holds can run as script.

/**
 * h('button', { type: 'button', onclick: f }, 'Save'): an element with attributes, event
 * handlers (on…), and children (strings become text; null and false are skipped).
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (name in element && typeof value !== 'string') {
      element[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let fieldIds = 0;

/** A labelled control: <label for> and the input, in a .field wrapper. */
export function field(label, control, hint) {
  control.id ||= `field-${++fieldIds}`;
  const hintElement = hint ? h('small', { id: `${control.id}-hint`, class: 'hint' }, hint) : null;
  if (hintElement) {
    control.setAttribute('aria-describedby', hintElement.id);
  }
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintElement);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined) {
    return '';
  }
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/** A time as the reader's locale shows it, with the ISO form in the title. */
export function time(iso) {
  if (!iso) {
    return h('span', {}, '');
  }
  const date = new Date(iso);
  return h('time', { datetime: date.toISOString(), title: date.toISOString() }, date.toLocaleString());
}

/** A status line for errors and outcomes; role=alert for errors so screen readers hear them. */
export function message(kind, text) {
  return h('p', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** Says something to screen readers without moving focus. */
export function announce(text) {
  const region = document.getElementById('announce');
  region.textContent = '';
  setTimeout(() => { region.textContent = text; }, 50);
}

/**
 * Asks before doing something that cannot be undone, in a modal <dialog>.
 * Answers true when the person confirmed.
 */
export function confirmAction(question, confirmLabel = 'Delete') {
  return new Promise(resolve => {
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-question' },
      h('p', { id: 'confirm-question' }, question),
      h('form', { method: 'dialog', class: 'buttons' },
        h('button', { value: 'cancel', autofocus: true }, 'Cancel'),
        h('button', { value: 'confirm', class: 'danger' }, confirmLabel)));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'confirm');
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** A button that copies text to the clipboard and says so. */
export function copyButton(text, label = 'Copy') {
  const button = h('button', { type: 'button', class: 'copy' }, label);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(typeof text === 'function' ? text() : text);
      button.textContent = 'Copied';
      announce('Copied to the clipboard.');
    } catch {
      button.textContent = 'Select and copy by hand';
    }
    setTimeout(() => { button.textContent = label; }, 2000);
  });
  return button;
}

function describedBy(control, change) {
  const ids = change((control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
  if (ids.length > 0) {
    control.setAttribute('aria-describedby', ids.join(' '));
  } else {
    control.removeAttribute('aria-describedby');
  }
}

/** Shows an API error under a form: the problem's detail, and each field's messages beside the field. */
export function showProblem(form, error, place) {
  for (const old of form.querySelectorAll('.field-error')) {
    old.remove();
  }
  for (const control of form.querySelectorAll('[aria-invalid]')) {
    control.removeAttribute('aria-invalid');
    control.removeAttribute('aria-errormessage');
    describedBy(control, ids => ids.filter(id => id !== `${control.id}-error`));
  }
  for (const [name, messages] of Object.entries(error.errors ?? {})) {
    const control = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (control) {
      const note = h('small', { class: 'field-error', id: `${control.id}-error` }, messages.join(' '));
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-errormessage', note.id);
      // Also a description: aria-errormessage alone is not read by every screen reader (and axe requires both).
      describedBy(control, ids => [...ids, note.id]);
      control.closest('.field')?.append(note);
    }
  }
  fill(place, message('error', error.message));
}
