import type { AccountList } from '@meridian/contracts';

/** A signed-in HTTP client for API tests: session cookie + CSRF token, like the web app. */
export class ApiSession {
  private cookie = '';
  private csrf = '';

  constructor(readonly base: string) {}

  static async login(base: string, email: string, password: string): Promise<ApiSession> {
    const s = new ApiSession(base);
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    if (!res.ok) throw new Error(`login as ${email}: HTTP ${res.status} ${await res.text()}`);
    s.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    s.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
    return s;
  }

  /** JSON unless `headers` give another content type (then a string body is sent as it is). */
  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T; text: string }> {
    const raw = headers['content-type'] !== undefined && typeof body === 'string';
    const send = () =>
      fetch(`${this.base}${path}`, {
        method,
        headers: { cookie: this.cookie, 'x-csrf-token': this.csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : raw ? (body as string) : JSON.stringify(body),
      });
    // The server shares this process: after a few seconds of the test's own synchronous work, its
    // keep-alive timer closes the pooled connections just as the next request reuses one. A GET is
    // sent again then, as browsers do for idempotent requests (RFC 9110 §9.2.2); each reset drops one
    // dead pooled connection (a pool can hold many), so enough attempts reach a live or new one.
    const reset = (e: unknown) => e instanceof TypeError && /ECONNRESET|other side closed/.test(String((e as { cause?: unknown }).cause));
    let res: Response | undefined;
    for (let attempt = 1; !res; attempt++) {
      res = await send().catch((e: unknown) => {
        if (method === 'GET' && attempt <= 20 && reset(e)) return undefined;
        throw e;
      });
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed as T, text };
  }

  /** Headers that authenticate a raw fetch (downloads). */
  headers(): Record<string, string> {
    return { cookie: this.cookie, 'x-csrf-token': this.csrf };
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }

  /**
   * Waits until the demo's six accounts (or the simulator profile's `accounts`) have every stream synced. The demo sync shares its process
   * (and, in CI, two cores) with the simulator and other suites: ~15 s alone, several times that under
   * load, so the bound is generous; a timeout names the streams still pending.
   */
  async waitForDemoSync(timeoutMs = 180_000, accounts = 6): Promise<AccountList> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { body } = await this.get<AccountList>('/api/accounts');
      if (body.items.length === accounts && body.items.every((a) => a.streams.every((s) => s.lastStatus === 'succeeded'))) return body;
      if (Date.now() > deadline) {
        const pending = body.items.flatMap((a) => a.streams.filter((s) => s.lastStatus !== 'succeeded').map((s) => `${a.id}/${s.stream}: ${s.lastStatus} ${s.lastError ?? ''}`));
        throw new Error(`demo accounts not synced in ${timeoutMs / 1000} s (${body.items.length} accounts): ${pending.join('; ')}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
