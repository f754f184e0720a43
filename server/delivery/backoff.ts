/** The first retry comes within 10 s (issue #14): 5 s, then doubling, capped at 5 minutes. */
export const FIRST_RETRY_MS = 5_000;
export const MAX_GAP_MS = 5 * 60_000;

/**
 * The wait before retry number `failures` (1 after the first failure): exponential with "equal
 * jitter" (half fixed, half random), so retries of many endpoints spread out but never come sooner
 * than half the nominal gap.
 */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const nominal = Math.min(MAX_GAP_MS, FIRST_RETRY_MS * 2 ** Math.max(0, Math.min(failures - 1, 20)));
  return Math.round(nominal / 2 + random() * (nominal / 2));
}
