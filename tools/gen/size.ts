/**
 * Sizes as the generator and the benchmark take them: "100MB", "1GB", "512MiB", "12345" (bytes).
 * Returns the number of bytes, or throws an Error saying what is wrong with the text.
 */

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
};

export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = UNITS[(match?.[2] || "b").toLowerCase()];
  if (match === null || unit === undefined) throw new Error(`invalid size: ${text}`);
  const bytes = Math.round(Number(match[1]) * unit);
  if (bytes <= 0) throw new Error(`size must be positive: ${text}`);
  return bytes;
}
