// A real Better Auth server (the `better-auth` package with its JWT plugin) on loopback, on a Postgres
// database of its own, as an app that already signs its users in with Better Auth would run it. Used by
// the tests that prove this API accepts the access tokens it issues.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import { jwt } from 'better-auth/plugins';
import pg from 'pg';

export interface BetterAuthServer {
  /** Its base URL (http://127.0.0.1:<port>), which is also its default `iss` and `aud`. */
  url: string;
  jwksUrl: string;
  /** How many times its JWKS has been fetched. */
  jwksFetches(): number;
  /** Signs a user up (email + password) and returns the access token the JWT plugin issues for them. */
  signUpAndGetToken(email: string): Promise<string>;
  /** Signs an arbitrary payload with this server's current key (its server-only signJWT endpoint). */
  signPayload(payload: Record<string, unknown>): Promise<string>;
  /** Stops answering (the JWKS becomes unreachable); start() brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface BetterAuthOptions {
  databaseUrl: string;
  /** The JWT plugin's `jwt.issuer` / `jwt.audience`; Better Auth defaults both to its base URL. */
  issuer?: string;
  audience?: string;
}

/** Better Auth's secret here; it also encrypts the JWT plugin's private keys at rest. */
export const BETTER_AUTH_SERVER_SECRET = 'better-auth-test-secret-0123456789-abcdefghijklmnop';

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startBetterAuth(options: BetterAuthOptions): Promise<BetterAuthServer> {
  let handle: ReturnType<typeof toNodeHandler> | undefined;
  let jwksFetches = 0;
  const makeServer = () =>
    createServer((request, response) => {
      if (request.url === '/api/auth/jwks') jwksFetches += 1;
      handle?.(request, response);
    });
  let server = makeServer();
  const port = await listen(server);
  const url = `http://127.0.0.1:${port}`;
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
  const auth = betterAuth({
    baseURL: url,
    secret: BETTER_AUTH_SERVER_SECRET,
    database: pool,
    emailAndPassword: { enabled: true },
    telemetry: { enabled: false },
    plugins: [jwt({ jwt: { issuer: options.issuer, audience: options.audience } })],
  });
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();
  handle = toNodeHandler(auth);

  return {
    url,
    jwksUrl: `${url}/api/auth/jwks`,
    jwksFetches: () => jwksFetches,
    async signUpAndGetToken(email) {
      const signUp = await fetch(`${url}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: url },
        body: JSON.stringify({ email, password: 'better auth password', name: email.split('@')[0] }),
      });
      if (!signUp.ok) throw new Error(`Better Auth sign-up: ${signUp.status} ${await signUp.text()}`);
      const cookie = signUp.headers
        .getSetCookie()
        .map((entry) => entry.split(';')[0])
        .join('; ');
      const token = await fetch(`${url}/api/auth/token`, { headers: { Cookie: cookie, Origin: url } });
      if (!token.ok) throw new Error(`Better Auth /token: ${token.status} ${await token.text()}`);
      return ((await token.json()) as { token: string }).token;
    },
    async signPayload(payload) {
      const { token } = await auth.api.signJWT({ body: { payload } });
      return token;
    },
    stop: () => closeServer(server),
    async start() {
      server = makeServer();
      await listen(server, port);
    },
    async close() {
      if (server.listening) await closeServer(server);
      await pool.end();
    },
  };
}
