// What signup, signin and password change return.
import type { Config } from '../config.ts';
import type { PublicUser } from './repository.ts';
import type { SessionDto, UserDto } from './schemas.ts';
import { issueAccessToken } from './tokens.ts';

export function toUserDto(user: PublicUser): UserDto {
  return {
    id: user.id,
    email: user.email,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

export async function createSession(user: PublicUser, config: Config): Promise<SessionDto> {
  return {
    user: toUserDto(user),
    accessToken: await issueAccessToken(user.id, config),
    tokenType: 'Bearer',
    expiresIn: config.ACCESS_TOKEN_TTL_SECONDS,
  };
}
