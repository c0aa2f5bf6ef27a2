/**
 * `--hide` patterns: field keys, where `*` stands for any run of characters (`http_*`, `*_id`)
 * and everything else is itself. A key is hidden when any pattern matches it whole.
 *
 * Receives: patterns. Emits: a key predicate, or null when there are none (nothing to check).
 */
export type KeyMatcher = (key: string) => boolean;

export function keyMatcher(patterns: readonly string[]): KeyMatcher | null {
  if (patterns.length === 0) return null;
  const exact = new Set(patterns.filter((p) => !p.includes("*")));
  const globbed = patterns.filter((p) => p.includes("*"));
  if (globbed.length === 0) return (key) => exact.has(key);
  const source = globbed
    .map((p) =>
      p
        .split("*")
        .map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, "\\$&"))
        .join(".*"),
    )
    .join("|");
  const glob = new RegExp(`^(?:${source})$`, "s");
  return (key) => exact.has(key) || glob.test(key);
}
