// GET /api/docs: the reference page loads its script from this deployment only, under a CSP that
// allows nothing else (the Chromium test proves it renders offline and that "try it" works).
import { describe, expect, it } from 'vitest';
import { DOCS_SCRIPT_PATH } from '../../../src/docs/routes.ts';
import { api } from '../support/api.ts';

describe('GET /api/docs', () => {
  it('references only this origin, and its CSP allows scripts from here and by this response\u2019s nonce', async () => {
    const response = await api('/api/docs');
    expect(response.status).toBe(200);
    const csp = response.headers.get('Content-Security-Policy') ?? '';
    const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    const html = await response.text();
    expect(html).toContain(`<script src="${DOCS_SCRIPT_PATH}" nonce="${nonce}">`);
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/); // no CDN, no font host
    const again = await api('/api/docs');
    expect(again.headers.get('Content-Security-Policy')).not.toBe(csp); // a fresh nonce per response
  });
});
