// Wiring: turns clicks into API calls (api.ts, tasks.ts) and results into DOM updates (ui.ts).
import * as api from './api.ts';
import { ApiError } from './api.ts';
import * as tasks from './tasks.ts';
import type { SessionInfo, Task } from './types.ts';
import * as ui from './ui.ts';
import { $ } from './ui.ts';

let nextCursor: string | null = null;
let shown = 0;

function fail(error: unknown): void {
  // Any other 401 has already been handled by onSignedOut (the sign-in form and its message).
  if (error instanceof ApiError && error.status === 401 && error.code !== 'INVALID_CREDENTIALS') return;
  ui.status(`failed: ${error instanceof Error ? error.message : String(error)}`, true);
}

/** Runs an action, reporting its failure on the status line instead of dropping it. */
const guarded =
  <A extends unknown[]>(action: (...args: A) => Promise<void>) =>
  (...args: A) => {
    action(...args).catch(fail);
  };

const rowOf = (id: number) => $('#tasks').querySelector<HTMLLIElement>(`li[data-id="${id}"]`);

const actions: ui.TaskActions = {
  toggle: guarded(async (task: Task, completed: boolean) => {
    const { task: saved } = await tasks.setCompleted(task.id, completed);
    rowOf(task.id)?.replaceWith(ui.taskItem(saved, actions));
  }),
  edit: guarded(async (task: Task) => {
    // Start from the task as it is now, with its ETag: that is the version the new title replaces.
    const { task: current, etag } = await tasks.getTask(task.id);
    const row = rowOf(task.id);
    if (!row) return;
    const restore = () => row.replaceWith(ui.taskItem(current, actions));
    ui.editItem(
      row,
      current,
      guarded((title: string) => saveTitle(current, title, etag)),
      restore,
    );
  }),
  remove: guarded(async (task: Task) => {
    try {
      await tasks.deleteTask(task.id);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error; // 404: already gone
    }
    rowOf(task.id)?.remove();
    ui.showCount(--shown, nextCursor !== null);
  }),
};

async function saveTitle(task: Task, title: string, etag: string | null): Promise<void> {
  try {
    const { task: saved } = await tasks.renameTask(task.id, title, etag);
    rowOf(task.id)?.replaceWith(ui.taskItem(saved, actions));
    ui.status('saved');
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 412) {
      // Someone changed the task after this edit started: show theirs; the user can edit again.
      const { task: fresh } = await tasks.getTask(task.id);
      rowOf(task.id)?.replaceWith(ui.taskItem(fresh, actions));
      ui.status('changed elsewhere, reloaded', true);
    } else if (error.status === 404) {
      rowOf(task.id)?.remove();
      ui.showCount(--shown, nextCursor !== null);
      ui.status('deleted elsewhere', true);
    } else {
      throw error;
    }
  }
}

async function loadTasks(reset: boolean): Promise<void> {
  if (reset) {
    nextCursor = null;
    shown = 0;
  }
  const page = await tasks.listTasks(nextCursor);
  const rows = page.items.map((task) => ui.taskItem(task, actions));
  if (reset) $('#tasks').replaceChildren(...rows);
  else $('#tasks').append(...rows);
  nextCursor = page.nextCursor;
  shown += page.items.length;
  ui.showCount(shown, nextCursor !== null);
}

async function loadSessions(): Promise<void> {
  ui.renderSessions(await tasks.listSessions(), guarded(endSession));
}

async function endSession(session: SessionInfo): Promise<void> {
  if (session.current) return signOut();
  await tasks.revokeSession(session.id);
  ui.status('signed that device out');
  await loadSessions();
}

async function signOut(): Promise<void> {
  try {
    await api.signOut();
    ui.status('signed out');
  } finally {
    ui.showSignedOut(); // the tokens are forgotten even if the API could not be told
  }
}

// `email` is null only for an account of an external issuer (TRUSTED_ISSUERS), which this app, signing
// in with the API's own accounts, never sees; shown generically all the same.
async function enter(email: string | null): Promise<void> {
  ui.showSignedIn(email ?? 'your account');
  await loadTasks(true);
  await loadSessions();
}

api.onSignedOut((reason) => {
  ui.showSignedOut();
  ui.status(`signed out: ${reason.status} ${reason.code}; please sign in again`, true);
});

$<HTMLFormElement>('#auth').onsubmit = guarded(async (event: SubmitEvent) => {
  event.preventDefault();
  const email = $<HTMLInputElement>('#email').value;
  const password = $<HTMLInputElement>('#password').value;
  const create = (event.submitter as HTMLButtonElement | null)?.value === 'signup';
  const session = create ? await api.signUp(email, password) : await api.signIn(email, password);
  $<HTMLInputElement>('#password').value = '';
  ui.status('');
  await enter(session.user.email);
});

$<HTMLFormElement>('#add').onsubmit = guarded(async (event: SubmitEvent) => {
  event.preventDefault();
  const input = $<HTMLInputElement>('#title');
  const { task } = await tasks.createTask(input.value);
  input.value = '';
  // Newest first, as the list is ordered; the cursor of older pages stays valid (it is keyset-based).
  $('#tasks').prepend(ui.taskItem(task, actions));
  ui.showCount(++shown, nextCursor !== null);
});

$('#more').onclick = guarded(() => loadTasks(false));
$('#signout').onclick = guarded(signOut);
$('#reload-sessions').onclick = guarded(loadSessions);

$<HTMLFormElement>('#change-password').onsubmit = guarded(async (event: SubmitEvent) => {
  event.preventDefault();
  const current = $<HTMLInputElement>('#current-password');
  const next = $<HTMLInputElement>('#new-password');
  await api.changePassword(current.value, next.value);
  current.value = '';
  next.value = '';
  ui.status('password changed; every other session was signed out');
  await loadSessions();
});

if (__TEST_HOOKS__) {
  // Only in the browser test's build (esbuild drops this block otherwise).
  Object.assign(window, {
    testHooks: { setAccessToken: api.setAccessTokenForTest, session: api.currentSession },
  });
}

// A reload, or another tab, with a stored refresh token stays signed in.
if (api.hasStoredSession()) {
  guarded(async () => {
    try {
      const session = await api.refresh();
      await enter(session.user.email);
    } catch (error) {
      ui.showSignedOut();
      if (error instanceof ApiError && error.status === 401) ui.status('your session has ended; please sign in again');
      throw error;
    }
  })();
} else {
  ui.showSignedOut();
}
