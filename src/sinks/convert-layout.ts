/**
 * The layout `convert` renders records with: Dynamo's readable text (coloured or plain, times as
 * written or in a zone) or Dynamo's JSONL; escaped for a terminal when `safe`.
 *
 * JSONL output is JSON Lines whatever the input holds: every line that is not a record becomes
 * an object of its own carrying the time of the record before it in its input, and a launcher
 * prefix goes inside its record (parse/raw-line.ts).
 *
 * Receives: the target and a run configuration. Emits: the layout the convert sink uses.
 */
import type { RunConfig } from "../config/run-config.js";
import type { LogRecord } from "../model/record.js";
import { renderDynamoLine } from "../render/dynamo-layout.js";
import {
  jsonTerminalSafe,
  renderDynamoJsonl,
  renderRawLineJsonl,
  withPrefixMembers,
} from "../render/jsonl-layout.js";
import { ANSI_STYLE, PLAIN_STYLE } from "../render/layout-style.js";
import type { ConvertLayout } from "./convert-sink.js";

export type ConvertTarget = "text" | "jsonl";

/** Each record and each other line as one JSON object. */
function jsonlLayout(safe: boolean): ConvertLayout {
  // The time of the last record of each input (by source index), for the lines after it.
  const lastTime: string[] = [];
  const render = (rec: LogRecord): string => {
    if (rec.kind === "unparsed") return renderRawLineJsonl(rec, lastTime[rec.source.index] ?? "");
    if (rec.time !== "") lastTime[rec.source.index] = rec.time;
    return withPrefixMembers(rec, renderDynamoJsonl(rec));
  };
  return { line: safe ? (rec) => jsonTerminalSafe(render(rec)) : render, wholeLines: true };
}

export function layoutFor(to: ConvertTarget, config: RunConfig, safe: boolean): ConvertLayout {
  if (to === "jsonl") return jsonlLayout(safe);
  const style = config.color ? ANSI_STYLE : PLAIN_STYLE;
  const hidden = config.hidden;
  return {
    line: (rec) => renderDynamoLine(rec, style, config.time, safe, hidden),
    wholeLines: false,
  };
}
