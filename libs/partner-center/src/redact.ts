/**
 * Removes credentials (the app secret, access tokens) from text before it reaches an error message
 * or a log event. Defence in depth: no code path is meant to put them there in the first place.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private static readonly MASK = '[redacted]';
  /** Remember at most this many tokens (the current one plus a few recent ones). */
  private static readonly MAX = 16;
  private static readonly SAS_SIGNATURE = /((?:^|[?&\s"'])sig=)[^&\s"']+/gi;

  add(value: string | undefined): void {
    // Very short values would mask innocent text; real secrets and tokens are long.
    if (!value || value.length < 6) return;
    this.secrets.add(value);
    if (this.secrets.size > Redactor.MAX) {
      // Sets iterate in insertion order: drop the oldest token, but never the first entry (the app secret).
      const [, second] = this.secrets;
      if (second !== undefined) this.secrets.delete(second);
    }
  }

  text(value: string): string {
    // A SAS token's signature (`sig=…` in a blob URL or a manifest's sasToken) is a credential
    // minted per export, never registered here: mask it by shape.
    let out = value.replace(Redactor.SAS_SIGNATURE, `$1${Redactor.MASK}`);
    for (const s of this.secrets) {
      if (out.includes(s)) out = out.split(s).join(Redactor.MASK);
    }
    return out;
  }

  /** Redacts every string value of a (shallow or nested) plain log event. */
  value<T>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.value(v)) as T;
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = this.value(v);
      return out as T;
    }
    return value;
  }
}
