// The line `npm run dev` prints for each email the outbox writes: to whom, its subject, its file, and the
// link in it (a reset or verification link the developer can open).
import { relative } from 'node:path';
import type { OutboxMessage } from './mail-outbox.ts';

/** The notice for one message; its file is shown relative to `baseDir` (the repository). */
export function mailNotice(message: OutboxMessage, baseDir: string): string {
  const link = message.text.match(/https?:\/\/\S+/)?.[0];
  return (
    `dev: email to ${message.to} ("${message.subject}") written to ${relative(baseDir, message.file)}` +
    (link ? `\ndev:   link: ${link}` : '')
  );
}
