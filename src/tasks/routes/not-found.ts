// The one NOT_FOUND that missing, foreign and legacy tasks all get: the response never tells them apart.
import { AppError } from '../../http/errors.ts';

export function taskNotFound(): AppError {
  return new AppError('NOT_FOUND', 'No such task');
}

export const TAGS = ['Tasks'];
