/**
 * Styling of Dynamo's readable layout by semantic role. The ANSI style reproduces the exact
 * sequences tracing-subscriber (through nu_ansi_term) writes on a terminal: dimmed time, coloured
 * level, bold span names and target, dimmed colon, italic field names, dimmed `=`; each painted
 * piece is closed with `ESC[0m`. The plain style has the same shape and adds nothing.
 */
import type { Level } from "../model/level.js";

export interface LayoutStyle {
  readonly ansi: boolean;
  time(s: string): string;
  /** `padded` is the level already right-aligned to five columns. */
  level(padded: string, level: Level): string;
  span(name: string): string;
  target(s: string): string;
  colon(): string;
  key(s: string): string;
  equals(): string;
}

const RESET = "\x1b[0m";
/** TRACE purple, DEBUG blue, INFO green, WARN yellow, ERROR red (index = level number). */
const LEVEL_COLOURS = ["", "\x1b[31m", "\x1b[33m", "\x1b[32m", "\x1b[34m", "\x1b[35m"];

export const PLAIN_STYLE: LayoutStyle = {
  ansi: false,
  time: (s) => s,
  level: (padded) => padded,
  span: (name) => name,
  target: (s) => s,
  colon: () => ":",
  key: (s) => s,
  equals: () => "=",
};

export const ANSI_STYLE: LayoutStyle = {
  ansi: true,
  time: (s) => `\x1b[2m${s}${RESET}`,
  level: (padded, level) => `${LEVEL_COLOURS[level]}${padded}${RESET}`,
  span: (name) => `\x1b[1m${name}${RESET}`,
  target: (s) => `\x1b[1m${s}${RESET}`,
  colon: () => `\x1b[2m:${RESET}`,
  key: (s) => `\x1b[3m${s}${RESET}`,
  equals: () => `\x1b[2m=${RESET}`,
};
