// Every auth route, by name: app.ts registers `auth.<name>.route` with `auth.<name>.handler`.
export * as changePassword from './change-password.ts';
export * as deleteAccount from './delete-account.ts';
export * as me from './me.ts';
export * as signin from './signin.ts';
export * as signup from './signup.ts';
