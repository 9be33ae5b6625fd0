// Email links carry their token in the URL fragment (#token=…), which a browser never sends to a server.
// It is read once and then removed from the address bar and the history entry, so it does not linger
// where it can be copied, bookmarked or shared.
export function takeToken(): string | null {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  return token;
}
