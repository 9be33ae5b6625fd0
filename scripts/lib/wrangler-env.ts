// The environment for running wrangler from a script, non-interactively: no request for Cloudflare's
// `cf` object (no network), no usage metrics, no colour codes in the output the script reads. Imports
// nothing, so a script that only builds (bundle-size.ts) does not load the dev-server helpers.
export function quietWranglerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', FORCE_COLOR: '0' };
}
