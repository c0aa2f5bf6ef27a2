/**
 * Durations for people: `614µs`, `36.95ms`, `4.04s`, `2m05.40s`. Trace views show many of them
 * side by side, so the unit changes at 1 ms and 1 s and the precision stays at two decimals.
 */

export function formatDuration(us: number | null): string {
  if (us === null || !Number.isFinite(us)) return "—";
  const sign = us < 0 ? "-" : "";
  const abs = Math.abs(us);
  if (abs < 1000) return `${sign}${Math.round(abs)}µs`;
  if (abs < 1_000_000) return `${sign}${(abs / 1000).toFixed(2)}ms`;
  if (abs < 60_000_000) return `${sign}${(abs / 1_000_000).toFixed(2)}s`;
  const minutes = Math.floor(abs / 60_000_000);
  const seconds = (abs - minutes * 60_000_000) / 1_000_000;
  return `${sign}${minutes}m${seconds.toFixed(2).padStart(5, "0")}s`;
}

/** An offset from the start of a trace: `0`, `+1.00ms`, `-250µs` (clock skew). */
export function formatOffset(us: number): string {
  if (us === 0) return "0";
  return us > 0 ? `+${formatDuration(us)}` : formatDuration(us);
}

/** Compact axis labels: `0`, `500ms`, `1s`, `1.5s`, `2m`. */
export function formatTick(us: number): string {
  if (us === 0) return "0";
  if (us < 1000) return `${us}µs`;
  if (us < 1_000_000) return `${trim(us / 1000)}ms`;
  if (us < 60_000_000) return `${trim(us / 1_000_000)}s`;
  return `${trim(us / 60_000_000)}m`;
}

function trim(v: number): string {
  return String(Number(v.toFixed(2)));
}
