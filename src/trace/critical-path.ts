/**
 * The critical path: the chain of spans that determined the end-to-end time. From a root, take the
 * child that finished last; then, walking backwards from that child's start, the child that
 * finished latest before it, and so on; and repeat inside every span taken. Spans that overlap
 * the one taken (work done in parallel) are not on the path.
 *
 * Receives: trace roots. Emits: `critical = true` on the spans of the path (of the root that ends
 * last, or of every root when they are unrelated requests).
 */
import type { Span } from "./span.js";

export function markCriticalPath(roots: Span[]): void {
  if (roots.length === 0) return;
  let last = roots[0] as Span;
  for (const r of roots) if (r.endUs > last.endUs) last = r;
  const stack: Span[] = [last];
  while (stack.length > 0) {
    const span = stack.pop() as Span;
    span.critical = true;
    let cursor = span.endUs;
    const children = [...span.children].sort((a, b) => b.endUs - a.endUs);
    for (const child of children) {
      if (child.endUs > cursor) continue;
      stack.push(child);
      cursor = child.startUs;
    }
    // The child ending last is on the path even when clock skew puts its end past its parent's.
    if (children.length > 0 && !children.some((c) => c.endUs <= span.endUs)) {
      stack.push(children[0] as Span);
    }
  }
}
