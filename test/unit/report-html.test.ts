/** The report file's safety rules, unit by unit: inlined JSON, the policy's hashes. */
import { createHash } from "node:crypto";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ReportData } from "../../src/report/data-shape.js";
import { contentSecurityPolicy, jsonForScript, renderReportHtml } from "../../src/report/html.js";

test("inlined JSON escapes every character that could end its element or a line", () => {
  const value = { m: "</script><!-- a&b > \u2028\u2029 </SCRIPT >" };
  const text = jsonForScript(value);
  assert.not.match(text, /[<>&\u2028\u2029]/);
  assert.equal(JSON.parse(text), value);
});

test("the policy names the exact script and style by SHA-256 and allows nothing else", () => {
  const assets = { script: "console.log(1)", style: "body{color:red}" };
  const hash = (t: string) => createHash("sha256").update(t).digest("base64");
  const csp = contentSecurityPolicy(assets);
  assert.ok(csp.includes(`script-src 'sha256-${hash(assets.script)}'`));
  assert.ok(csp.includes(`style-src 'sha256-${hash(assets.style)}'`));
  assert.ok(csp.startsWith("default-src 'none'"));
});

test("page code holding a closing tag is refused rather than cut short", () => {
  const data = { title: "t", traces: [] } as unknown as ReportData;
  assert.throws(
    () => renderReportHtml(data, { script: "x='</script>'", style: "" }),
    /closing tag/,
  );
  assert.throws(() => renderReportHtml(data, { script: "", style: "a{}</style>" }), /closing tag/);
  const html = renderReportHtml(data, { script: "1", style: "a{}" });
  assert.is((html.match(/<script/g) ?? []).length, 3);
});

test.run();
