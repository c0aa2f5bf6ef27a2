/** Logs as Dynamo writes them by default (`DYN_LOGGING_SPAN_EVENTS` off): no `SPAN_*` lines. */
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

/** Copies each input into `dir` without its span events; returns the copies' paths. */
export function withoutSpanEvents(inputs: readonly string[], dir: string): string[] {
  return inputs.map((path) => {
    const out = join(dir, basename(path));
    const kept = readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => !line.includes('"message":"SPAN_'));
    writeFileSync(out, kept.join("\n"));
    return out;
  });
}
