/** Small helpers for benchmark figures. */

/** The q-quantile (0..1) of samples by nearest rank; NaN when there are none. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** Milliseconds with one decimal, or "–" when there is no figure. */
export function ms(v: number | null | undefined): string {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : `${v.toFixed(1)} ms`;
}

/** Bytes as MiB with one decimal, or "–". */
export function mib(v: number | null | undefined): string {
  return v === null || v === undefined ? '–' : `${(v / 1024 / 1024).toFixed(1)} MiB`;
}

/** A positive integer from an environment variable, else the fallback. */
export function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}
