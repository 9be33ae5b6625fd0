// openapi-fetch answers `{ data, error, response }`; the package's methods answer the data or throw a
// typed error (errors.ts), so an app never forgets to look at `error`.
import { ApiError, NetworkError } from './errors.js';

export interface Sent<T> {
  data: T;
  response: Response;
}

export async function send<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<Sent<T>> {
  let result: Awaited<typeof pending>;
  try {
    result = await pending;
  } catch (error) {
    // The app's own abort (its AbortSignal) stays an AbortError: that is not the network failing.
    if (error instanceof ApiError || error instanceof NetworkError || (error as Error)?.name === 'AbortError') {
      throw error;
    }
    throw new NetworkError(error);
  }
  if (!result.response.ok) throw new ApiError(result.response, result.error);
  return result as Sent<T>;
}
