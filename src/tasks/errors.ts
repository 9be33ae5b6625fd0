// The one NOT_FOUND that missing, foreign and legacy tasks all get: the response never tells them apart;
// and the 412 of a write whose If-Match names a version that is no longer current.
import { AppError } from '../http/errors.ts';
import type { Written } from './repository.ts';

export function taskNotFound(): AppError {
  return new AppError('NOT_FOUND', 'No such task');
}

export function versionChanged(): AppError {
  return new AppError(
    'PRECONDITION_FAILED',
    'The task changed since the version named in If-Match; nothing was changed',
  );
}

/** The written value, or the 404 / 412 that explains why nothing was written. */
export function written<T>(result: Written<T>): T {
  if (result.outcome === 'not-found') throw taskNotFound();
  if (result.outcome === 'stale') throw versionChanged();
  return result.value;
}

export const TAGS = ['Tasks'];
