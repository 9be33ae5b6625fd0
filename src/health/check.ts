// The database check behind GET /api/health, shared by the requests of one isolate: a healthy result
// is reused for HEALTHY_FOR_MS, so repeated anonymous checks cost no query; a failure is never reused
// (the next request checks again). An outage is therefore reported at the latest by the first check
// after the window, HEALTHY_FOR_MS after the last good one.
export const HEALTHY_FOR_MS = 5_000;

// Per DATABASE_URL (an isolate serves one; tests use several), the time until which "healthy" holds.
const healthyUntil = new Map<string, number>();

/** Resolves when the database answered (now, or within the window); rejects with the probe's error. */
export async function checkDatabase(
  key: string,
  probe: () => Promise<unknown>,
  now: () => number = Date.now,
): Promise<'cached' | 'checked'> {
  const until = healthyUntil.get(key);
  if (until !== undefined && now() < until) return 'cached';
  healthyUntil.delete(key);
  await probe();
  healthyUntil.set(key, now() + HEALTHY_FOR_MS);
  return 'checked';
}
