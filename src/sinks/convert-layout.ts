/**
 * The layout `convert` renders records with: Dynamo's readable text (coloured or plain, times as
 * written or in a zone) or Dynamo's JSONL; escaped for a terminal when `safe`.
 *
 * Receives: the target and a run configuration. Emits: a record-to-line function.
 */
import type { RunConfig } from "../config/run-config.js";
import { renderDynamoLine } from "../render/dynamo-layout.js";
import { jsonTerminalSafe, renderDynamoJsonl } from "../render/jsonl-layout.js";
import { ANSI_STYLE, PLAIN_STYLE } from "../render/layout-style.js";
import type { RecordLayout } from "./convert-sink.js";

export type ConvertTarget = "text" | "jsonl";

export function layoutFor(to: ConvertTarget, config: RunConfig, safe: boolean): RecordLayout {
  if (to === "jsonl") {
    return safe ? (rec) => jsonTerminalSafe(renderDynamoJsonl(rec)) : renderDynamoJsonl;
  }
  const style = config.color ? ANSI_STYLE : PLAIN_STYLE;
  return (rec) => renderDynamoLine(rec, style, config.time, safe);
}
