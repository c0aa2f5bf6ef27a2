// Benchmark data: generates Dynamo logs of the chosen size with the project's deterministic
// generator (dist/tools/gen-fixtures.js), caches them in bench/cache/<size>-<seed>/ with a
// concatenated all.jsonl, reuses the cache while its manifest (and the generator) still match,
// and warms the page cache before timing.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  readdirSync,
  readFileSync,
} from "node:fs";
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";

const GENERATOR = "dist/tools/gen-fixtures.js";
const GENERATOR_PARTS = "dist/tools/gen";
const CACHE_NOTE = "bench-cache.json";
export const ALL_FILE = "all.jsonl";

/** A digest of the compiled generator: a changed generator means stale cached data. */
function generatorHash(root) {
  const hash = createHash("sha256");
  hash.update(readFileSync(join(root, GENERATOR)));
  const partsDir = join(root, GENERATOR_PARTS);
  const parts = existsSync(partsDir) ? readdirSync(partsDir).filter((f) => f.endsWith(".js")) : [];
  for (const name of parts.sort()) {
    hash.update(name);
    hash.update(readFileSync(join(partsDir, name)));
  }
  return hash.digest("hex").slice(0, 16);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return null;
  }
}

async function sizeOf(path) {
  try {
    return (await stat(path)).size;
  } catch {
    return -1;
  }
}

/** True when dir holds the data the options ask for, as recorded by a complete earlier run. */
async function cacheMatches(dir, opts, hash) {
  const manifest = readJson(join(dir, "manifest.json"));
  const note = readJson(join(dir, CACHE_NOTE));
  if (manifest === null || note === null) return false;
  if (manifest.seed !== opts.seed || manifest.targetBytes !== opts.sizeBytes) return false;
  if (note.generatorHash !== hash) return false;
  for (const [name, info] of Object.entries(manifest.files ?? {})) {
    if ((await sizeOf(join(dir, name))) !== info.bytes) return false;
  }
  return (await sizeOf(join(dir, ALL_FILE))) === manifest.totalBytes;
}

function runGenerator(root, dir, opts) {
  const args = [GENERATOR, "--size", String(opts.sizeBytes), "--seed", String(opts.seed)];
  const result = spawnSync(process.execPath, [...args, "--out", dir], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.status !== 0) throw new Error(`fixture generator failed (status ${result.status})`);
}

async function concatenate(dir, names) {
  const out = createWriteStream(join(dir, ALL_FILE));
  for (const name of names) {
    await pipeline(createReadStream(join(dir, name)), out, { end: false });
  }
  out.end();
  await new Promise((resolve, reject) => {
    out.on("finish", resolve);
    out.on("error", reject);
  });
}

/**
 * Returns { dir, manifest, files: [paths of the per-service files], all: path of all.jsonl,
 * reused: boolean }, generating the data first when the cache does not match.
 */
export async function prepareData(root, opts, log) {
  if (!existsSync(join(root, GENERATOR))) {
    throw new Error(`${GENERATOR} not found: build first (npm run build, or use npm run bench)`);
  }
  const dir = join(root, "bench", "cache", `${opts.sizeLabel}-${opts.seed}`);
  const hash = generatorHash(root);
  const reused = await cacheMatches(dir, opts, hash);
  if (!reused) {
    log(`generating ${opts.sizeLabel} of Dynamo logs (seed ${opts.seed}) in ${dir} ...`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    runGenerator(root, dir, opts);
    const fresh = readJson(join(dir, "manifest.json"));
    log(`concatenating into ${ALL_FILE} ...`);
    await concatenate(dir, Object.keys(fresh.files));
    await writeFile(join(dir, CACHE_NOTE), `${JSON.stringify({ generatorHash: hash }, null, 2)}\n`);
  }
  const manifest = readJson(join(dir, "manifest.json"));
  const files = Object.keys(manifest.files).map((name) => join(dir, name));
  return { dir, manifest, files, all: join(dir, ALL_FILE), reused };
}

/** Reads the files once to /dev/null so that timed runs find them in the page cache. */
export function warmPageCache(paths) {
  const result = spawnSync("cat", paths, { stdio: ["ignore", "ignore", "inherit"] });
  if (result.status !== 0) throw new Error(`cat ${paths.join(" ")} failed`);
}

/** The lookup the trace cases use: the request in the middle of the logs. */
export function middleLookup(manifest) {
  const lookups = manifest.lookups ?? [];
  return lookups.find((l) => l.position === "middle") ?? lookups[Math.floor(lookups.length / 2)];
}
