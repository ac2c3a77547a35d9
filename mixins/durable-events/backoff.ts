/**
 * Delay before the next delivery of a failed event: exponential so a broken
 * dependency is not hammered, capped so a recovered one is picked up soon.
 * `attempt` is the number of deliveries that already failed (1 = first failure).
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  if (attempt < 1) return 0;
  const delay = baseMs * 2 ** (attempt - 1);
  return Math.min(delay, maxMs);
}
