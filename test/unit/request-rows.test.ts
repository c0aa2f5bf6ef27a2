/** The requests' columns come back from the packed form the report file carries as they went in. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RequestRows } from "../../src/report/data-shape.js";
import { emptyRows, packRows, unpackRows } from "../../src/report/request-rows.js";

const rows: RequestRows = {
  traceId: ["a1", "b2", "c3", "d4"],
  requestId: ["", "r-2", "r-3", "r-4"],
  start: [0, 1500, 1500, 9_000_000_123],
  duration: [10, 20.5, 0, 7],
  root: ["http-request", "http-request", "", "grpc"],
  method: ["POST", "POST", "", ""],
  uri: ["/v1/chat/completions", "/v1/completions", "", "POST"],
  spans: [3, 5000, 1, 2],
  spansCapped: [false, true, false, false],
  services: [[0, 1, 2], [0, 1, 2], [], [1]],
  warnings: [0, 1, 0, 2],
  errors: [0, 0, 3, 0],
  open: [false, false, true, true],
  detail: [-1, 0, 1, -1],
};

test("packed rows unpack to the same columns", () => {
  assert.equal(unpackRows(JSON.parse(JSON.stringify(packRows(rows)))), rows);
});

test("repeated texts and service sets are written once, flags as the rows that have them", () => {
  const packed = packRows(rows);
  assert.equal(packed.texts, [
    "http-request",
    "",
    "grpc",
    "POST",
    "/v1/chat/completions",
    "/v1/completions",
  ]);
  assert.equal(packed.root, [0, 0, 1, 2]);
  assert.equal(packed.serviceSets, [[0, 1, 2], [], [1]]);
  assert.equal(packed.services, [0, 0, 1, 2]);
  assert.equal(packed.startStep, [0, 1500, 0, 8_999_998_623]);
  assert.equal(packed.openRows, [2, 3]);
  assert.equal(packed.cappedRows, [1]);
  assert.equal(packed.detailRows, [1, 2]);
});

test("no rows pack to empty columns", () => {
  assert.equal(unpackRows(packRows(emptyRows())), emptyRows());
});

test.run();
