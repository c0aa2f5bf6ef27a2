/** How the process ends (src/cli/exit.ts), with a recorded clock, flush, timer and exit. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Ending, exitWhenSettled, SETTLE_MS, SHORT_RUN_MS } from "../../src/cli/exit.js";

/** An ending whose steps are recorded; the flush and timers run when the test says. */
function recorded(at: number) {
  const steps: string[] = [];
  let flushed: ((err?: Error | null) => void) | null = null;
  const timers: (() => void)[] = [];
  const ending: Ending = {
    now: () => at,
    flush: (done) => {
      steps.push("flush");
      flushed = done;
    },
    exit: (status) => steps.push(`exit ${status}`),
    later: (run, ms) => {
      steps.push(`idle ${ms} ms`);
      timers.push(run);
    },
  };
  return {
    steps,
    ending,
    flush: (err?: Error) => flushed?.(err),
    runTimers: () => {
      for (const run of timers.splice(0)) run();
    },
  };
}

test("a short run exits as soon as its output is flushed, not before", () => {
  const r = recorded(SHORT_RUN_MS - 1);
  exitWhenSettled(0, r.ending, () => true);
  assert.equal(r.steps, ["flush"]);
  r.flush();
  assert.equal(r.steps, ["flush", "exit 0"]);
});

test("a longer run stays idle for a moment after the flush, then exits with its status", () => {
  // Under Node 20 an exit while V8 still compiles in the background could wait for ever.
  const r = recorded(SHORT_RUN_MS + 500);
  exitWhenSettled(2, r.ending, () => true);
  r.flush();
  assert.equal(r.steps, ["flush", `idle ${SETTLE_MS} ms`]);
  assert.ok(SETTLE_MS > 0);
  r.runTimers();
  assert.equal(r.steps, ["flush", `idle ${SETTLE_MS} ms`, "exit 2"]);
});

test("a failed flush goes to the failure handler; one it lets pass ends the run as usual", () => {
  const ended = recorded(SHORT_RUN_MS + 500);
  const seen: string[] = [];
  exitWhenSettled(0, ended.ending, (err) => {
    seen.push(err.message);
    return true;
  });
  ended.flush(new Error("no space left on device"));
  assert.equal(seen, ["no space left on device"]);
  assert.equal(ended.steps, ["flush"]);
  // A reader that went away: the handler does not end the process, the run ends as it would.
  const passed = recorded(SHORT_RUN_MS + 500);
  exitWhenSettled(0, passed.ending, () => false);
  passed.flush(new Error("EPIPE"));
  passed.runTimers();
  assert.equal(passed.steps, ["flush", `idle ${SETTLE_MS} ms`, "exit 0"]);
});

test.run();
