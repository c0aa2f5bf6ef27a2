/**
 * The report file: one HTML document with the page's script, its styles and the data inlined.
 * Log content never becomes markup: the data travels as JSON inside
 * `<script type="application/json">` with `<`, `>`, `&`, U+2028 and U+2029 written as `\uXXXX`
 * (so nothing in it can close the element), and the page writes it as text. A
 * Content-Security-Policy allows no network access and only this page's own script and style,
 * named by their SHA-256 hashes, so even a missed escape could neither run nor call home.
 *
 * The detailed traces travel in a second such element after the page's script, so the first view
 * is drawn before the browser has read them; they are parsed only when a request is opened.
 *
 * Receives: a `ReportData` and the built page assets. Emits: the HTML text.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ReportData } from "./data-shape.js";

export interface PageAssets {
  script: string;
  style: string;
}

/** Built by scripts/bundle.mjs into dist/bundle/page/, found from the bundle or from dist/src. */
const ASSET_DIRS = ["./page/", "../../bundle/page/"];

export function loadPageAssets(): PageAssets {
  for (const dir of ASSET_DIRS) {
    try {
      const at = new URL(dir, import.meta.url);
      return {
        script: readFileSync(new URL("report-page.js", at), "utf8"),
        style: readFileSync(new URL("report-page.css", at), "utf8"),
      };
    } catch {
      // Not in this layout: try the next.
    }
  }
  throw new Error("the report page was not built (run npm run build)");
}

const UNSAFE_IN_SCRIPT = /[<>&\u2028\u2029]/g;

/** JSON that cannot end its `<script>` element nor start a comment or a tag inside it. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    UNSAFE_IN_SCRIPT,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("base64");
}

export function contentSecurityPolicy(assets: PageAssets): string {
  return [
    "default-src 'none'",
    `script-src 'sha256-${sha256(assets.script)}'`,
    `style-src 'sha256-${sha256(assets.style)}'`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

export function renderReportHtml(data: ReportData, assets: PageAssets): string {
  // The page's own code is checked too: a closing tag inside it would cut the element short.
  if (/<\/script/i.test(assets.script) || /<\/style/i.test(assets.style)) {
    throw new Error("the report page's code contains a closing tag");
  }
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(assets)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    "<title>dynlog report</title>",
    `<style>${assets.style}</style>`,
    "</head>",
    "<body>",
    "<noscript>This report needs JavaScript to show its data.</noscript>",
    // The page's script runs as soon as the parser reaches it: what the first view needs comes
    // before it, the detailed requests after it (read when one is first opened).
    `<script type="application/json" id="dynlog-data">${jsonForScript({ ...data, traces: [] })}</script>`,
    `<script>${assets.script}</script>`,
    `<script type="application/json" id="dynlog-traces">${jsonForScript(data.traces)}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
