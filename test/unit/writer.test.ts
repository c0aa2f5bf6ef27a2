import { Writable } from "node:stream";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { OutputWriter } from "../../src/output/writer.js";

test("into a stream that takes writes at once and calls back on the next tick (a file), the writer's buffers come back as it goes", async () => {
  const stream = new Writable();
  let pending = 0;
  let most = 0;
  let bytes = 0;
  stream.write = ((chunk: Buffer, done?: () => void) => {
    bytes += chunk.length;
    pending++;
    most = Math.max(most, pending);
    process.nextTick(() => {
      pending--;
      done?.();
    });
    return true;
  }) as Writable["write"];
  const writer = new OutputWriter(stream);
  const piece = "x".repeat(300 * 1024);
  for (let i = 0; i < 200; i++) {
    writer.write(piece);
    await writer.ready();
  }
  await writer.end();
  assert.is(bytes, 200 * piece.length);
  assert.ok(most <= 32, `${most} chunks were held at once`);
});

test("writeEach: every piece with its ending, and no more pieces made once the reader has gone", async () => {
  const chunks: string[] = [];
  const stream = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      setImmediate(done);
    },
  });
  const writer = new OutputWriter(stream);
  let made = 0;
  function* lines() {
    for (let i = 0; i < 5000; i++) {
      made++;
      yield `line ${i}`;
    }
  }
  await writer.writeEach(lines());
  await writer.end();
  const text = chunks.join("");
  assert.is(text.split("\n").length - 1, 5000);
  assert.ok(text.startsWith("line 0\nline 1\n") && text.endsWith("line 4999\n"));
  // A reader that goes away: the pieces stop being made.
  const gone = new OutputWriter(new Writable({ write: (_c, _e, done) => done() }));
  gone.closed = true;
  made = 0;
  await gone.writeEach(lines(), "");
  assert.ok(made <= 256, `${made} pieces made for a closed reader`);
});

test.run();
