/** Opaque keyset cursor of the line-item pages: the last row's (account, natural key). */
export function encodeCursor(account: string, key: string): string {
  return Buffer.from(JSON.stringify([account, key])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { account: string; key: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [account, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof account === 'string' && typeof key === 'string') return { account, key };
  } catch {
    // fall through
  }
  return undefined;
}
