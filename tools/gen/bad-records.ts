// Bad-input corpus, part 2: JSON records that parse but break Dynamo's rules (duplicate keys,
// wrong value types, prototype-polluting keys, bad timestamps) and span events that do not add
// up (a close without an opening, bad durations, parent cycles). Fixed content, one file each.
import { type BadCase, good, lines } from "./bad-lines.js";

const TRACE = "5d1f6a2b3c4d5e6f708192a3b4c5d6e7";
const DAY = "2025-11-04T09:13";

/** A span event of `TRACE` (or `trace`) at `second` (may carry a fraction), fields raw. */
export function spanEvent(
  second: string,
  marker: string,
  spanId: string,
  parent: string,
  fields = "",
  trace = TRACE,
): string {
  const parentField = parent === "" ? "" : `"parent_id":"${parent}",`;
  return (
    `{"time":"${DAY}:${second}Z","level":"DEBUG","file":"lib/runtime/src/pipeline.rs","line":7,` +
    `"target":"dynamo_runtime::pipeline","message":"${marker}",${fields}${parentField}` +
    `"span_id":"${spanId}","span_name":"handle_payload","trace_id":"${trace}"}`
  );
}

const closed = (busy: string, idle: string, duration: string): string =>
  `"time.busy_us":${busy},"time.duration_us":${duration},"time.idle_us":${idle},`;

export const RECORD_CASES: BadCase[] = [
  {
    name: "duplicate-keys.jsonl",
    about:
      "repeated keys: two `level`s, two `message`s, a repeated field, a repeated `span_id`. The last value wins, as with JSON.parse; `validate` warns.",
    content: lines([
      '{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","level":"ERROR","file":"a.rs","line":1,"target":"a","message":"one","message":"two","k":1,"k":2}',
      `{"time":"2025-11-04T09:12:05.000000Z","level":"DEBUG","file":"a.rs","line":1,"target":"a","message":"SPAN_CREATED","span_id":"aaaaaaaaaaaaaaaa","span_id":"bbbbbbbbbbbbbbbb","span_name":"s","trace_id":"${TRACE}"}`,
      '{"time":"2025-11-04T09:12:06.000000Z","time":"not a time","level":"INFO","file":"a.rs","line":1,"target":"a","message":"two times"}',
    ]),
  },
  {
    name: "wrong-types.jsonl",
    about:
      "values of the wrong type: `time` as a number and as null, `level` lower-case, unknown and numeric, `line` as a string, a float and negative, `span_id` of 15 and 17 digits, upper-case and not hex, a short `trace_id`, `parent_id` as a number, `message` as a number, object and null, `target` as an array, `file` as a number, `time.busy_us` as a string, `span_name` as a number, huge and odd numbers (1e400, -0, 2^64). All are read without a crash; `validate` names each.",
    content: lines([
      '{"time":1730711524,"level":"INFO","file":"a.rs","line":1,"target":"a","message":"time is a number"}',
      '{"time":null,"level":"INFO","file":"a.rs","line":1,"target":"a","message":"time is null"}',
      '{"time":"2025-11-04T09:12:04.000000Z","level":"info","file":"a.rs","line":1,"target":"a","message":"lower-case level"}',
      '{"time":"2025-11-04T09:12:04.000000Z","level":"NOTICE","file":"a.rs","line":1,"target":"a","message":"unknown level"}',
      '{"time":"2025-11-04T09:12:04.000000Z","level":3,"file":"a.rs","line":1,"target":"a","message":"numeric level"}',
      '{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","file":"a.rs","line":"42","target":"a","message":"line is a string"}',
      '{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","file":"a.rs","line":4.5,"target":"a","message":"line is a float"}',
      '{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","file":"a.rs","line":-1,"target":"a","message":"negative line"}',
      `{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","file":"a.rs","line":1,"target":"a","message":"short span id","span_id":"0123456789abcde","trace_id":"${TRACE}"}`,
      `{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","file":"a.rs","line":1,"target":"a","message":"long span id","span_id":"0123456789abcdef0","trace_id":"${TRACE}"}`,
      `{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","file":"a.rs","line":1,"target":"a","message":"upper-case span id","span_id":"0123456789ABCDEF","trace_id":"${TRACE}"}`,
      `{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","file":"a.rs","line":1,"target":"a","message":"not hex","span_id":"0123456789abcdeg","trace_id":"${TRACE}"}`,
      '{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","file":"a.rs","line":1,"target":"a","message":"short trace id","span_id":"0123456789abcdef","trace_id":"5d1f6a"}',
      `{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","file":"a.rs","line":1,"target":"a","message":"numeric parent","parent_id":12345,"span_id":"0123456789abcdef","trace_id":"${TRACE}"}`,
      '{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","file":"a.rs","line":1,"target":"a","message":42}',
      '{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","file":"a.rs","line":1,"target":"a","message":{"text":"object"}}',
      '{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","file":"a.rs","line":1,"target":"a","message":null}',
      '{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","file":"a.rs","line":1,"target":["a","b"],"message":"target is an array"}',
      '{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","file":7,"line":1,"target":"a","message":"file is a number"}',
      `{"time":"2025-11-04T09:12:04.000000Z","level":"DEBUG","file":"a.rs","line":1,"target":"a","message":"SPAN_CLOSED","span_id":"0123456789abcdef","span_name":12,"time.busy_us":"12","time.duration_us":"20","time.idle_us":"8","trace_id":"${TRACE}"}`,
      '{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","file":"a.rs","line":1e400,"target":"a","message":"odd numbers","big":18446744073709551616,"neg0":-0,"tiny":1e-400}',
      good(50, "valid after"),
    ]),
  },
  {
    name: "proto-keys.jsonl",
    about:
      "keys that pollute JavaScript prototypes when read carelessly: `__proto__`, `constructor`, `prototype`, `hasOwnProperty`, `toString`, as fields of events and of span markers (so they become span attributes). They stay ordinary fields.",
    content: lines([
      '{"time":"2025-11-04T09:12:04.000000Z","level":"INFO","file":"a.rs","line":1,"target":"a","message":"proto","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":1}},"prototype":"x"}',
      spanEvent(
        "01.000000",
        "SPAN_CREATED",
        "1111111111111111",
        "",
        '"__proto__":"p","constructor":"c","hasOwnProperty":1,"toString":"s",',
      ),
      spanEvent(
        "01.500000",
        "inside",
        "1111111111111111",
        "",
        '"__proto__":{"x":1},"valueOf":null,',
      ),
      spanEvent(
        "02.000000",
        "SPAN_CLOSED",
        "1111111111111111",
        "",
        closed("10", "990000", "1000010"),
      ),
    ]),
  },
  {
    name: "timestamps.jsonl",
    about:
      "times out of order, without a zone, impossible (month 13, hour 99), not times at all, empty, with an offset, with a space instead of `T`, a leap second, years 0000 and 9999, nine and ten fractional digits, lower-case `t`/`z`; and span events whose times are invalid (open with a bad time, close with a good one), so trace views must cope with unknown times.",
    content: lines([
      good(9, "late"),
      good(1, "early (out of order)"),
      '{"time":"2025-11-04T09:12:04.305599","level":"INFO","file":"a.rs","line":1,"target":"a","message":"no zone"}',
      '{"time":"2025-13-45T99:99:99Z","level":"INFO","file":"a.rs","line":1,"target":"a","message":"impossible"}',
      '{"time":"yesterday","level":"INFO","file":"a.rs","line":1,"target":"a","message":"not a time"}',
      '{"time":"","level":"INFO","file":"a.rs","line":1,"target":"a","message":"empty time"}',
      '{"time":"2025-11-04T10:12:04.305599+01:00","level":"INFO","file":"a.rs","line":1,"target":"a","message":"offset"}',
      '{"time":"2025-11-04 09:12:04.305599Z","level":"INFO","file":"a.rs","line":1,"target":"a","message":"space"}',
      '{"time":"2016-12-31T23:59:60.000000Z","level":"INFO","file":"a.rs","line":1,"target":"a","message":"leap second"}',
      '{"time":"0000-01-01T00:00:00.000000Z","level":"INFO","file":"a.rs","line":1,"target":"a","message":"year 0"}',
      '{"time":"9999-12-31T23:59:59.999999Z","level":"INFO","file":"a.rs","line":1,"target":"a","message":"year 9999"}',
      '{"time":"2025-11-04T09:12:04.123456789Z","level":"INFO","file":"a.rs","line":1,"target":"a","message":"nanoseconds"}',
      '{"time":"2025-11-04T09:12:04.1234567890Z","level":"INFO","file":"a.rs","line":1,"target":"a","message":"ten digits"}',
      '{"time":"2025-11-04t09:12:04.305599z","level":"INFO","file":"a.rs","line":1,"target":"a","message":"lower case"}',
      spanEvent("bad", "SPAN_CREATED", "2222222222222222", ""),
      spanEvent("03.000000", "SPAN_CLOSED", "2222222222222222", "", closed("5", "5", "10")),
      spanEvent("04.000000", "SPAN_CREATED", "3333333333333333", "2222222222222222"),
      spanEvent(
        "xx",
        "SPAN_CLOSED",
        "3333333333333333",
        "2222222222222222",
        closed("5", "5", "10"),
      ),
      '{"time":"0000-01-01T00:00:00.000000Z","level":"DEBUG","file":"a.rs","line":1,"target":"a","message":"SPAN_CLOSED","span_id":"4444444444444444","span_name":"ancient","time.busy_us":1,"time.duration_us":9007199254740991,"time.idle_us":1,"trace_id":"5d1f6a2b3c4d5e6f708192a3b4c5d6e7"}',
    ]),
  },
  {
    name: "span-close-without-open.jsonl",
    about:
      "span events that lost their beginning: a `SPAN_CLOSED` with no opening (start = close - duration), one without any timing, one without a `span_id`, and a child event of a span never opened.",
    content: lines([
      spanEvent("01.000000", "SPAN_CLOSED", "5555555555555555", "", closed("100", "900", "1000")),
      spanEvent("02.000000", "SPAN_CLOSED", "6666666666666666", ""),
      `{"time":"${DAY}:03.000000Z","level":"DEBUG","file":"a.rs","line":1,"target":"a","message":"SPAN_CLOSED","span_name":"no id","time.busy_us":1,"time.duration_us":2,"time.idle_us":1,"trace_id":"${TRACE}"}`,
      spanEvent(
        "04.000000",
        "event in a span never opened",
        "7777777777777777",
        "5555555555555555",
      ),
    ]),
  },
  {
    name: "span-durations.jsonl",
    about:
      "span timings that do not add up: negative, non-integer, huge (1e300, 2^64), as strings, duration different from busy + idle, zero, busy missing.",
    content: lines([
      spanEvent("01.000000", "SPAN_CREATED", "8888888888888801", ""),
      spanEvent("01.100000", "SPAN_CLOSED", "8888888888888801", "", closed("-5", "10", "5")),
      spanEvent("02.000000", "SPAN_CREATED", "8888888888888802", ""),
      spanEvent("02.100000", "SPAN_CLOSED", "8888888888888802", "", closed("1.5", "2.5", "4")),
      spanEvent("03.000000", "SPAN_CLOSED", "8888888888888803", "", closed("1e300", "1", "1e300")),
      spanEvent(
        "04.000000",
        "SPAN_CLOSED",
        "8888888888888804",
        "",
        closed("18446744073709551615", "1", "18446744073709551616"),
      ),
      spanEvent("05.000000", "SPAN_CLOSED", "8888888888888805", "", closed('"12"', '"8"', '"20"')),
      spanEvent("06.000000", "SPAN_CREATED", "8888888888888806", ""),
      spanEvent("06.500000", "SPAN_CLOSED", "8888888888888806", "", closed("100", "100", "999")),
      spanEvent("07.000000", "SPAN_CLOSED", "8888888888888807", "", closed("0", "0", "0")),
      spanEvent(
        "08.000000",
        "SPAN_CLOSED",
        "8888888888888808",
        "",
        '"time.duration_us":10,"time.idle_us":10,',
      ),
    ]),
  },
  {
    name: "span-parent-cycle.jsonl",
    about:
      "parent chains that loop: two spans each other's parent, a span its own parent, a three-span cycle with a child hanging off it. Views cut the loop and say so; nothing hangs.",
    content: lines([
      spanEvent("01.000000", "SPAN_CREATED", "a000000000000001", "a000000000000002"),
      spanEvent("01.100000", "SPAN_CREATED", "a000000000000002", "a000000000000001"),
      spanEvent(
        "01.200000",
        "SPAN_CLOSED",
        "a000000000000002",
        "a000000000000001",
        closed("1", "1", "2"),
      ),
      spanEvent(
        "01.300000",
        "SPAN_CLOSED",
        "a000000000000001",
        "a000000000000002",
        closed("1", "1", "2"),
      ),
      spanEvent("02.000000", "SPAN_CREATED", "b000000000000001", "b000000000000001"),
      spanEvent(
        "02.100000",
        "SPAN_CLOSED",
        "b000000000000001",
        "b000000000000001",
        closed("1", "1", "2"),
      ),
      spanEvent("03.000000", "SPAN_CREATED", "c000000000000001", "c000000000000003"),
      spanEvent("03.000001", "SPAN_CREATED", "c000000000000002", "c000000000000001"),
      spanEvent("03.000002", "SPAN_CREATED", "c000000000000003", "c000000000000002"),
      spanEvent("03.000003", "SPAN_CREATED", "c000000000000004", "c000000000000002"),
      spanEvent(
        "03.500000",
        "SPAN_CLOSED",
        "c000000000000004",
        "c000000000000002",
        closed("1", "1", "2"),
      ),
    ]),
  },
];
