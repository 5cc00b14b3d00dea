/**
 * The api's notion of "now": the real clock, or MERIDIAN_NOW (an ISO instant) to pin it — demos and
 * tests run against a simulator whose clock is pinned the same way. Read at call time, so a test
 * can set it before it starts the app.
 */
export function apiNow(env: NodeJS.ProcessEnv = process.env): Date {
  const pinned = env.MERIDIAN_NOW;
  if (pinned) {
    const d = new Date(pinned);
    if (Number.isNaN(d.getTime())) throw new Error(`MERIDIAN_NOW is not an ISO date: ${pinned}`);
    return d;
  }
  return new Date();
}

/** Today's date (UTC) as YYYY-MM-DD. */
export function apiToday(env: NodeJS.ProcessEnv = process.env): string {
  return apiNow(env).toISOString().slice(0, 10);
}
