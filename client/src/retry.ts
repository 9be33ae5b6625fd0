// Retries what may succeed later: no answer at all (NetworkError), or 429/503, which say when with
// Retry-After (without one: 1 s, then 2 s, …). A wait longer than `maxWaitSeconds` is not worth holding
// the caller for: the error is surfaced at once and the caller decides.
import { ApiError, NetworkError } from './errors.js';

export interface RetryPolicy {
  /** Tries in all, the first included (default 3). */
  attempts?: number;
  /** The longest Retry-After worth waiting for (default 60). */
  maxWaitSeconds?: number;
}

export async function retrying<T>(policy: RetryPolicy, attempt: () => Promise<T>): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      const api = error instanceof ApiError;
      const wait = (api ? error.retryAfter : null) ?? tried;
      const temporary = error instanceof NetworkError || (api && (error.status === 429 || error.status === 503));
      if (!temporary || tried >= (policy.attempts ?? 3) || wait > (policy.maxWaitSeconds ?? 60)) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
  }
}
