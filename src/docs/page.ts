// The reference page's HTML: Scalar's browser bundle (served from this deployment) rendering the
// OpenAPI document. Written here rather than through @scalar/hono-api-reference, whose HTML renderer
// cost the Worker bundle ~1 KiB gzip for a page this small; the values interpolated are our own.
export interface DocsPage {
  title: string;
  documentUrl: string;
  scriptPath: string;
  /** This response's CSP nonce: the two script tags carry it, nothing else may run. */
  nonce: string;
}

export function renderDocsPage(page: DocsPage): string {
  const config = JSON.stringify({
    url: page.documentUrl,
    withDefaultFonts: false, // Scalar's default fonts come from fonts.scalar.com
    telemetry: false,
  }).replaceAll('<', '\\u003c');
  return `<!doctype html>
<html>
  <head>
    <title>${page.title}</title>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta property="csp-nonce" content="${page.nonce}" />
  </head>
  <body>
    <div id="app"></div>
    <script src="${page.scriptPath}" nonce="${page.nonce}"></script>
    <script nonce="${page.nonce}">Scalar.createApiReference('#app', ${config});</script>
  </body>
</html>`;
}
