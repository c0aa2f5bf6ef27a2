/**
 * Every shared convert case through the built CLI: `exact` cases byte for byte; `lossy` ones must
 * show the same record (time, level, target, message) and every field with its value, printed
 * either bare or quoted as Rust quotes a `&str`.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { debugQuote } from "../../src/render/rust-escape.js";
import { dynlog } from "../helpers/cli.js";
import { convertCases, NOT_FIELDS } from "../helpers/conformance.js";

for (const c of convertCases()) {
  test(`${c.id} ${c.note}`, () => {
    const args = ["convert", "--color", "never"];
    if (c.filter !== null) args.push("--filter", c.filter);
    const run = dynlog(args, { input: `${c.jsonl}\n` });
    assert.is(run.status, 0, run.stderr);
    if (c.exact) {
      assert.is(run.stdout, c.text);
      return;
    }
    const record = JSON.parse(c.jsonl) as Record<string, unknown>;
    const out = run.stdout;
    assert.ok(out.startsWith(`${record.time} `), "time as written");
    assert.ok(out.includes(` ${record.level} `) || out.includes(`  ${record.level} `), "level");
    const target = (record["log.target"] as string | undefined) ?? (record.target as string);
    assert.ok(out.includes(` ${target}: `), "target");
    for (const [key, value] of Object.entries(record)) {
      if (NOT_FIELDS.has(key) || key.startsWith("log.")) continue;
      const raw = /"[^"]*":(-?[0-9][^,}]*)/.exec(c.jsonl.slice(c.jsonl.indexOf(`"${key}":`)))?.[1];
      const forms = typeof value === "string" ? [value, debugQuote(value)] : [raw ?? String(value)];
      assert.ok(
        forms.some((f) => out.includes(` ${key}=${f}`)),
        `field ${key}=${JSON.stringify(value)} in ${JSON.stringify(out)}`,
      );
    }
  });
}

test("the Dynamo document's JSONL example converts to its readable lines", () => {
  const jsonl = [
    '{"time":"2025-09-02T15:53:31.943377Z","level":"INFO","target":"log","message":"VllmWorker for Qwen/Qwen3-0.6B has been initialized","log.file":"/opt/dynamo/venv/lib/python3.12/site-packages/dynamo/vllm/main.py","log.line":191,"log.target":"main.init"}',
    '{"time":"2025-09-02T15:53:31.943701Z","level":"INFO","target":"log","message":"Cache config values: {\'num_gpu_blocks\': 24064}","log.file":"/opt/dynamo/venv/lib/python3.12/site-packages/dynamo/vllm/main.py","log.line":267,"log.target":"main.get_engine_cache_info"}',
  ];
  const run = dynlog(["convert"], { input: `${jsonl.join("\n")}\n` });
  assert.is(
    run.stdout,
    "2025-09-02T15:53:31.943377Z  INFO main.init: VllmWorker for Qwen/Qwen3-0.6B has been initialized\n" +
      "2025-09-02T15:53:31.943701Z  INFO main.get_engine_cache_info: Cache config values: {'num_gpu_blocks': 24064}\n",
  );
});

test.run();
