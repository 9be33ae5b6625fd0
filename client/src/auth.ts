// Account and session calls, each a thin wrapper of one route (docs/API.md, "Accounts and sessions" and
// "Password reset and email verification"), plus the session getters and events of this tab.
import type { Client } from 'openapi-fetch';
import type { components, paths } from '../openapi.js';
import { ApiError } from './errors.js';
import type { Session } from './events.js';
import { send } from './send.js';
import type { SessionState } from './session.js';

type Schemas = components['schemas'];
export type User = Schemas['User'];
export type SessionInfo = Schemas['SessionInfo'];
export type Credentials = Schemas['SigninBody'];

const done = () => {};

export function createAuth(
  raw: Client<paths>,
  anonymous: Client<paths>,
  state: SessionState,
  refresh: (refused?: string) => Promise<boolean>,
) {
  async function enter(pending: Promise<{ data?: Session; error?: unknown; response: Response }>): Promise<Session> {
    const { data } = await send(pending);
    await state.keep('SIGNED_IN', data);
    return data;
  }

  /** The signed-in user as the API has it now (USER_UPDATED in every tab). */
  async function reloadUser(): Promise<User> {
    const { data } = await send(raw.GET('/api/auth/me'));
    if (state.current) await state.keep('USER_UPDATED', { ...state.current, user: data.user });
    return data.user;
  }

  return {
    /** Called in this tab for changes made in any tab of the origin; answers the unsubscribe. */
    onChange: state.onChange,
    session: (): Session | null => state.current,
    user: (): User | null => state.current?.user ?? null,

    /** The stored session, e.g. after a reload: a new access token from the stored refresh token. */
    restore: async (): Promise<Session | null> => ((await refresh()) ? state.current : null),

    signUp: (credentials: Credentials) => enter(anonymous.POST('/api/auth/signup', { body: credentials })),
    signIn: (credentials: Credentials) => enter(anonymous.POST('/api/auth/signin', { body: credentials })),

    /** Ends this session on the API (best effort) and, whatever the API said, in every tab. */
    async signOut(): Promise<void> {
      try {
        if (state.current) await send(raw.POST('/api/auth/signout'));
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 401)) throw error; // 401: already ended
      } finally {
        await state.end();
      }
    },

    /** Ends every session of the account; this tab's only once the API has done it. */
    async signOutEverywhere(): Promise<void> {
      await send(raw.POST('/api/auth/signout-all'));
      await state.end();
    },

    /** Every other session of the account ends; this tab (and its others) carry on with the new one. */
    async changePassword(body: Schemas['ChangePasswordBody']): Promise<Session> {
      const { data } = await send(raw.POST('/api/auth/password', { body }));
      await state.keep('USER_UPDATED', data);
      return data;
    },

    async deleteAccount(body: Schemas['DeleteAccountBody']): Promise<void> {
      await send(raw.DELETE('/api/auth/me', { body }));
      await state.end();
    },

    /** The same answer whether or not the address has an account. */
    requestPasswordReset: (body: Schemas['PasswordResetBody']) =>
      send(anonymous.POST('/api/auth/password-reset', { body })).then(done),

    /** `token` from the link's fragment (#token=…). Every session of the account ends. */
    confirmPasswordReset: (body: Schemas['PasswordResetConfirmBody']) =>
      send(anonymous.POST('/api/auth/password-reset/confirm', { body })).then(done),

    /** `token` from the link's fragment (#token=…); a signed-in user is reloaded to show it verified. */
    async verifyEmail(body: Schemas['VerifyEmailBody']): Promise<void> {
      await send(anonymous.POST('/api/auth/verify-email', { body }));
      if (state.current) await reloadUser();
    },

    requestEmailVerification: () => send(raw.POST('/api/auth/verify-email/request')).then(done),

    reloadUser,

    /** The account's live sessions, newest first. */
    sessions: async (): Promise<SessionInfo[]> => (await send(raw.GET('/api/auth/sessions'))).data.items,

    /** Ends one session of the account (e.g. a lost phone's); its next request is refused. */
    endSession: (id: string) => send(raw.DELETE('/api/auth/sessions/{id}', { params: { path: { id } } })).then(done),
  };
}
