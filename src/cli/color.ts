/**
 * Whether to colour: `always`/`never` are obeyed; `auto` colours a terminal unless NO_COLOR is set
 * (no-color.org) or TERM is `dumb`. FORCE_COLOR (any value but 0/false) turns `auto` on even into
 * a pipe, as chalk and most tools read it.
 */

export type ColorMode = "auto" | "always" | "never";

export function useColor(mode: ColorMode, isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (mode === "always") return true;
  if (mode === "never") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTTY && env.TERM !== "dumb";
}
