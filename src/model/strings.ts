/**
 * Strings kept beyond the life of their line. A substring of 13 or more characters is, in V8, a
 * view into its parent string: a trace id kept in a summary would pin its whole log line. `own`
 * returns an independent copy for such strings (concatenation then slicing flattens into a fresh
 * string one character longer), and the string itself when it is short enough to be a copy already.
 */
export function own(s: string): string {
  return s.length > 12 ? ` ${s}`.slice(1) : s;
}
