/**
 * Strings kept beyond the life of their line. A substring of 13 or more characters is, in V8, a
 * view into its parent string: a trace id kept in a summary would pin its whole log line. `own`
 * returns an independent copy for such strings, and the string itself when it is short enough to
 * be a copy already. The copy is joined from two pieces: that makes one flat string (slicing a
 * concatenation would make a view into a fresh string, two objects that compare and sort slower).
 */
export function own(s: string): string {
  return s.length > 12 ? [s.slice(0, 12), s.slice(12)].join("") : s;
}
