// Refreshes the repository's copy of the conformance cases (test/conformance/data/) from a
// conformance folder beside the checkout (default ../shared/conformance, or the folder given as
// the first argument). Only this script looks outside the repository; the tests read the copy.
// Prints what changed; exits 2 when the source folder is missing.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const from = resolve(root, process.argv[2] ?? "../shared/conformance");
const to = join(root, "test/conformance/data");

if (!existsSync(from)) {
  process.stderr.write(`refresh-conformance: ${from} does not exist; the copy is unchanged\n`);
  process.exit(2);
}
/**
 * The bytes kept for a file: the cases as they are; in the prose, the path of the folder beside
 * the checkout is named in words (the project's files name no path outside it).
 */
function copyOf(name, bytes) {
  if (!name.endsWith(".md")) return bytes;
  return Buffer.from(
    bytes
      .toString("utf8")
      .replaceAll("`../shared/conformance/`", "the shared conformance folder beside the checkout")
      .replaceAll("../shared/conformance/", "the shared conformance folder "),
  );
}

const wanted = readdirSync(from).filter((name) => !name.startsWith("."));
let changes = 0;
for (const name of wanted) {
  const source = join(from, name);
  const target = join(to, name);
  const before = existsSync(target) ? readFileSync(target) : null;
  const after = copyOf(name, readFileSync(source));
  if (before?.equals(after)) continue;
  writeFileSync(target, after);
  process.stdout.write(`${before === null ? "added" : "updated"} ${name}\n`);
  changes++;
}
for (const name of readdirSync(to)) {
  if (wanted.includes(name)) continue;
  rmSync(join(to, name));
  process.stdout.write(`removed ${name}\n`);
  changes++;
}
process.stdout.write(`${changes === 0 ? "up to date" : `${changes} file(s) changed`}: ${to}\n`);
