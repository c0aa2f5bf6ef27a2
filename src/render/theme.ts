/**
 * Colour as a capability: views style semantic roles (header, service, critical path, warning,
 * error, dim) through a theme; the plain theme has the same shape and adds nothing, so output
 * without colour (pipes, tests, --color never) keeps every marker readable.
 */
import { Chalk, type ChalkInstance } from "chalk";

export interface Theme {
  readonly color: boolean;
  header(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  warn(s: string): string;
  error(s: string): string;
  /** The colour of the i-th service of a view. */
  service(s: string, index: number): string;
  /** A critical-path row's emphasis. */
  critical(s: string): string;
}

const identity = (s: string): string => s;

export const PLAIN_THEME: Theme = {
  color: false,
  header: identity,
  dim: identity,
  bold: identity,
  warn: identity,
  error: identity,
  service: identity,
  critical: identity,
};

export function colorTheme(): Theme {
  const c: ChalkInstance = new Chalk({ level: 1 });
  const palette = [
    c.cyan,
    c.magenta,
    c.yellow,
    c.green,
    c.blue,
    c.red,
    c.cyanBright,
    c.magentaBright,
  ];
  return {
    color: true,
    header: (s) => c.bold(s),
    dim: (s) => c.dim(s),
    bold: (s) => c.bold(s),
    warn: (s) => c.yellow(s),
    error: (s) => c.red.bold(s),
    service: (s, i) => (palette[i % palette.length] as ChalkInstance)(s),
    critical: (s) => c.bold.underline(s),
  };
}

export function themeFor(color: boolean): Theme {
  return color ? colorTheme() : PLAIN_THEME;
}
