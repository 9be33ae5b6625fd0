// A refresh, start to end: make the next refresh token, store its hash and a sealed copy while rotating
// in one statement, and work out which token the caller should hold now (a racing tab gets the one its
// twin was given). The route only maps the outcome to 200 or 401.
import type { Database } from '../../db/client.ts';
import { hashRefreshToken, newRefreshToken, openNextToken, sealNextToken } from './refresh-tokens.ts';
import { type OpenedSession, rotateRefreshToken } from './repository.ts';

export type RefreshOutcome =
  | { outcome: 'refreshed'; opened: OpenedSession; refreshToken: string }
  /** Unknown, expired or revoked token: nothing changed. */
  | { outcome: 'refused' }
  /** A spent token presented after the reuse window: treated as stolen, its session is now revoked. */
  | { outcome: 'reused'; userId: string; sessionId: string };

/** What a refresh needs from the configuration (the parsed Config has it). */
export interface RefreshSettings {
  SESSION_IDLE_TTL_SECONDS: number;
  secretKey: Uint8Array;
  previousSecretKey?: Uint8Array;
}

export async function refreshSession(
  db: Database,
  presented: string,
  settings: RefreshSettings,
): Promise<RefreshOutcome> {
  const next = newRefreshToken();
  const rotation = await rotateRefreshToken(
    db,
    await hashRefreshToken(presented),
    { hash: await hashRefreshToken(next), sealed: await sealNextToken(next, presented, settings.secretKey) },
    settings.SESSION_IDLE_TTL_SECONDS,
  );
  if (!rotation) return { outcome: 'refused' };
  if (rotation.outcome === 'reused') return rotation;
  // Racing tabs: the token this one was rotated to, which only a holder of this one can unseal.
  const secrets = settings.previousSecretKey ? [settings.secretKey, settings.previousSecretKey] : [settings.secretKey];
  const refreshToken =
    rotation.outcome === 'rotated'
      ? next
      : rotation.sealedNext && (await openNextToken(rotation.sealedNext, presented, secrets));
  return refreshToken ? { outcome: 'refreshed', opened: rotation.opened, refreshToken } : { outcome: 'refused' };
}
