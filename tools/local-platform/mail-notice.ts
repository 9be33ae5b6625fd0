// The line `npm run dev` prints for each email the outbox writes: to whom, its subject, its file, and the
// link in it (a reset or verification link the developer can open). Every field may come from whoever
// posted the message, so control characters are shown escaped, never sent to the terminal, where an
// ESC sequence could clear the screen, retitle the window or hide a line, and a line break could forge one.
import { relative } from 'node:path';
import type { OutboxMessage } from './mail-outbox.ts';

// C0, DEL and C1 (Unicode's Cc), and the line and paragraph separators.
const CONTROL = /[\p{Cc}\u2028\u2029]/gu;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The text with each control character as an escape (`\r`, `\x1b`, `\u2028`). */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0);
    return NAMED[char] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
  });
}

/** The notice for one message; its file is shown relative to `baseDir` (the repository). */
export function mailNotice(message: OutboxMessage, baseDir: string): string {
  const link = message.text.match(/https?:\/\/\S+/)?.[0];
  const safe = escapeControls;
  return (
    `dev: email to ${safe(message.to)} ("${safe(message.subject)}") written to ` +
    `${safe(relative(baseDir, message.file))}` +
    (link ? `\ndev:   link: ${safe(link)}` : '')
  );
}
