// What signup, signin, refresh and password change return: the user, a fresh access token naming the
// session, and the session's refresh token.
import type { Context } from 'hono';
import type { Config } from '../../config.ts';
import { issueAccessToken } from '../access-tokens.ts';
import type { PublicUser } from '../accounts/repository.ts';
import type { SessionDto, UserDto } from '../schemas.ts';
import { toUserId } from '../user-id.ts';
import { hashRefreshToken, newRefreshToken } from './refresh-tokens.ts';
import type { NewSession, OpenedSession } from './repository.ts';

const MAX_USER_AGENT_LENGTH = 512;

export function toUserDto(user: PublicUser): UserDto {
  return {
    id: user.id,
    email: user.email,
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

/** A new refresh token and what the statement that opens its session needs. */
export async function prepareSession(
  c: Pick<Context, 'req'>,
  config: Config,
): Promise<{ refreshToken: string; session: NewSession }> {
  const refreshToken = newRefreshToken();
  return {
    refreshToken,
    session: {
      refreshTokenHash: await hashRefreshToken(refreshToken),
      userAgent: c.req.header('User-Agent')?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
      idleSeconds: config.SESSION_IDLE_TTL_SECONDS,
      maxSeconds: config.SESSION_MAX_TTL_SECONDS,
    },
  };
}

export async function sessionResponse(
  opened: OpenedSession,
  refreshToken: string,
  config: Config,
): Promise<SessionDto> {
  return {
    user: toUserDto(opened.user),
    sessionId: opened.sessionId,
    accessToken: await issueAccessToken({ userId: toUserId(opened.user.id), sessionId: opened.sessionId }, config),
    tokenType: 'Bearer',
    expiresIn: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshToken,
    refreshExpiresAt: opened.endsAt.toISOString(),
  };
}
