// Request and response shapes of the auth routes: these zod schemas validate requests and generate
// the OpenAPI document.
import { Timestamp } from '../lib/timestamp.ts';
import * as z from '../lib/zod.ts';
import { codePointLength, MAX_PASSWORD_BYTES, MIN_PASSWORD_CODE_POINTS, utf8Length } from './accounts/passwords.ts';

export const MAX_EMAIL_LENGTH = 254;
// Signin only checks that credentials are strings of sane length; every mismatch is one 401.
const SANE_LENGTH = 1024;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const EmailAddress = z.email('must be an email address');

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(MAX_EMAIL_LENGTH, `must be at most ${MAX_EMAIL_LENGTH} characters`)
  .pipe(EmailAddress)
  .openapi({
    format: 'email',
    // What z.email() accepts (its own pattern), around the spaces that are trimmed: `format: email` alone
    // would promise addresses (quoted parts, `|`, IP literals) that the server refuses.
    pattern: `^\\s*${EmailAddress._zod.def.pattern?.source.slice(1, -1)}\\s*$`,
    example: 'ada@example.com',
    description: 'Trimmed and lower-cased before it is checked, stored or looked up',
  });

export const NewPassword = z
  .string()
  .refine((password) => codePointLength(password) >= MIN_PASSWORD_CODE_POINTS, {
    error: `must be at least ${MIN_PASSWORD_CODE_POINTS} characters`,
  })
  .refine((password) => utf8Length(password) <= MAX_PASSWORD_BYTES, {
    error: `must be at most ${MAX_PASSWORD_BYTES} bytes in UTF-8`,
  })
  .openapi({
    // JSON Schema counts characters, not bytes: more than 72 characters is always more than 72 bytes, so
    // maxLength is a true bound, but the byte limit (in the description) is the one the server checks.
    minLength: MIN_PASSWORD_CODE_POINTS,
    maxLength: MAX_PASSWORD_BYTES,
    example: 'correct horse battery staple',
    description: `At least ${MIN_PASSWORD_CODE_POINTS} characters, at most ${MAX_PASSWORD_BYTES} UTF-8 bytes (so ${MAX_PASSWORD_BYTES} characters only if all are ASCII); no composition rules`,
  });

const SanePassword = z.string().min(1).max(SANE_LENGTH).openapi({ example: 'correct horse battery staple' });

export const SignupBody = z.strictObject({ email: Email, password: NewPassword }).openapi('SignupBody');
export const SigninBody = z
  .strictObject({
    email: z.string().min(1).max(SANE_LENGTH).openapi({ example: 'ada@example.com' }),
    password: SanePassword,
  })
  .openapi('SigninBody');
export const ChangePasswordBody = z
  .strictObject({ currentPassword: SanePassword, newPassword: NewPassword })
  .openapi('ChangePasswordBody');
const EmailToken = z
  .string()
  .min(1)
  .max(SANE_LENGTH)
  .openapi({ description: 'The token from the link in the email (its #token= fragment)' });

export const PasswordResetBody = z.strictObject({ email: Email }).openapi('PasswordResetBody');
export const PasswordResetConfirmBody = z
  .strictObject({ token: EmailToken, newPassword: NewPassword })
  .openapi('PasswordResetConfirmBody');
export const VerifyEmailBody = z.strictObject({ token: EmailToken }).openapi('VerifyEmailBody');
/** The body of a 202: nothing to say (in particular, not whether an email went out). */
export const Accepted = z.strictObject({}).openapi('Accepted');

export const DeleteAccountBody = z.strictObject({ password: SanePassword }).openapi('DeleteAccountBody');

export const User = z
  .object({
    id: z.string().openapi({ format: 'uuid', example: '0b9e1f4e-5a0c-4a5e-9d57-4f1c2f0e8b11' }),
    email: z.string().nullable().openapi({
      example: 'ada@example.com',
      description: 'null for an account of a trusted external issuer, which owns the address',
    }),
    emailVerified: z.boolean().openapi({ description: 'Whether the address was confirmed through a link sent to it' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('User');

export const Session = z
  .object({
    user: User,
    sessionId: z.string().openapi({ format: 'uuid', description: 'The session these tokens belong to' }),
    accessToken: z.string().openapi({
      description: 'HS256 JWT naming the user (sub) and the session (sid); send as Authorization: Bearer <token>',
    }),
    tokenType: z.literal('Bearer'),
    // The maximum is config.ts's bound on ACCESS_TOKEN_TTL_SECONDS (a test compares them; not imported,
    // since the browser example type-checks this file without the Worker's types).
    expiresIn: z
      .number()
      .int()
      .openapi({
        format: 'int32',
        minimum: 1,
        maximum: 24 * 3600,
        description: 'Seconds until the access token expires',
        example: 900,
      }),
    refreshToken: z.string().openapi({
      description:
        'Opaque, 256 random bits, good for one POST /api/auth/refresh (rotation). Presented again within 10 s of its use it returns the same new token (tabs racing); later, it revokes the whole session.',
    }),
    refreshExpiresAt: Timestamp.openapi({
      description: 'When the session ends unless refreshed before (never after its absolute end)',
    }),
  })
  .openapi('Session');

export const RefreshBody = z
  .strictObject({ refreshToken: z.string().min(1).max(SANE_LENGTH).openapi({ description: 'Session.refreshToken' }) })
  .openapi('RefreshBody');

export const SessionInfo = z
  .object({
    id: z.string().openapi({ format: 'uuid' }),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.openapi({ description: 'Signin or the latest refresh' }),
    expiresAt: Timestamp.openapi({ description: 'When the session ends unless refreshed before' }),
    userAgent: z.string().nullable(),
    current: z.boolean().openapi({ description: 'The session of the access token making this request' }),
  })
  .openapi('SessionInfo');

// At most MAX_LIVE_SESSIONS (sessions/repository.ts): opening one more ends the least recently used.
export const SessionList = z.object({ items: z.array(SessionInfo).max(100) }).openapi('SessionList');

export const SessionIdParams = z.object({
  id: z
    .string()
    .regex(
      /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
      'must be a session id (UUID)',
    )
    .transform((id) => id.toLowerCase())
    .openapi({ param: { name: 'id', in: 'path' }, format: 'uuid', minLength: 36, maxLength: 36 }),
});

export const UserEnvelope = z.object({ user: User }).openapi('UserEnvelope');

export type UserDto = z.infer<typeof User>;
export type SessionDto = z.infer<typeof Session>;
export type SessionInfoDto = z.infer<typeof SessionInfo>;
