// Rate limits count in fixed windows aligned to the clock: miniflare keeps floor(now / period) per key,
// as Cloudflare's binding does. A test that fills a budget and expects the next request refused must do
// it inside one window, or the count starts again half-way and the refusal never comes (CI once saw the
// 61st refresh answered 401 instead of 429).

/** Returns at once when at least `neededMs` of the current window remain; else waits for the next. */
export async function insideOneWindow(periodSeconds = 60, neededMs = 5_000): Promise<void> {
  const periodMs = periodSeconds * 1000;
  const left = periodMs - (Date.now() % periodMs);
  if (left < neededMs) await new Promise((resolve) => setTimeout(resolve, left + 100));
}
