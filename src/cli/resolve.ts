/**
 * Parsed arguments to a run configuration: validates everything that can be wrong before any
 * output (a bad option value is a usage error, exit status 2), compiles the filter once and
 * collects the filter's warnings.
 *
 * Receives: the option values yargs parsed. Emits: a `RunConfig`, or throws `UsageError`.
 */
import { EnvFilter } from "../filter/env-filter.js";
import { type FilterCriteria, RecordFilter, type WhereClause } from "../filter/record-filter.js";
import { explainDirectives } from "../filter/warnings.js";
import { describeInput } from "../input/inputs.js";
import type { Source } from "../model/record.js";
import { type TimeRenderer, timeAsWritten } from "../render/dynamo-layout.js";
import { type KeyMatcher, keyMatcher } from "../render/key-glob.js";
import {
  formatUtc,
  localZone,
  UnknownZoneError,
  type UsFormatter,
  zoneFormatter,
} from "../render/time-zone.js";
import { type ColorMode, useColor } from "./color.js";
import { parseTimeBound } from "./time-bound.js";

export class UsageError extends Error {}

export interface ParsedOptions {
  inputs?: string[];
  filter?: string;
  "dynamo-defaults"?: boolean;
  since?: string;
  until?: string;
  where?: string[];
  tz?: string;
  local?: boolean;
  color?: string;
  width?: number;
  wide?: boolean;
  hide?: string | string[];
  source?: boolean;
  raw?: boolean;
}

export interface RunConfig {
  sources: Source[];
  filter: RecordFilter;
  warnings: string[];
  color: boolean;
  /** Record times: as written, or re-rendered in the chosen zone. */
  time: TimeRenderer;
  /** Times computed by dynlog (span starts): in the chosen zone, UTC by default. */
  formatUs: UsFormatter;
  /** Width views fit (`--width`, else COLUMNS, else the terminal's, else 120). */
  width: number;
  /** `--wide`: views show every column whole, whatever the width. */
  wide: boolean;
  /** `--hide`: field keys left out of displayed records; null when none are. */
  hidden: KeyMatcher | null;
  /** `--source`: `convert` shows each line's source column, as `tail` does. */
  sourceColumn: boolean;
  /** Output may reach a terminal (standard output is one, or colour was asked for). */
  terminal: boolean;
  /** `--raw`: write control characters from the data as they are, even to a terminal. */
  raw: boolean;
  /** What this configuration was made from, so a worker thread can make the same one. */
  made: { options: ParsedOptions; environment: Environment };
}

export interface Environment {
  env: NodeJS.ProcessEnv;
  stdoutIsTTY: boolean;
  stdoutColumns: number | undefined;
  nowUs: number;
}

export async function resolveConfig(
  opts: ParsedOptions,
  environment: Environment,
): Promise<RunConfig> {
  const words = opts.inputs && opts.inputs.length > 0 ? opts.inputs : ["-"];
  const sources = words.map((word, index) => describeInput(word, index));
  const warnings: string[] = [];
  let env: EnvFilter | null = null;
  if (opts.filter !== undefined || opts["dynamo-defaults"]) {
    env = new EnvFilter(opts.filter ?? "", { dynamoDefaults: opts["dynamo-defaults"] === true });
    warnings.push(...explainDirectives(env.reports).map((w) => `--filter: ${w}`));
  }
  const criteria: FilterCriteria = {
    env,
    where: (opts.where ?? []).map(parseWhere),
    sinceUs: bound(opts.since, "--since", environment.nowUs),
    untilUs: bound(opts.until, "--until", environment.nowUs),
  };
  const formatUs = await usFormatter(opts);
  const color = useColor(
    (opts.color ?? "auto") as ColorMode,
    environment.stdoutIsTTY,
    environment.env,
  );
  return {
    sources,
    filter: new RecordFilter(criteria),
    warnings,
    color,
    time:
      zoneOf(opts) === undefined
        ? timeAsWritten
        : (rec) => (Number.isNaN(rec.timeUs) ? rec.time : formatUs(rec.timeUs)),
    formatUs,
    width: widthOf(opts.width, environment.env.COLUMNS, environment.stdoutColumns),
    wide: opts.wide === true,
    hidden: keyMatcher(([] as string[]).concat(opts.hide ?? [])),
    sourceColumn: opts.source === true,
    terminal: environment.stdoutIsTTY || color,
    raw: opts.raw === true,
    made: { options: opts, environment },
  };
}

function widthOf(
  option: number | undefined,
  variable: string | undefined,
  columns: number | undefined,
): number {
  if (option !== undefined) {
    if (!Number.isInteger(option) || option < 40 || option > 1000) {
      throw new UsageError(`--width ${option}: expected a whole number of columns from 40 to 1000`);
    }
    return option;
  }
  const fromEnv = variable !== undefined && /^[0-9]+$/.test(variable) ? Number(variable) : 0;
  if (fromEnv >= 40) return Math.min(fromEnv, 1000);
  return columns && columns >= 40 ? columns : 120;
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

function parseWhere(text: string): WhereClause {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new UsageError(`--where '${text}': expected key=value`);
  return { key: text.slice(0, eq), value: text.slice(eq + 1) };
}

function zoneOf(opts: ParsedOptions): string | undefined {
  if (opts.tz !== undefined && opts.local) {
    throw new UsageError("--tz and --local cannot be used together");
  }
  return opts.tz ?? (opts.local ? localZone() : undefined);
}

async function usFormatter(opts: ParsedOptions): Promise<UsFormatter> {
  const zone = zoneOf(opts);
  if (zone === undefined) return formatUtc;
  try {
    return await zoneFormatter(zone);
  } catch (err) {
    if (err instanceof UnknownZoneError) throw new UsageError(`--tz: ${err.message}`);
    throw err;
  }
}
