// Every auth route, by name: app.ts registers `auth.<name>.route` with `auth.<name>.handler`.
export * as changePassword from './change-password.ts';
export * as deleteAccount from './delete-account.ts';
export * as me from './me.ts';
export * as passwordReset from './password-reset.ts';
export * as passwordResetConfirm from './password-reset-confirm.ts';
export * as refresh from './refresh.ts';
export * as revokeSession from './revoke-session.ts';
export * as sessions from './sessions.ts';
export * as signin from './signin.ts';
export * as signout from './signout.ts';
export * as signoutAll from './signout-all.ts';
export * as signup from './signup.ts';
export * as verifyEmail from './verify-email.ts';
export * as verifyEmailRequest from './verify-email-request.ts';
