// The emails the API sends. Links point at the front end, the token in the fragment (`#token=…`), which
// browsers never send to a server, so it stays out of every access log.
import type { OutgoingEmail } from './transport.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function linkEmail(to: string, subject: string, lines: string[], link: string, action: string): OutgoingEmail {
  const text = [...lines, '', link, ''].join('\n');
  const html = [
    ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(action)}</a></p>`,
    `<p>${escapeHtml(link)}</p>`,
  ].join('\n');
  return { to, subject, text, html };
}

export function passwordResetLink(appUrl: string, token: string): string {
  return `${appUrl}/reset-password#token=${token}`;
}

export function verifyEmailLink(appUrl: string, token: string): string {
  return `${appUrl}/verify-email#token=${token}`;
}

export function passwordResetEmail(to: string, appUrl: string, token: string): OutgoingEmail {
  return linkEmail(
    to,
    'Reset your Task API password',
    [
      'Someone (hopefully you) asked to reset the password of your Task API account.',
      'Open this link within 30 minutes to choose a new one; it works once, and every device will be signed out.',
      'If it was not you, ignore this email: your password stays as it is.',
    ],
    passwordResetLink(appUrl, token),
    'Choose a new password',
  );
}

export function verificationEmail(to: string, appUrl: string, token: string): OutgoingEmail {
  return linkEmail(
    to,
    'Confirm your email address for Task API',
    [
      'Open this link within 24 hours to confirm that this address is yours.',
      'If you did not create a Task API account, ignore this email.',
    ],
    verifyEmailLink(appUrl, token),
    'Confirm my address',
  );
}
