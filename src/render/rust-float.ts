/**
 * How Rust's `{:?}` prints an `f64`, which is how tracing writes a float field in the readable
 * form: the shortest digits that read back as the same value, then
 * - exponent form when the value is not zero and its magnitude is below 1e-4 or at least 1e16:
 *   `1e20`, `1.5e-7`, `-2.5e16` (lower-case `e`, no `+`, no leading zeros);
 * - otherwise plain decimal with at least one digit after the point: `100.0`, `0.0001`, `-0.0`.
 * Dynamo's JSONL (serde_json) writes floats in its own shortest form (`1e15`, `1.0`), so the
 * readable form cannot print the JSON token as it came.
 *
 * Receives: a JSON number token. Emits: the text Rust's Debug prints for that f64.
 */

/** A JSON number token that is a float: it has a fraction or an exponent. */
export function isFloatToken(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 46 || c === 101 || c === 69) return true;
  }
  return false;
}

/** `format!("{:?}", x)` for an f64. */
export function rustDebugFloat(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const abs = Math.abs(x);
  if (abs === 0) return `${sign}0.0`;
  // toExponential() with no argument gives the shortest digits that identify the value.
  const exp = abs.toExponential();
  const e = exp.indexOf("e");
  const digits = exp.slice(0, e).replace(".", "");
  const power = Number(exp.slice(e + 1));
  if (abs < 1e-4 || abs >= 1e16) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}e${power}`;
  }
  if (power < 0) return `${sign}0.${"0".repeat(-power - 1)}${digits}`;
  const whole =
    digits.length > power + 1 ? digits.slice(0, power + 1) : digits.padEnd(power + 1, "0");
  const fraction = digits.length > power + 1 ? digits.slice(power + 1) : "0";
  return `${sign}${whole}.${fraction}`;
}

/** A JSON number token as Rust's readable form prints it: integers as written, floats as `{:?}`. */
export function formatNumberToken(raw: string): string {
  return isFloatToken(raw) ? rustDebugFloat(Number(raw)) : raw;
}
