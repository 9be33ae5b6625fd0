// /verify-email#token=…, the page the verification email links to. When this browser is signed in, the
// client reloads the user after verifying, and its other tabs hear of it (USER_UPDATED): the task page
// stops asking for verification without a reload.
import { ApiError } from '@task-api/client';
import { api } from './api.ts';
import { takeToken } from './fragment.ts';
import * as ui from './ui.ts';

const token = takeToken();

async function verify(): Promise<void> {
  if (!token) {
    ui.status('this link is incomplete: open the link in the email again', true);
    return;
  }
  try {
    await api.auth.restore(); // signed in here? then the user is reloaded after verifying
    await api.auth.verifyEmail({ token });
    ui.status('your address is verified');
  } catch (error) {
    if (error instanceof ApiError && error.code === 'TOKEN_INVALID') {
      ui.status('this link has expired, was used already, or is for an address the account no longer has', true);
    } else {
      ui.status(`failed: ${error instanceof Error ? error.message : String(error)}`, true);
    }
  }
}

void verify();
