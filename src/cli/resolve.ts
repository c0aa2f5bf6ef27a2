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
import { localZone, UnknownZoneError, zoneRenderer } from "../render/time-zone.js";
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
}

export interface RunConfig {
  sources: Source[];
  filter: RecordFilter;
  warnings: string[];
  color: boolean;
  time: TimeRenderer;
}

export interface Environment {
  env: NodeJS.ProcessEnv;
  stdoutIsTTY: boolean;
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
  return {
    sources,
    filter: new RecordFilter(criteria),
    warnings,
    color: useColor((opts.color ?? "auto") as ColorMode, environment.stdoutIsTTY, environment.env),
    time: await timeRenderer(opts),
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

function parseWhere(text: string): WhereClause {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new UsageError(`--where '${text}': expected key=value`);
  return { key: text.slice(0, eq), value: text.slice(eq + 1) };
}

async function timeRenderer(opts: ParsedOptions): Promise<TimeRenderer> {
  if (opts.tz !== undefined && opts.local) {
    throw new UsageError("--tz and --local cannot be used together");
  }
  const zone = opts.tz ?? (opts.local ? localZone() : undefined);
  if (zone === undefined) return timeAsWritten;
  try {
    return await zoneRenderer(zone);
  } catch (err) {
    if (err instanceof UnknownZoneError) throw new UsageError(`--tz: ${err.message}`);
    throw err;
  }
}
