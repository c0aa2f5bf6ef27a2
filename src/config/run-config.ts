/**
 * The run configuration: what every command needs to know about a run, decided once by the
 * command line and compiled once per thread.
 *
 * `RunSettings` is plain data (it survives `structuredClone`, so a worker thread receives it as
 * it is); `compileRunConfig` makes what runs from it: the record filter, the time renderers.
 * Commands, sinks and the pipeline read a `RunConfig`; none of them sees argv.
 *
 * Receives: settings. Emits: a compiled configuration.
 */
import { compileFilter, type FilterSpec, type RecordFilter } from "../filter/record-filter.js";
import type { Source } from "../model/record.js";
import { type TimeRenderer, timeAsWritten } from "../render/dynamo-layout.js";
import { type KeyMatcher, keyMatcher } from "../render/key-glob.js";
import { formatUtc, type UsFormatter, zoneFormatter, zoneRenderer } from "../render/time-zone.js";

export interface RunSettings {
  sources: Source[];
  filter: FilterSpec;
  /** IANA zone to print times in; null: record times as written, computed times in UTC. */
  zone: string | null;
  color: boolean;
  /** Width views fit (`--width`, else COLUMNS, else the terminal's, else 120). */
  width: number;
  /** `--wide`: views show every column whole, whatever the width. */
  wide: boolean;
  /** `--hide`: field keys (`*` globs) left out of displayed records. */
  hide: string[];
  /** `--source`: `convert` shows each line's source column, as `tail` does. */
  sourceColumn: boolean;
  /** Output may reach a terminal (standard output is one, or colour was asked for). */
  terminal: boolean;
  /** `--raw`: write control characters from the data as they are, even to a terminal. */
  raw: boolean;
}

export interface RunConfig {
  /** What this configuration was compiled from (hand it to a worker thread). */
  readonly settings: RunSettings;
  readonly sources: Source[];
  readonly filter: RecordFilter;
  /** Directive warnings, to print once before any output. */
  readonly warnings: string[];
  readonly color: boolean;
  /** Record times: as written, or re-rendered in the chosen zone. */
  readonly time: TimeRenderer;
  /** Times computed by dynlog (span starts): in the chosen zone, UTC by default. */
  readonly formatUs: UsFormatter;
  readonly width: number;
  readonly wide: boolean;
  /** `--hide`: field keys left out of displayed records; null when none are. */
  readonly hidden: KeyMatcher | null;
  readonly sourceColumn: boolean;
  readonly terminal: boolean;
  readonly raw: boolean;
}

/** The filter options of a run as a user typed them, for messages: `--where 'a=1', --since ...`. */
export function describeFilter(spec: FilterSpec): string {
  const parts: string[] = [];
  if (spec.directives !== null) parts.push(`--filter '${spec.directives}'`);
  if (spec.dynamoDefaults) parts.push("--dynamo-defaults");
  for (const clause of spec.where) parts.push(`--where '${clause.text}'`);
  if (spec.sinceUs !== null) parts.push(`--since ${formatUtc(spec.sinceUs)}`);
  if (spec.untilUs !== null) parts.push(`--until ${formatUtc(spec.untilUs)}`);
  return parts.join(", ");
}

/** What a command says when its filter dropped every record it saw. */
export function noRecordsMatched(config: RunConfig): string {
  return `no records matched ${describeFilter(config.settings.filter)}`;
}

/** Compiles settings; throws what the filter or the zone throw (the CLI checked them before). */
export async function compileRunConfig(settings: RunSettings): Promise<RunConfig> {
  const { filter, warnings } = await compileFilter(settings.filter);
  const formatUs = settings.zone === null ? formatUtc : await zoneFormatter(settings.zone);
  const time: TimeRenderer =
    settings.zone === null ? timeAsWritten : await zoneRenderer(settings.zone);
  return {
    settings,
    sources: settings.sources,
    filter,
    warnings,
    color: settings.color,
    time,
    formatUs,
    width: settings.width,
    wide: settings.wide,
    hidden: keyMatcher(settings.hide),
    sourceColumn: settings.sourceColumn,
    terminal: settings.terminal,
    raw: settings.raw,
  };
}
