// Reading what nodemailer sends, for tests that receive mail on a real SMTP server (notify's own and
// the alerting ones): decoded headers and decoded text/html parts.

/** Just enough MIME to read a nodemailer message: decoded headers and decoded text/html parts. */
export function parseMail(raw: string): { headers: Record<string, string>; text: string; html: string } {
  const [head] = raw.split(/\r?\n\r?\n/);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  return { headers, text: mailPart(raw, 'text/plain'), html: mailPart(raw, 'text/html') };
}

/** The decoded body of the first MIME part of a content type ('text/csv' for an attachment), '' if none. */
export function mailPart(raw: string, type: string): string {
  const m = new RegExp(`Content-Type: ${type}[^\\r\\n]*\\r?\\n((?:[^\\r\\n]+\\r?\\n)*)\\r?\\n([\\s\\S]*?)(?:\\r?\\n--|$)`, 'i').exec(raw);
  if (!m) return '';
  const encoding = /Content-Transfer-Encoding: (\S+)/i.exec(m[1])?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(m[2].replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(m[2]);
  return m[2];
}

function decodeQuotedPrintable(s: string): string {
  const bytes = s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => `%${h}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
}

function decodeWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}
