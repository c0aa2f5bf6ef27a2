/**
 * Stages import only downward (the order in src/stages.ts) and no imports form a cycle, in src/
 * and tools/. Static, re-exporting and dynamic imports all count, type-only ones too.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { STAGES } from "../../src/stages.js";
import { ROOT } from "../helpers/paths.js";

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [join(dir, e.name)]
        : [],
  );
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)"(\.{1,2}\/[^"]+)"/g;

/** Module -> the modules it imports (repository-relative paths of .ts files). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of [...sources("src"), ...sources("tools")]) {
    const text = readFileSync(join(ROOT, file), "utf8");
    const targets = [...text.matchAll(IMPORT)].map((m) =>
      normalize(join(dirname(file), (m[1] as string).replace(/\.js$/, ".ts"))),
    );
    graph.set(file, targets);
  }
  return graph;
}

/** Rank of a module: its stage's index; tools after every stage; src/stages.ts before all. */
function rank(file: string): number {
  if (file.startsWith("tools/")) return STAGES.length;
  const stage = relative("src", file).split("/")[0] as string;
  if (stage.endsWith(".ts")) return -1;
  return (STAGES as readonly string[]).indexOf(stage);
}

test("every module of src/ lives in a stage of src/stages.ts", () => {
  const homeless = sources("src").filter((f) => rank(f) === -1 && f !== "src/stages.ts");
  assert.equal(homeless, []);
  for (const f of sources("src")) {
    if (f !== "src/stages.ts") assert.ok(rank(f) >= 0, `${f}: not in a stage`);
  }
});

test("no module imports from a later stage", () => {
  const upward: string[] = [];
  for (const [file, targets] of importGraph()) {
    for (const target of targets) {
      if (rank(target) > rank(file)) upward.push(`${file} -> ${target}`);
    }
  }
  assert.equal(upward, []);
});

test("no imports form a cycle", () => {
  const graph = importGraph();
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    path.push(file);
    for (const target of graph.get(file) ?? []) {
      const s = state.get(target);
      if (s === "open") cycles.push([...path.slice(path.indexOf(target)), target].join(" -> "));
      else if (s === undefined && graph.has(target)) visit(target);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  assert.equal(cycles, []);
});

test.run();
