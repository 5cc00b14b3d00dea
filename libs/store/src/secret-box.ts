import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const VERSION = 'v1';

/**
 * AES-256-GCM for Partner Center secrets at rest. The key comes from MERIDIAN_SECRET_KEY (32 bytes,
 * base64 or hex) or from a key file generated once in the data directory (mode 0600).
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromKey(key: Buffer): SecretBox {
    if (key.length !== 32) throw new Error('secret key must be 32 bytes (AES-256)');
    return new SecretBox(key);
  }

  static generateKey(): string {
    return crypto.randomBytes(32).toString('base64');
  }

  static keyFile(dataDir: string): string {
    return path.join(dataDir, 'secret.key');
  }

  static fromEnv(dataDir: string, env: NodeJS.ProcessEnv = process.env): SecretBox {
    const fromEnv = env.MERIDIAN_SECRET_KEY;
    if (fromEnv) return SecretBox.fromKey(parseKey(fromEnv));
    const file = SecretBox.keyFile(dataDir);
    if (!fs.existsSync(file)) {
      fs.mkdirSync(dataDir, { recursive: true });
      try {
        fs.writeFileSync(file, SecretBox.generateKey() + '\n', { mode: 0o600, flag: 'wx' });
      } catch (err) {
        // Another process created it first: use theirs.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    return SecretBox.fromKey(parseKey(fs.readFileSync(file, 'utf8').trim()));
  }

  /** HMAC-SHA256 with a subkey of the secret key (signed cookies): base64url. */
  sign(data: string): string {
    const subkey = crypto.createHmac('sha256', this.key).update('meridian:signing').digest();
    return crypto.createHmac('sha256', subkey).update(data).digest('base64url');
  }

  verify(data: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(data));
    const given = Buffer.from(signature);
    return expected.length === given.length && crypto.timingSafeEqual(expected, given);
  }

  seal(plaintext: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
  }

  open(envelope: string): string {
    const [version, iv, tag, data] = envelope.split(':');
    if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('unrecognised secret envelope');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  }
}

export function parseKey(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  return Buffer.from(trimmed, 'base64');
}
