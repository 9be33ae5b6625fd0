// Structured logging: one JSON object per line, so Workers Logs can query fields. Values are
// strings/numbers chosen by the caller; never pass a password, token or hash.
export type LogLevel = 'info' | 'warn' | 'error';

export function logEvent(level: LogLevel, fields: Record<string, unknown>): void {
  // JSON.stringify escapes CR/LF and quotes, so logged input cannot forge extra lines; it leaves U+2028
  // and U+2029 raw, which some log viewers break lines at, so those are escaped too (still valid JSON).
  const line = JSON.stringify({ level, time: new Date().toISOString(), ...fields }).replace(
    /[\u2028\u2029]/g,
    (separator) => `\\u${separator.charCodeAt(0).toString(16)}`,
  );
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
