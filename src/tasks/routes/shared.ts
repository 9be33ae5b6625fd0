// What every task route shares: the owner, and the one NOT_FOUND that missing, foreign and legacy tasks all get.
import type { Context } from 'hono';
import type { HonoEnv } from '../../env.ts';
import { AppError } from '../../http/errors.ts';
import { type OwnerId, ownerId } from '../owner.ts';

export const TAGS = ['Tasks'];
export const SECURITY = [{ bearerAuth: [] }];

export function ownerOf(c: Context<HonoEnv>): OwnerId {
  return ownerId(c.get('userId'));
}

/** The same response whether the task does not exist, belongs to someone else, or has no owner. */
export function taskNotFound(): AppError {
  return new AppError('NOT_FOUND', 'No such task');
}
