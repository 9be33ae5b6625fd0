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

/** Password routes, for an account of an external issuer: it has no password here (401, as a wrong one). */
export function noPasswordHere(issuer: string): AppError {
  return invalidCredentials(`This account has no password here; it signs in at ${issuer}`);
}

/** A route that acts on this API's own session or email, called by an external issuer's user. */
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

export const AUTH_PROVIDER_RETRY_AFTER_SECONDS = 10;

/** An external issuer's keys cannot be fetched: its outage, never a 401 that would sign the user out. */
export function providerUnavailable(issuer: string, cause: unknown): AppError {
  return new AppError('AUTH_PROVIDER_UNAVAILABLE', `The signing keys of ${issuer} cannot be fetched; retry later`, {
    headers: { 'Retry-After': String(AUTH_PROVIDER_RETRY_AFTER_SECONDS) },
    cause,
  });
}
