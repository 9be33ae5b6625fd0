// The task routes' errors, in one place: the one NOT_FOUND that missing, foreign and legacy tasks all
// get (the response never tells them apart), the 412 of a stale If-Match, the 422 of a reused key, and
// the 403 of an account at its task quota.
import { sessionEnded } from '../auth/errors.ts';
import { AppError } from '../http/errors.ts';
import type { Problems } from '../http/openapi.ts';

/** A change of one task (PATCH, PUT, toggle, DELETE): missing (or not yours), or If-Match is stale. */
export const TASK_CHANGE_PROBLEMS = { 404: ['NOT_FOUND'], 412: ['PRECONDITION_FAILED'] } as const satisfies Problems;

export function taskNotFound(): AppError {
  return new AppError('NOT_FOUND', 'No such task');
}

export function versionChanged(): AppError {
  return new AppError(
    'PRECONDITION_FAILED',
    'The task changed since the version named in If-Match; nothing was changed',
  );
}

export function taskQuotaExceeded(): AppError {
  return new AppError('QUOTA_EXCEEDED', 'This account has as many tasks as it may have; delete some to create more');
}

export function idempotencyKeyReused(): AppError {
  return new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different body');
}

export function resyncRequired(): AppError {
  return new AppError('RESYNC_REQUIRED', 'The changes after since are no longer all known: sync again from since=0');
}

/** Why a task read or write did nothing, as the error the route answers with. */
export function taskFailure(
  outcome: 'not-found' | 'stale' | 'session-ended' | 'key-reused' | 'quota-exceeded',
): AppError {
  switch (outcome) {
    case 'not-found':
      return taskNotFound();
    case 'stale':
      return versionChanged();
    case 'session-ended':
      return sessionEnded();
    case 'key-reused':
      return idempotencyKeyReused();
    case 'quota-exceeded':
      return taskQuotaExceeded();
  }
}
