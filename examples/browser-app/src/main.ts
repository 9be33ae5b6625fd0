// The task page's wiring: turns clicks into calls of the Task API client (api.ts) and results into DOM
// updates (ui.ts). Which account is signed in follows the client's auth events, in this tab and the
// others: signing in, out or changing the password in one tab shows in all of them. The list follows
// the account's task changes live (tasks.subscribe), whichever tab or device makes them.
import {
  ApiError,
  type AuthEvent,
  type Session,
  type SessionInfo,
  type Task,
  type TaskChange,
  TaskConflictError,
} from '@task-api/client';
import { api } from './api.ts';
import { exposeTestHooks } from './test-hooks.ts';
import * as ui from './ui.ts';
import { $ } from './ui.ts';

const PAGE_SIZE = 10;
let nextCursor: string | null = null;
let shown = 0;
/** This tab is signing out by the user's click (the other tabs say why they were signed out). */
let leaving = false;
/** When the newest task on the page was created: a task created later belongs at the top. */
let newest = '';
let stopLive: (() => void) | undefined;

/** Reports a failure: beside its fields when the API named them, else on the status line. */
function fail(error: unknown, form?: HTMLElement): void {
  // A session that ended has been shown already (the SIGNED_OUT event below).
  if (error instanceof ApiError && error.status === 401 && error.code !== 'INVALID_CREDENTIALS') return;
  if (form && error instanceof ApiError && ui.showFieldErrors(form, error.errors)) {
    ui.status('please check the marked fields', true);
    return;
  }
  ui.status(`failed: ${error instanceof Error ? error.message : String(error)}`, true);
}

/** Runs an action, reporting its failure instead of dropping it. */
const guarded =
  <A extends unknown[]>(action: (...args: A) => Promise<void>, form?: HTMLElement) =>
  (...args: A) => {
    if (form) ui.showFieldErrors(form, []);
    action(...args).catch((error) => fail(error, form));
  };

/** A form's submit handler: no page load, and the form's field errors beside its fields. */
const onSubmit = (selector: string, action: (event: SubmitEvent) => Promise<void>) => {
  const form = $<HTMLFormElement>(selector);
  const run = guarded(action, form);
  form.onsubmit = (event) => {
    event.preventDefault();
    run(event);
  };
};

const rowOf = (id: number) => $('#tasks').querySelector<HTMLLIElement>(`li[data-id="${id}"]`);
const showTask = (task: Task) => rowOf(task.id)?.replaceWith(ui.taskItem(task, actions));
function dropRow(id: number): void {
  const row = rowOf(id);
  if (!row) return;
  row.remove();
  ui.showCount(--shown, nextCursor !== null);
}

/** A task made here or elsewhere, once: at the top (newest first), or in its row if already shown. */
function showNew(task: Task): void {
  if (rowOf(task.id)) {
    showTask(task);
    return;
  }
  $('#tasks').prepend(ui.taskItem(task, actions));
  newest = task.createdAt;
  ui.showCount(++shown, nextCursor !== null);
}

/**
 * A change from any tab or device. The subscription starts from the beginning, so every task comes by
 * once: those on the page replace their row, older ones (on pages not loaded) are left alone, newer
 * ones go on top. A deletion removes the row, if shown.
 */
function applyChange(change: TaskChange): void {
  if ('deleted' in change) {
    dropRow(change.deleted.id);
    return;
  }
  const row = rowOf(change.task.id);
  // A row being edited is left alone: its save decides (against a newer version: 412, theirs shown).
  if (row?.querySelector('.edit-form')) return;
  if (row) showTask(change.task);
  else if (change.task.createdAt > newest) showNew(change.task);
}

/**
 * Runs a change of one task. Every change is sent with the task's version (If-Match, by the client):
 * if someone changed the task since, nothing is overwritten and their version is shown instead.
 */
async function change(id: number, write: () => Promise<void>, form?: HTMLElement): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof TaskConflictError) {
      showTask(error.task);
      ui.status('changed elsewhere, reloaded', true);
    } else if (error instanceof ApiError && error.status === 404) {
      dropRow(id);
      ui.status('deleted elsewhere', true);
    } else {
      fail(error, form);
    }
  }
}

const actions: ui.TaskActions = {
  // The checkbox's new state, not a flip: sent twice, it still ends in the state the user chose.
  toggle: guarded(async (task: Task, completed: boolean) =>
    change(task.id, async () => {
      showTask(await api.tasks.update(task.id, { completed }));
    }),
  ),
  edit: guarded(async (task: Task) => {
    // Start from the task as it is now: its version is the one the new title replaces.
    const current = await api.tasks.get(task.id);
    const row = rowOf(task.id);
    if (!row) return;
    ui.editItem(
      row,
      current,
      (title, form) =>
        void change(
          task.id,
          async () => {
            showTask(await api.tasks.update(task.id, { title }));
            ui.status('saved');
          },
          form,
        ),
      () => showTask(current),
    );
  }),
  remove: guarded(async (task: Task) =>
    change(task.id, async () => {
      await api.tasks.remove(task.id);
      dropRow(task.id);
    }),
  ),
};

async function loadTasks(reset: boolean): Promise<void> {
  if (reset) {
    nextCursor = null;
    shown = 0;
  }
  const page = await api.tasks.list({ limit: PAGE_SIZE, ...(nextCursor ? { cursor: nextCursor } : {}) });
  const rows = page.items.map((task) => ui.taskItem(task, actions));
  if (reset) newest = page.items[0]?.createdAt ?? '';
  if (reset) $('#tasks').replaceChildren(...rows);
  else $('#tasks').append(...rows);
  nextCursor = page.nextCursor;
  shown += page.items.length;
  ui.showCount(shown, nextCursor !== null);
}

async function loadSessions(): Promise<void> {
  ui.renderSessions(await api.auth.sessions(), guarded(endSession));
}

async function endSession(session: SessionInfo): Promise<void> {
  if (session.current) return signOut();
  await api.auth.endSession(session.id);
  ui.status('signed that device out');
  await loadSessions();
}

async function signOut(): Promise<void> {
  leaving = true;
  try {
    await api.auth.signOut(); // ends the session in every tab, even when the API cannot be told
    ui.status('signed out');
  } finally {
    leaving = false;
    ui.showSignedOut();
  }
}

api.auth.onChange(
  guarded(async (event: AuthEvent, session: Session | null) => {
    if (event === 'SIGNED_OUT') {
      stopLive?.(); // it stops by itself too; this makes it explicit
      ui.showSignedOut();
      if (!leaving) ui.status('signed out: your session has ended; please sign in again', true);
    } else if (event === 'SIGNED_IN' && session) {
      ui.status('');
      ui.showSignedIn(session.user);
      await loadTasks(true);
      stopLive?.();
      stopLive = api.tasks.subscribe(applyChange);
      await loadSessions();
    } else if (event === 'USER_UPDATED' && session) {
      ui.showUser(session.user);
    }
  }),
);

onSubmit('#auth', async (event) => {
  const credentials = { email: $<HTMLInputElement>('#email').value, password: $<HTMLInputElement>('#password').value };
  const create = (event.submitter as HTMLButtonElement | null)?.value === 'signup';
  await (create ? api.auth.signUp(credentials) : api.auth.signIn(credentials)); // SIGNED_IN shows the tasks
  $<HTMLInputElement>('#password').value = '';
});

$('#forgot').onclick = guarded(async () => {
  const email = $<HTMLInputElement>('#email');
  if (!email.reportValidity()) return;
  await api.auth.requestPasswordReset({ email: email.value });
  ui.status('if that address has an account, a link to choose a new password is on its way');
}, $('#auth'));

onSubmit('#add', async () => {
  const input = $<HTMLInputElement>('#title');
  const task = await api.tasks.create({ title: input.value });
  input.value = '';
  // Newest first, as the list is ordered; the cursor of older pages stays valid (it is keyset-based).
  // Its live change may have shown it already.
  showNew(task);
});

$('#more').onclick = guarded(() => loadTasks(false));
$('#signout').onclick = guarded(signOut);
$('#reload-sessions').onclick = guarded(loadSessions);
$('#resend').onclick = guarded(async () => {
  await api.auth.requestEmailVerification();
  ui.status('a new verification link is on its way');
});

onSubmit('#change-password', async () => {
  const current = $<HTMLInputElement>('#current-password');
  const next = $<HTMLInputElement>('#new-password');
  await api.auth.changePassword({ currentPassword: current.value, newPassword: next.value });
  current.value = '';
  next.value = '';
  ui.status('password changed; every other session was signed out');
  await loadSessions();
});

if (__TEST_HOOKS__) exposeTestHooks(api); // only in the browser test's build (esbuild drops it otherwise)

// A reload, or another tab, with a stored session stays signed in (SIGNED_IN shows the tasks). The
// sign-in form shows only if there is still no session by the time this is settled: the user may have
// signed in meanwhile, here or in another tab.
guarded(async () => {
  try {
    await api.auth.restore();
  } finally {
    // After a failure (429, 503, offline) the stored session is kept: a reload tries it again.
    if (!api.auth.session()) ui.showSignedOut();
  }
})();
