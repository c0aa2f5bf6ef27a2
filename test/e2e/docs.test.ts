/** The option table, `--help` and the man page agree: every option is documented in both. */
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { allOptions, COMMANDS, type CommandSpec } from "../../src/cli/options.js";
import { dynlog } from "../helpers/cli.js";
import { ROOT } from "../helpers/paths.js";

const man = readFileSync(`${ROOT}man/dynlog.1`, "utf8").replace(/\\-/g, "-");
const readme = readFileSync(`${ROOT}README.md`, "utf8");

test("the man page documents every option and command", () => {
  for (const o of allOptions()) assert.ok(man.includes(`--${o.name}`), `--${o.name} in dynlog.1`);
  for (const c of COMMANDS) assert.ok(man.includes(`.B ${c.name}`), `${c.name} in dynlog.1`);
  for (const flag of ["--help", "--version"]) assert.ok(man.includes(flag), flag);
});

test("--help of each command lists every option it takes (a command without inputs takes no common options)", () => {
  for (const c of COMMANDS as readonly CommandSpec[]) {
    const run = dynlog([c.name, "--help"]);
    assert.is(run.status, 0);
    for (const o of allOptions()) {
      const common = !(COMMANDS as readonly CommandSpec[]).some((k) => k.options.includes(o));
      if (c.options.includes(o) || (common && c.noInputs !== true)) {
        assert.ok(run.stdout.includes(`--${o.name}`), `--${o.name} in dynlog ${c.name} --help`);
      }
    }
  }
  assert.match(dynlog(["--help"]).stdout, /convert/);
});

test("the README's quick start is the two documented commands", () => {
  const start = readme.split("\n").slice(0, 20).join("\n");
  assert.match(start, /npm ci && npm start/);
  assert.match(start, /npm test/);
  for (const c of COMMANDS)
    assert.ok(readme.includes(`dynlog ${c.name}`), `README shows ${c.name}`);
});

test.run();
