// Builds the API reference at /api/docs as Workers static assets: its page, its start-up script, and the
// browser bundle of @scalar/api-reference (at the version package-lock.json pins), so the reference needs
// nothing from the internet and no code in the Worker. wrangler runs this before `wrangler dev` and
// `wrangler deploy` ([build] in wrangler.toml).
//
// Layout (with the assets' default html_handling, "auto-trailing-slash"):
//   .assets/api/docs.html       the page, served at /api/docs (/api/docs.html and /api/docs/ redirect there)
//   .assets/api/docs/init.js    the start-up script: a file, not inline, so the CSP needs no nonce
//   .assets/api/docs/scalar.js  Scalar's standalone bundle
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The package's `exports` hide package.json and dist/browser, so it is read from node_modules directly.
const packageDir = join(root, 'node_modules', '@scalar', 'api-reference');
const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

/** The OpenAPI document (src/docs/document.ts, OPENAPI_PATH): client/openapi.json, which CI keeps current. */
const OPENAPI_PATH = '/api/openapi.json';
const SCRIPT_PATH = '/api/docs/scalar.js';
const INIT_PATH = '/api/docs/init.js';

/**
 * Scripts: files from this origin only (no inline script, no eval). Styles: the reference injects its
 * stylesheet at run time, so inline styles are allowed; nothing else may be loaded from anywhere but this
 * origin, and requests from "try it" go only to this API.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const config = {
  url: OPENAPI_PATH,
  withDefaultFonts: false, // Scalar's default fonts come from fonts.scalar.com
  telemetry: false,
  // Scalar's cloud features would send the document to scalar.com (and the CSP refuses them anyway, with
  // console errors): no "Ask AI" agent, no MCP, no developer tools ("Generate SDK").
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: 'never',
  // Try-it starts with the bearer scheme selected: paste an access token and send.
  authentication: { preferredSecurityScheme: 'bearerAuth' },
};
const init = `Scalar.createApiReference('#app', ${JSON.stringify(config)});\n`;
const page = `<!doctype html>
<html>
  <head>
    <title>Task API reference</title>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
  </head>
  <body>
    <div id="app"></div>
    <script src="${SCRIPT_PATH}"></script>
    <script src="${INIT_PATH}"></script>
  </body>
</html>
`;

// Static assets bypass the Worker and its middleware: their headers are set here. The page and its
// scripts change only with a deployment, so they may be cached briefly. HSTS as the Worker sends it
// (browsers ignore it over plain http, so local work is unaffected).
const assetHeaders = [
  'X-Content-Type-Options: nosniff',
  'Referrer-Policy: no-referrer',
  'Strict-Transport-Security: max-age=63072000; includeSubDomains',
  'Cache-Control: public, max-age=300',
];
const headers = `/api/docs
${[`Content-Security-Policy: ${CONTENT_SECURITY_POLICY}`, ...assetHeaders].map((line) => `  ${line}\n`).join('')}/api/docs/*
${assetHeaders.map((line) => `  ${line}\n`).join('')}${OPENAPI_PATH}
${assetHeaders.map((line) => `  ${line}\n`).join('')}`;

const assets = join(root, '.assets');
const docs = join(assets, 'api', 'docs');
mkdirSync(docs, { recursive: true });
copyFileSync(join(packageDir, 'dist', 'browser', 'standalone.js'), join(docs, 'scalar.js'));
writeFileSync(join(docs, 'init.js'), init);
writeFileSync(join(assets, 'api', 'docs.html'), page);
// The committed document, naming as its server whatever origin serves it (a relative URL).
const document = JSON.parse(readFileSync(join(root, 'client', 'openapi.json'), 'utf8'));
writeFileSync(join(assets, 'api', 'openapi.json'), JSON.stringify({ ...document, servers: [{ url: '/' }] }));
writeFileSync(join(assets, '_headers'), headers);
// .gitkeep keeps the (otherwise generated) directory in git; it is not an asset.
writeFileSync(join(assets, '.assetsignore'), '.gitkeep\n');
console.log(`docs assets: /api/docs with @scalar/api-reference ${version} -> .assets/api/docs.html, .assets/api/docs/`);
