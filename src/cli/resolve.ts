/**
 * Parsed options to run settings: validates everything that can be wrong before any output (a bad
 * option value is a usage error, exit status 2) and decides what depends on the environment
 * (colour, width, zone). The settings are plain data; `config/run-config.ts` compiles them.
 *
 * Receives: the option values the parser produced, the inputs, the environment. Emits:
 * `RunSettings`, or throws `UsageError`.
 */

import type { RunSettings } from "../config/run-config.js";
import { parseWhere, type WhereClause, WhereSyntaxError } from "../filter/where.js";
import { describeInput } from "../input/inputs.js";
import { checkZone, localZone, UnknownZoneError } from "../render/time-zone.js";
import type { OptionValues } from "./args.js";
import { useColor } from "./color.js";
import type { COMMON_OPTIONS } from "./options.js";
import { parseTimeBound } from "./time-bound.js";

export class UsageError extends Error {}

/** The options every command takes, and `--width` where a command has it. */
export type CommonValues = OptionValues<typeof COMMON_OPTIONS> & {
  width?: number;
  wide?: boolean;
  hide?: readonly string[];
  source?: boolean;
};

export interface Environment {
  env: NodeJS.ProcessEnv;
  stdoutIsTTY: boolean;
  stdoutColumns: number | undefined;
  stdinIsTTY: boolean;
  nowUs: number;
}

export async function resolveSettings(
  opts: CommonValues,
  inputs: readonly string[],
  environment: Environment,
): Promise<RunSettings> {
  if (inputs.length === 0 && environment.stdinIsTTY) {
    throw new UsageError(
      "no inputs, and standard input is a terminal: name files (or - to read the terminal)",
    );
  }
  const words = inputs.length > 0 ? inputs : ["-"];
  const sources = words.map((word, index) => describeInput(word, index));
  const sinceUs = bound(opts.since, "--since", environment.nowUs);
  const untilUs = bound(opts.until, "--until", environment.nowUs);
  if (sinceUs !== null && untilUs !== null && sinceUs > untilUs) {
    throw new UsageError(
      `--since '${opts.since}' is after --until '${opts.until}': no record can be in between`,
    );
  }
  const color = useColor(opts.color, environment.stdoutIsTTY, environment.env);
  return {
    sources,
    filter: {
      directives: opts.filter ?? null,
      dynamoDefaults: opts["dynamo-defaults"],
      where: await whereClauses(opts.where),
      sinceUs,
      untilUs,
    },
    zone: zoneOf(opts),
    color,
    width: widthOf(opts.width, environment.env.COLUMNS, environment.stdoutColumns),
    wide: opts.wide === true,
    hide: [...(opts.hide ?? [])],
    sourceColumn: opts.source === true,
    terminal: environment.stdoutIsTTY || color,
    raw: opts.raw,
  };
}

function bound(text: string | undefined, option: string, nowUs: number): number | null {
  if (text === undefined) return null;
  const us = parseTimeBound(text, nowUs);
  if (us === null) {
    throw new UsageError(
      `${option} '${text}': expected an RFC 3339 time (2025-10-31T13:52:10Z) or a duration (10m, 2h)`,
    );
  }
  return us;
}

async function whereClauses(texts: readonly string[]): Promise<WhereClause[]> {
  return texts.map((text) => {
    try {
      return parseWhere(text);
    } catch (err) {
      if (err instanceof WhereSyntaxError) {
        throw new UsageError(
          `--where '${text}': ${err.reason} (at character ${err.position + 1})\n` +
            `  ${text}\n  ${" ".repeat(err.position)}^`,
        );
      }
      throw err;
    }
  });
}

function zoneOf(opts: CommonValues): string | null {
  if (opts.tz !== undefined && opts.local) {
    throw new UsageError("--tz and --local cannot be used together");
  }
  const zone = opts.tz ?? (opts.local ? localZone() : null);
  if (zone !== null) {
    try {
      checkZone(zone);
    } catch (err) {
      if (err instanceof UnknownZoneError) throw new UsageError(`--tz: ${err.message}`);
      throw err;
    }
  }
  return zone;
}

/** `--width`, else `COLUMNS` (40 or more), else the terminal's width, else 120. */
function widthOf(
  option: number | undefined,
  variable: string | undefined,
  columns?: number,
): number {
  if (option !== undefined) return option;
  const fromEnv = variable !== undefined && /^[0-9]+$/.test(variable) ? Number(variable) : 0;
  if (fromEnv >= 40) return Math.min(fromEnv, 1000);
  return columns && columns >= 40 ? columns : 120;
}
