// Small numeric helpers of the bench figures.
// Test-only: lives in test-support, never shipped.

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Rounded to 2 decimals (for the JSON line). */
export function round(v: number): number {
  return Math.round(v * 100) / 100;
}
