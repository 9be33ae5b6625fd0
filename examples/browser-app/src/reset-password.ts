// /reset-password#token=…, the page the password-reset email links to: choose a new password. Every
// session of the account ends (docs/API.md), so the user signs in again afterwards.
import { ApiError } from '@task-api/client';
import { api } from './api.ts';
import { takeToken } from './fragment.ts';
import * as ui from './ui.ts';
import { $ } from './ui.ts';

const token = takeToken();
const form = $<HTMLFormElement>('#reset');

if (!token) {
  form.hidden = true;
  ui.status('this link is incomplete: open the link in the email again', true);
}

form.onsubmit = async (event) => {
  event.preventDefault();
  ui.showFieldErrors(form, []);
  try {
    await api.auth.confirmPasswordReset({
      token: token ?? '',
      newPassword: $<HTMLInputElement>('#new-password').value,
    });
    form.hidden = true;
    ui.status('password changed, and every session of the account was signed out: sign in with the new password');
  } catch (error) {
    if (error instanceof ApiError && error.code === 'TOKEN_INVALID') {
      form.hidden = true;
      ui.status('this link has expired or was used already: ask for a new one from the sign-in page', true);
    } else if (!(error instanceof ApiError && ui.showFieldErrors(form, error.errors))) {
      ui.status(`failed: ${error instanceof Error ? error.message : String(error)}`, true);
    }
  }
};
