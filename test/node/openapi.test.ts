// The OpenAPI document: valid OpenAPI 3.1 (checked by a real validator), and exactly the routes the
// app serves — generated from the same definitions that route and validate requests.
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { createApp } from '../../src/app.ts';
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_CODE_POINTS } from '../../src/auth/accounts/passwords.ts';
import { MAX_EMAIL_LENGTH } from '../../src/auth/schemas.ts';
import { MAX_ACCESS_TOKEN_TTL_SECONDS } from '../../src/config.ts';
import { MAX_TASK_ID } from '../../src/db/schema.ts';
import { OPENAPI_PATH, openApiDocument } from '../../src/docs/document.ts';
import { DATABASE_RETRY_AFTER_SECONDS, type ProblemCode, statusesOf } from '../../src/http/errors.ts';
import { AUTH_RATE_LIMIT_PERIOD_SECONDS } from '../../src/http/rate-limit.ts';

/** The codes a problem+json response of the document lists (its schema narrows the shared Problem). */
function problemCodes(response: any): ProblemCode[] {
  const schema = response.content['application/problem+json'].schema;
  return schema.allOf.find((part: any) => part.properties?.code).properties.code.enum;
}

async function document() {
  const app = createApp();
  return { app, doc: JSON.parse(JSON.stringify(openApiDocument(app, 'https://task-api.test'))) as Record<string, any> };
}

describe('GET /api/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const { doc } = await document();
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every route the app serves, and nothing else', async () => {
    const { app, doc } = await document();
    const served = new Set(
      app.routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method} ${route.path}`),
    );
    const documented = new Set(
      Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      ),
    );
    // The document itself is a static asset beside the Worker (it documents its own path too).
    expect([...documented].sort()).toEqual([...served, `GET ${OPENAPI_PATH}`].sort());
    expect(served.size).toBe(26);
  });

  it('declares the bearer scheme, a 401 on every secured operation, and problem+json on every error', async () => {
    const { doc } = await document();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
          if (Number(status) >= 400) {
            expect(Object.keys(response.content), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
          }
        }
        // Which operations are secured, and that they really answer 401, is proven against the Worker
        // from this same document (test/worker/auth/authenticated.test.ts).
        if (operation.security?.length) {
          expect(operation.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
          expect(Object.keys(operation.responses), `${method} ${path}`).toContain('401');
        }
      }
    }
  });

  it('names every operation with a unique camelCase operationId', async () => {
    const { doc } = await document();
    const ids = Object.values(doc.paths as Record<string, Record<string, any>>).flatMap((operations) =>
      Object.values(operations).map((operation) => operation.operationId),
    );
    expect(ids).toHaveLength(27);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('states security on every operation: the bearer scheme, or `[]` on exactly the public ones', async () => {
    const { doc } = await document();
    const publicOperations: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.security, `${method} ${path}`).toBeInstanceOf(Array);
        if (operation.security.length === 0) publicOperations.push(`${method.toUpperCase()} ${path}`);
      }
    }
    // Adding to this list makes an operation public: a decision to review, not a default.
    expect(publicOperations.sort()).toEqual([
      'GET /api/health',
      'GET /api/health/live',
      'GET /api/openapi.json',
      // Authenticated by its single-use ticket (a browser cannot send Authorization on a WebSocket).
      'GET /api/tasks/live',
      'POST /api/auth/password-reset',
      'POST /api/auth/password-reset/confirm',
      'POST /api/auth/refresh',
      'POST /api/auth/signin',
      'POST /api/auth/signup',
      'POST /api/auth/verify-email',
    ]);
  });

  it('429 and 503 declare Retry-After; each error status lists only its own codes', async () => {
    const { doc } = await document();
    let checked = 0;
    for (const operations of Object.values(doc.paths as Record<string, Record<string, any>>)) {
      for (const operation of Object.values(operations)) {
        for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
          if (status === '429' || status === '503') expect(response.headers?.['Retry-After']).toBeDefined();
          if (Number(status) >= 400) {
            for (const code of problemCodes(response)) expect(statusesOf(code)).toContain(Number(status));
            checked += 1;
          }
          if (status === '404') expect(problemCodes(response)).toEqual(['NOT_FOUND']);
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('lists, per operation, only the codes that operation can answer with', async () => {
    const { doc } = await document();
    const codes = (path: string, method: string, status: number) =>
      problemCodes(doc.paths[path][method].responses[status]);
    // requireUser's 401s, never signin's INVALID_CREDENTIALS
    expect(codes('/api/tasks', 'get', 401)).toEqual(['UNAUTHENTICATED', 'TOKEN_EXPIRED']);
    expect(codes('/api/auth/signin', 'post', 401)).toEqual(['INVALID_CREDENTIALS']);
    // a refresh token is refused, but no access token is read
    expect(codes('/api/auth/refresh', 'post', 401)).toEqual(['UNAUTHENTICATED']);
    // email-link tokens only where an email-link token is read
    expect(codes('/api/tasks/{id}', 'get', 400)).toEqual(['VALIDATION_FAILED']);
    expect(codes('/api/auth/verify-email', 'post', 400)).toEqual(['VALIDATION_FAILED', 'TOKEN_INVALID']);
    // each 403 its own
    expect(codes('/api/tasks', 'post', 403)).toEqual(['QUOTA_EXCEEDED']);
    expect(codes('/api/auth/password', 'post', 403)).toEqual(['EXTERNAL_ACCOUNT', 'INVALID_CREDENTIALS']);
    expect(codes('/api/tasks/live', 'get', 403)).toEqual(['ORIGIN_NOT_ALLOWED']);
    // a sign-in provider outage only where requireUser runs; no database outage where nothing is queried
    expect(codes('/api/auth/signup', 'post', 503)).toEqual(['DATABASE_UNAVAILABLE']);
    expect(codes('/api/tasks', 'get', 503)).toEqual(['DATABASE_UNAVAILABLE', 'AUTH_PROVIDER_UNAVAILABLE']);
    expect(doc.paths['/api/auth/password-reset'].post.responses['503']).toBeUndefined();
    // each response says what its own codes mean, and no other code
    const description = doc.paths['/api/tasks'].get.responses['401'].description as string;
    expect(description).toContain('TOKEN_EXPIRED');
    expect(description).not.toContain('INVALID_CREDENTIALS');
  });

  it('every operation declares a 2xx success, but the WebSocket (101)', async () => {
    const { doc } = await document();
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        const successes = Object.keys(operation.responses).filter((status) => /^[12]/.test(status));
        expect(successes, `${method} ${path}`).toEqual(
          path === '/api/tasks/live' ? ['101'] : [expect.stringMatching(/^2/)],
        );
      }
    }
  });

  it('every operation declares 500: the configuration check in front of every route can answer it', async () => {
    const { doc } = await document();
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(Object.keys(operation.responses), `${method} ${path}`).toContain('500');
      }
    }
  });

  it('states the limits the server enforces in the schemas, not only in prose', async () => {
    const { doc } = await document();
    const schemas = doc.components.schemas;
    expect(schemas.SignupBody.properties.email).toMatchObject({ format: 'email', maxLength: MAX_EMAIL_LENGTH });
    expect(schemas.PasswordResetBody.properties.email).toMatchObject({ format: 'email', maxLength: MAX_EMAIL_LENGTH });
    // Characters in JSON Schema; the byte limit the server checks is stricter, and more than 72
    // characters is always more than 72 bytes, so maxLength never admits a password the server refuses
    // for its length in characters.
    const password = { minLength: MIN_PASSWORD_CODE_POINTS, maxLength: MAX_PASSWORD_BYTES };
    expect(schemas.SignupBody.properties.password).toMatchObject(password);
    expect(schemas.ChangePasswordBody.properties.newPassword).toMatchObject(password);
    expect(schemas.PasswordResetConfirmBody.properties.newPassword).toMatchObject(password);
    expect(schemas.PatchTaskBody.minProperties).toBe(1);
    expect(schemas.TaskPage.properties.items.maxItems).toBe(100);
    expect(schemas.Session.properties.expiresIn).toMatchObject({ minimum: 1, maximum: MAX_ACCESS_TOKEN_TTL_SECONDS });

    const taskOperation = doc.paths['/api/tasks/{id}'].patch;
    const parameter = (name: string) => taskOperation.parameters.find((p: any) => p.name === name).schema;
    expect(parameter('id')).toMatchObject({ type: 'integer', format: 'int64', minimum: 1, maximum: MAX_TASK_ID });
    expect(parameter('if-match').maxLength).toBeGreaterThan(0);
    const sessionId = doc.paths['/api/auth/sessions/{id}'].delete.parameters[0].schema;
    expect(sessionId).toMatchObject({ format: 'uuid', minLength: 36, maxLength: 36 });

    // Every Retry-After the server sends lies within the declared bounds.
    const retryAfter = doc.paths['/api/auth/signin'].post.responses['429'].headers['Retry-After'].schema;
    for (const seconds of [AUTH_RATE_LIMIT_PERIOD_SECONDS, DATABASE_RETRY_AFTER_SECONDS]) {
      expect(seconds).toBeGreaterThanOrEqual(retryAfter.minimum);
      expect(seconds).toBeLessThanOrEqual(retryAfter.maximum);
    }
  });

  it('declares its tags, licence, audience, and the JWT practice its bearer scheme follows', async () => {
    const { doc } = await document();
    const declared = (doc.tags as { name: string; description: string }[]).map((tag) => {
      expect(tag.description, tag.name).toBeTruthy();
      return tag.name;
    });
    const used = Object.values(doc.paths as Record<string, Record<string, any>>).flatMap((operations) =>
      Object.values(operations).flatMap((operation) => operation.tags as string[]),
    );
    expect(declared.sort()).toEqual([...new Set(used)].sort());
    expect(doc.info.license).toEqual({ name: 'MIT', identifier: packageJson.license });
    expect(doc.servers).toEqual([{ url: 'https://task-api.test', 'x-internal': false }]);
    expect(doc.components.securitySchemes.bearerAuth.description).toContain('RFC8725');
  });
});

describe('header and email grammars in the document', () => {
  // Each sample is sent to the app; the document's pattern must accept exactly the ones the server does.
  async function grammars() {
    const { app, doc } = await document();
    const header = (path: string, method: string, name: string) =>
      doc.paths[path][method].parameters.find((parameter: { name: string }) => parameter.name === name).schema;
    return {
      app,
      ifMatch: new RegExp(header('/api/tasks/{id}', 'patch', 'if-match').pattern),
      idempotencyKey: new RegExp(header('/api/tasks', 'post', 'idempotency-key').pattern),
      email: new RegExp(doc.components.schemas.SignupBody.properties.email.pattern),
    };
  }

  it('If-Match and Idempotency-Key: the pattern refuses what the schema refuses', async () => {
    const { ifMatch, idempotencyKey } = await grammars();
    const { IfMatchHeaders } = await import('../../src/tasks/if-match.ts');
    for (const value of ['"3"', '*', ' "1", W/"2" ', '3', '"3', 'W/3', '', '"a"b"']) {
      const serverAccepts = IfMatchHeaders.safeParse({ 'if-match': value }).success;
      expect(ifMatch.test(value), `If-Match ${JSON.stringify(value)}`).toBe(serverAccepts);
    }
    expect(idempotencyKey.test('4f8c2e1a-retry')).toBe(true);
    expect(idempotencyKey.test('tab\there')).toBe(false);
    expect(idempotencyKey.test('del\x7f')).toBe(false);
  });

  it('email: the pattern refuses the addresses signup refuses', async () => {
    const { email } = await grammars();
    const { SignupBody } = await import('../../src/auth/schemas.ts');
    for (const address of ['ada@example.com', ' Ada@Example.COM ', 'a|b@example.com', 'a@b', '"q"@example.com']) {
      const serverAccepts = SignupBody.safeParse({ email: address, password: 'long enough pw' }).success;
      expect(email.test(address), address).toBe(serverAccepts);
    }
  });
});
