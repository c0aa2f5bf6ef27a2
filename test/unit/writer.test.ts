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

test.run();
