// Rendering only: builds and updates DOM nodes, never calls the API. Text goes in with textContent
// (never innerHTML), so a task title cannot inject markup into the page.
import type { FieldError, SessionInfo, Task, User } from '@task-api/client';

export const $ = <T extends HTMLElement = HTMLElement>(selector: string): T => {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`missing ${selector}`);
  return found;
};

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

export function status(text: string, isError = false): void {
  const line = $('#status');
  line.textContent = text;
  line.classList.toggle('error', isError);
}

// `email` is null only for an account of an external issuer (TRUSTED_ISSUERS), which this app, signing
// in with the API's own accounts, never sees; shown generically all the same.
export function showSignedIn(user: User): void {
  $('#signed-out').hidden = true;
  $('#signed-in').hidden = false;
  showUser(user);
}

export function showUser(user: User): void {
  $('#who').textContent = `Signed in as ${user.email ?? 'your account'}`;
  $('#unverified').hidden = user.emailVerified || user.email === null;
}

/**
 * Shows each error beside its field (the element `[data-for="<path>"]` in the form) and clears the
 * form's earlier ones; answers whether any was shown there.
 */
export function showFieldErrors(form: HTMLElement, errors: FieldError[]): boolean {
  let shown = false;
  for (const slot of form.querySelectorAll<HTMLElement>('.field-error')) {
    const error = errors.find((candidate) => candidate.path === slot.dataset.for);
    slot.textContent = error?.message ?? '';
    slot.previousElementSibling?.querySelector('input')?.setAttribute('aria-invalid', String(Boolean(error)));
    shown ||= Boolean(error);
  }
  return shown;
}

export function showSignedOut(): void {
  $('#signed-in').hidden = true;
  $('#signed-out').hidden = false;
  $('#tasks').replaceChildren();
  $('#sessions').replaceChildren();
  $('#count').textContent = '';
  $('#more').hidden = true;
}

export interface TaskActions {
  toggle(task: Task, completed: boolean): void;
  edit(task: Task): void;
  remove(task: Task): void;
}

export function taskItem(task: Task, actions: TaskActions): HTMLLIElement {
  const toggle = element('input', { type: 'checkbox', checked: task.completed, className: 'toggle' });
  toggle.setAttribute('aria-label', `done: ${task.title}`);
  toggle.onchange = () => actions.toggle(task, toggle.checked);
  const edit = element('button', { type: 'button', className: 'edit', textContent: 'Edit' });
  edit.onclick = () => actions.edit(task);
  const remove = element('button', { type: 'button', className: 'delete', textContent: 'Delete' });
  remove.onclick = () => actions.remove(task);
  const item = element('li', { className: task.completed ? 'done' : '' }, toggle);
  item.append(element('span', { className: 'title', textContent: task.title }), edit, remove);
  item.dataset.id = String(task.id);
  return item;
}

/** Swaps a task's title for an input; `save` gets the new title (and the form, for its field errors). */
export function editItem(
  item: HTMLLIElement,
  task: Task,
  save: (title: string, form: HTMLFormElement) => void,
  cancel: () => void,
): void {
  const input = element('input', { className: 'edit-title', value: task.title, maxLength: 200, required: true });
  input.setAttribute('aria-label', 'Title');
  const form = element(
    'form',
    { className: 'edit-form' },
    element('label', {}, input),
    element('small', { className: 'field-error' }),
    element('button', { type: 'submit', textContent: 'Save' }),
  );
  (form.querySelector('.field-error') as HTMLElement).dataset.for = 'title';
  const back = element('button', { type: 'button', textContent: 'Cancel' });
  back.onclick = cancel;
  form.onsubmit = (event) => {
    event.preventDefault();
    save(input.value, form);
  };
  item.replaceChildren(form, back);
  input.focus();
}

export function showCount(shown: number, more: boolean): void {
  $('#count').textContent = `${shown} task(s)${more ? ', more to load' : ''}`;
  $('#more').hidden = !more;
}

export function renderSessions(sessions: SessionInfo[], end: (session: SessionInfo) => void): void {
  const when = (iso: string) => new Date(iso).toLocaleString();
  $('#sessions').replaceChildren(
    ...sessions.map((session) => {
      const about = element(
        'span',
        { className: 'about' },
        session.current ? 'This browser' : (session.userAgent ?? 'unknown device'),
        element('br'),
        `signed in ${when(session.createdAt)}, last used ${when(session.lastUsedAt)}`,
      );
      const button = element('button', { type: 'button', className: 'end', textContent: 'Sign out this device' });
      button.onclick = () => end(session);
      const item = element('li', { className: session.current ? 'current' : '' }, about, button);
      item.dataset.id = session.id;
      return item;
    }),
  );
}
