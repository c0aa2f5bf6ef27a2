/**
 * The renderers that fit output to a width, run into memory with colour off and on: cutting,
 * unique prefixes, choosing columns, lists, boxed tables, the time axis, the source column,
 * `--hide` patterns.
 */
import Table from "cli-table3";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Source } from "../../src/model/record.js";
import { stripAnsi } from "../../src/parse/ansi.js";
import { emptyRecord, normalizeJson } from "../../src/parse/normalize.js";
import { renderBoxTable } from "../../src/render/box-table.js";
import { renderDynamoLine, timeAsWritten } from "../../src/render/dynamo-layout.js";
import { cutEnd, cutMiddle, fitColumns, uniquePrefixLength } from "../../src/render/fit.js";
import { keyMatcher } from "../../src/render/key-glob.js";
import { PLAIN_STYLE } from "../../src/render/layout-style.js";
import { type ListColumn, listLines } from "../../src/render/list.js";
import { SourceColumn } from "../../src/render/source-column.js";
import { colorTheme, PLAIN_THEME } from "../../src/render/theme.js";
import { formatUtc } from "../../src/render/time-zone.js";
import { tracesListLines } from "../../src/render/traces-list.js";
import { axisLine } from "../../src/render/waterfall.js";
import { displayWidth } from "../../src/render/width.js";

const THEMES = [PLAIN_THEME, colorTheme()];

function lines(make: () => Iterable<string>): string[] {
  return [...make()];
}

test("cutMiddle keeps both ends, measured in columns; cutEnd keeps the start", () => {
  assert.is(cutMiddle("prefill_kv_transfer_a", 14), "pref…ransfer_a");
  assert.is(cutMiddle("prefill_kv_transfer_b", 14), "pref…ransfer_b");
  assert.is(cutMiddle("short", 14), "short");
  assert.is(cutMiddle("日本語のサービス名前です", 9), "日…前です");
  assert.ok(displayWidth(cutMiddle("日本語のサービス名前です", 9)) <= 9);
  assert.is(cutEnd("frontend,prefill,decode", 10), "frontend,…");
  assert.is(cutEnd("🦀🦀🦀🦀", 5), "🦀🦀…");
});

test("uniquePrefixLength: the shortest common length that tells the ids apart, at least 8", () => {
  assert.is(uniquePrefixLength(["7af4d48c761d", "7a15322def73"], 8), 8);
  assert.is(uniquePrefixLength(["0123456789abc1ef", "0123456789abc2ef"], 8), 14);
  assert.is(uniquePrefixLength(["abc", "abc"], 8), 8, "repeated ids are one id");
  assert.is(uniquePrefixLength([], 8), 8);
});

test("fitColumns: required columns always, optional ones by priority, cut columns widen", () => {
  const needs = [
    { natural: 16, least: 16, priority: 0 },
    { natural: 38, least: 16, priority: 0, want: 40 },
    { natural: 3, least: 3, priority: 1 },
    { natural: 5, least: 5, priority: 5 },
  ];
  assert.equal(fitColumns(needs, 200, 2), [16, 38, 3, 5]);
  assert.equal(fitColumns(needs, 40, 2), [16, 17, 3, 0]);
  assert.equal(fitColumns(needs, 30, 2), [16, 16, 0, 0], "required columns even past the budget");
});

interface Row {
  name: string;
  count: number;
  /** Rows may carry fields no column shows. */
  inferred?: boolean;
}

const COLUMNS: ListColumn<Row>[] = [
  { head: "NAME", priority: 0, cut: "middle", least: 6, value: (r) => r.name },
  {
    head: "COUNT",
    priority: 1,
    align: "right",
    value: (r) => String(r.count),
    style: (s, r, theme) => (r.count > 0 ? theme.error(s) : s),
  },
  { head: "NOTE", priority: 2, value: () => "" },
];

test("writeList: aligned, two spaces apart, '-' for empty cells, colour only around text", () => {
  const rows: Row[] = [
    { name: "alpha  beta", count: 0, inferred: true },
    { name: "gamma", count: 12 },
  ];
  for (const theme of THEMES) {
    const out = lines(() => listLines(rows, COLUMNS, { width: 80, wide: false, theme }));
    assert.equal(out.map(stripAnsi), [
      "NAME        COUNT  NOTE",
      "alpha beta      0  -",
      "gamma          12  -",
    ]);
    assert.is(
      out.some((l) => l.includes("\x1b[")),
      theme.color,
    );
  }
  const narrow = lines(() =>
    listLines(rows, COLUMNS, { width: 12, wide: false, theme: PLAIN_THEME }),
  );
  assert.equal(narrow, ["NAME", "alpha beta", "gamma"], "COUNT left out, NAME whole");
  const narrower = lines(() =>
    listLines(rows, COLUMNS, { width: 8, wide: false, theme: PLAIN_THEME }),
  );
  assert.equal(narrower, ["NAME", "al… beta", "gamma"], "NAME cut in the middle");
  const wide = lines(() => listLines(rows, COLUMNS, { width: 12, wide: true, theme: PLAIN_THEME }));
  assert.is(wide[1], "alpha beta      0  -");
});

test("writeTracesList: unique id prefixes, shared date dropped when narrow, problems coloured", () => {
  const base = {
    requestId: "",
    durationUs: 1_000_000,
    spanCount: 3,
    spansCapped: false,
    services: ["frontend", "decode"],
    root: "http-request",
    method: "POST",
    uri: "/v1/chat/completions",
    warnings: 0,
    errors: 0,
    open: false,
    durationLowerBound: false,
    inferredSpans: 0,
  };
  const rows = [
    { ...base, traceId: "aaaaaaaaaa01", startUs: 1.7e15 },
    { ...base, traceId: "aaaaaaaaaa02", startUs: 1.7e15 + 1e6, errors: 2, durationUs: 9e6 },
  ];
  for (const theme of THEMES) {
    const out = lines(() =>
      tracesListLines(rows, { width: 80, wide: false, theme, formatUs: formatUtc }),
    );
    assert.ok(out.every((l) => displayWidth(stripAnsi(l)) <= 80));
    assert.match(stripAnsi(out[1] ?? ""), /^\d\d:\d\d:\d\d\.000000Z {2}aaaaaaaaaa01 /);
    if (theme.color) assert.match(out[2] ?? "", /\x1b\[31m\x1b\[1m2\x1b\[22m\x1b\[39m/);
  }
  const wide = lines(() =>
    tracesListLines(rows, { width: 60, wide: true, theme: PLAIN_THEME, formatUs: formatUtc }),
  );
  assert.match(wide[1] ?? "", /^2023-11-14T22:13:20\.000000Z {2}aaaaaaaaaa01 +- +1\.00s/);
});

test("renderBoxTable: a box, cut to the width, optional columns left out", () => {
  const rows = [
    ["decode", "disaggregated_prefill_worker_remote_kv_transfer_a", "24"],
    ["decode", "disaggregated_prefill_worker_remote_kv_transfer_b", "7"],
  ];
  const columns = [
    { head: "SERVICE" },
    { head: "SPAN", cut: "middle" as const, least: 12 },
    { head: "COUNT", align: "right" as const, priority: 1 },
  ];
  for (const theme of THEMES) {
    const table = renderBoxTable(columns, rows, theme, { width: 40, wide: false }).split("\n");
    assert.ok(
      table.every((l) => displayWidth(stripAnsi(l)) <= 40),
      table.join("\n"),
    );
    assert.match(stripAnsi(table[0] ?? ""), /^┌─+┬─+┬─+┐$/);
    assert.match(table[3] ?? "", /…\S*_a │ +24 │$/);
    assert.match(table[4] ?? "", /…\S*_b │ +7 │$/);
    assert.is(table.length, 6, "no rule between data rows");
  }
  const tiny = renderBoxTable(columns, rows, PLAIN_THEME, { width: 30, wide: false });
  assert.not.match(tiny, /COUNT/);
  const wide = renderBoxTable(columns, rows, PLAIN_THEME, { width: 30, wide: true });
  assert.match(wide, /disaggregated_prefill_worker_remote_kv_transfer_a/);
});

test("renderBoxTable draws the bytes cli-table3 draws in its compact style", () => {
  const words = ["", "a", "decode", "漢字テキスト", "x".repeat(30), "1.25ms", "μs", "e\u0301"];
  let seed = 7;
  const pick = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return words[Math.floor(seed / 65536) % words.length] as string;
  };
  for (let n = 0; n < 40; n++) {
    const width = 1 + (n % 4);
    const columns = Array.from({ length: width }, (_, i) => ({
      head: `H${i}${pick()}`,
      align: i % 2 === 1 ? ("right" as const) : ("left" as const),
      ...(i === 0 ? { style: (t: string, _r: number, th: typeof PLAIN_THEME) => th.error(t) } : {}),
    }));
    const rows = Array.from({ length: n % 6 }, () => columns.map(() => pick()));
    for (const theme of THEMES) {
      const ours = renderBoxTable(columns, rows, theme, { width: 400, wide: true });
      const reference = new Table({
        head: columns.map((c) => theme.header(c.head)),
        colAligns: columns.map((c) => c.align),
        style: { head: [], border: [], compact: true },
      });
      for (const row of rows) reference.push(row.map((t, i) => (i === 0 ? theme.error(t) : t)));
      assert.is(ours, reference.toString(), `${JSON.stringify(rows)}`);
    }
  }
});

test("axisLine: at least two labels at any width, never touching", () => {
  for (const total of [1, 999, 1500, 4_040_000, 61_000_000, 3_600_000_000]) {
    for (let width = 14; width <= 140; width += 7) {
      const axis = axisLine(total, width);
      assert.is(axis.length, width);
      const labels = axis.trim().split(/\s+/);
      assert.ok(labels.length >= 2, `${total} over ${width}: ${JSON.stringify(axis)}`);
      assert.is(labels[0], "0");
    }
  }
  assert.is(axisLine(4_040_000, 18), "0        2s     4s");
});

test("SourceColumn: at least 12 wide, widened by later labels up to 24, long ones cut", () => {
  const plain = new SourceColumn(["fe"], false, (s) => s);
  assert.is(plain.cell("prefill-1"), "prefill-1    │ ");
  assert.is(plain.cell("frontend-1"), "frontend-1   │ ");
  assert.is(plain.cell("a-very-long-service-name-for-prefill-12"), "a-very-…e-for-prefill-12 │ ");
  assert.is(plain.cell("prefill-1"), "prefill-1                │ ");
  const coloured = new SourceColumn([], true, (s) => s);
  assert.is(coloured.cell("decode"), "\x1b[36mdecode      \x1b[0m │ ");
  assert.is(coloured.cell("prefill"), "\x1b[35mprefill     \x1b[0m │ ");
});

test("--hide patterns: exact keys and * globs, nothing else is special", () => {
  assert.is(keyMatcher([]), null);
  const hide = keyMatcher(["method", "http.*", "*_id", "a.b"]);
  assert.ok(hide);
  for (const key of ["method", "http.version", "x_request_id", "a.b"]) assert.ok(hide(key), key);
  for (const key of ["methods", "uri", "axb", "request"]) assert.not.ok(hide(key), key);
});

const SOURCE: Source = { index: 0, label: "s", path: "s", labelled: false };

test("renderDynamoLine leaves hidden fields out, first field included", () => {
  const json =
    '{"time":"T","level":"INFO","target":"t","message":"m","method":"POST","uri":"/v1","version":"HTTP/1.1","status":200}';
  const rec = emptyRecord(SOURCE, 1, json);
  assert.ok(normalizeJson(rec, json, 0));
  const hide = keyMatcher(["method", "ver*"]);
  assert.is(
    renderDynamoLine(rec, PLAIN_STYLE, timeAsWritten, false, hide),
    "T  INFO t: m uri=/v1 status=200",
  );
  assert.is(
    renderDynamoLine(rec, PLAIN_STYLE, timeAsWritten),
    "T  INFO t: m method=POST uri=/v1 version=HTTP/1.1 status=200",
  );
});

test.run();
