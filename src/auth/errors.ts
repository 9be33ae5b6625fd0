// Every error the auth routes and middleware answer with, in one place, so that each status, code and
// header an app may see is written once.
import { AppError } from '../http/errors.ts';

export function unauthenticated(detail: string, tokenSent: boolean): AppError {
  return new AppError('UNAUTHENTICATED', detail, {
    headers: { 'WWW-Authenticate': tokenSent ? 'Bearer error="invalid_token"' : 'Bearer realm="task-api"' },
  });
}

/** A valid token whose session has ended (signed out, revoked, expired) or whose account is gone. */
export function sessionEnded(): AppError {
  return unauthenticated('The session this token belongs to has ended; sign in again', true);
}

/** A genuine access token past its `exp`: the app should get a new one (`renew` says where). */
export function tokenExpired(renew: string): AppError {
  return new AppError('TOKEN_EXPIRED', `The access token has expired; get a new one ${renew}`, {
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="expired"' },
  });
}

export function refreshRefused(): AppError {
  return unauthenticated('The refresh token is unknown, expired, revoked or already used; sign in again', true);
}

export function invalidCredentials(detail: string): AppError {
  return new AppError('INVALID_CREDENTIALS', detail);
}

/**
 * A signed-in user's password re-check failed (password change, account deletion): 403, naming the
 * field. Not 401: the access token is good, and an app that signs out on 401 must not do it here.
 */
export function wrongPassword(field: 'currentPassword' | 'password'): AppError {
  const detail = field === 'currentPassword' ? 'The current password is incorrect' : 'The password is incorrect';
  return new AppError('INVALID_CREDENTIALS', detail, {
    status: 403,
    errors: [{ path: field, message: 'is incorrect' }],
  });
}

/**
 * A route that acts on this API's own session, email or password, called by an external issuer's user
 * (who has none of them here).
 */
export function externalAccount(issuer: string, action: string): AppError {
  return new AppError('EXTERNAL_ACCOUNT', `This account signs in at ${issuer}, which manages it: ${action} there`);
}

export function emailTaken(): AppError {
  // errors[] although this is not a validation failure: it names the field, so an app can show the
  // message next to the email input.
  return new AppError('EMAIL_TAKEN', 'An account with this email already exists', {
    errors: [{ path: 'email', message: 'is already registered' }],
  });
}

export function emailLinkInvalid(): AppError {
  return new AppError('TOKEN_INVALID', 'The link is unknown, expired, already used, or no longer matches the account');
}

export function sessionNotFound(): AppError {
  return new AppError('NOT_FOUND', 'No such session');
}

/** Retry-After of a 503 when no fetch of the keys is due at a known time. */
export const AUTH_PROVIDER_RETRY_AFTER_SECONDS = 10;

/**
 * An external issuer's keys cannot be fetched: its outage, never a 401 that would sign the user out.
 * `retryAfterSeconds`: when the keys will be fetched again, if known (a failed fetch is remembered).
 */
export function providerUnavailable(
  issuer: string,
  cause: unknown,
  retryAfterSeconds = AUTH_PROVIDER_RETRY_AFTER_SECONDS,
): AppError {
  return new AppError('AUTH_PROVIDER_UNAVAILABLE', `The signing keys of ${issuer} cannot be fetched; retry later`, {
    headers: { 'Retry-After': String(retryAfterSeconds) },
    cause,
  });
}
