/** Lets the event loop run what is queued (I/O callbacks, other requests) before going on. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
