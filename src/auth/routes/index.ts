import type { OpenApiApp } from '../../http/openapi.ts';
import { registerChangePassword } from './change-password.ts';
import { registerDeleteAccount } from './delete-account.ts';
import { registerMe } from './me.ts';
import { registerSignin } from './signin.ts';
import { registerSignup } from './signup.ts';

export function registerAuthRoutes(app: OpenApiApp): void {
  registerSignup(app);
  registerSignin(app);
  registerMe(app);
  registerChangePassword(app);
  registerDeleteAccount(app);
}
