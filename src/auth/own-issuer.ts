// The `iss` and `aud` of this API's own access tokens. A module of its own because both the tokens
// (tokens.ts) and the configuration's check of external issuers (trusted-issuers.ts, which must refuse
// this name) need it, and tokens.ts depends on the configuration.
export const TOKEN_ISSUER = 'task-api';
export const TOKEN_AUDIENCE = 'task-api';
