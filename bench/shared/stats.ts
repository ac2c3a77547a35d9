/**
 * The two statistics every benchmark reports: the median of repeated rounds
 * (the machine is shared and noisy; medians, not means) and a percentile of
 * latencies already sorted ascending.
 */

/** The middle value (the mean of the two middle ones for an even count); NaN when there is none. */
export function median(xs: readonly number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The p-th percentile (0-100) of values sorted ascending, nearest rank; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
