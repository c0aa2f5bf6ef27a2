/**
 * `--format chrome`: the Trace Event Format (Perfetto, chrome://tracing, speedscope). One process
 * per service (`process_name`), threads named after the trace; spans are `X` events (µs) whose
 * `args` hold span_id, parent_id, busy_us, idle_us and the attributes. Spans on one thread must
 * nest, so a trace's spans in one service are laid on as few threads as keep them nested
 * (concurrent siblings get a second thread). A flow arrow joins a parent to each child on
 * another thread or process.
 *
 * Receives: traces. Emits: one JSON document, written trace by trace.
 */
import type { Span, Trace } from "../trace/span.js";
import type { TraceDocument } from "./format.js";

interface Lane {
  tid: number;
  /** Ends of the spans open on this thread, innermost last (with their starts). */
  open: { start: number; end: number }[];
}

interface Process {
  pid: number;
  nextTid: number;
}

function place(lanes: Lane[], start: number, end: number, newLane: () => Lane): Lane {
  for (const lane of lanes) {
    const open = lane.open;
    while (open.length > 0 && (open[open.length - 1] as { end: number }).end <= start) open.pop();
    const top = open[open.length - 1];
    if (top === undefined || (top.start <= start && end <= top.end)) {
      open.push({ start, end });
      return lane;
    }
  }
  const lane = newLane();
  lane.open.push({ start, end });
  lanes.push(lane);
  return lane;
}

export function chromeDocument(): TraceDocument {
  const processes = new Map<string, Process>();
  let first = true;
  let flowId = 0;
  const events: string[] = [];
  const emit = (e: object) => events.push(JSON.stringify(e));

  function processOf(service: string): Process {
    let p = processes.get(service);
    if (p === undefined) {
      p = { pid: processes.size + 1, nextTid: 1 };
      processes.set(service, p);
      emit({ name: "process_name", ph: "M", pid: p.pid, tid: 0, args: { name: service } });
    }
    return p;
  }

  function layOut(trace: Trace): Map<Span, { pid: number; tid: number }> {
    const at = new Map<Span, { pid: number; tid: number }>();
    const byService = new Map<string, Span[]>();
    for (const s of trace.spans) {
      const list = byService.get(s.service);
      if (list === undefined) byService.set(s.service, [s]);
      else list.push(s);
    }
    for (const [service, spans] of byService) {
      const proc = processOf(service);
      spans.sort((a, b) => a.startUs - b.startUs || b.endUs - a.endUs || a.depth - b.depth);
      const lanes: Lane[] = [];
      const newLane = (): Lane => {
        const tid = proc.nextTid++;
        const name = `trace ${trace.traceId.slice(0, 16)}${lanes.length > 0 ? ` (${lanes.length + 1})` : ""}`;
        emit({ name: "thread_name", ph: "M", pid: proc.pid, tid, args: { name } });
        return { tid, open: [] };
      };
      for (const s of spans) {
        const lane = place(lanes, s.startUs, Math.max(s.startUs, s.endUs), newLane);
        at.set(s, { pid: proc.pid, tid: lane.tid });
      }
    }
    return at;
  }

  function traceEvents(trace: Trace): void {
    const at = layOut(trace);
    for (const s of trace.spans) {
      const where = at.get(s) as { pid: number; tid: number };
      const args: Record<string, string | number | null> = {
        trace_id: trace.traceId,
        span_id: s.spanId,
        parent_id: s.parentId === "" ? null : s.parentId,
        busy_us: s.busyUs,
        idle_us: s.idleUs,
      };
      for (const [k, v] of s.attributes) if (!(k in args)) args[k] = v;
      if (s.flags.size > 0) args["dynlog.flags"] = [...s.flags].sort().join(",");
      emit({
        name: s.name,
        cat: s.service,
        ph: "X",
        ts: s.startUs,
        dur: Math.max(0, s.endUs - s.startUs),
        pid: where.pid,
        tid: where.tid,
        args,
      });
      const parent = s.parent;
      if (parent === null) continue;
      const from = at.get(parent) as { pid: number; tid: number };
      if (from.pid === where.pid && from.tid === where.tid) continue;
      const id = ++flowId;
      const ts = Math.min(Math.max(s.startUs, parent.startUs), parent.endUs);
      emit({ name: "call", cat: "flow", ph: "s", id, ts, pid: from.pid, tid: from.tid });
      emit({ name: "call", cat: "flow", ph: "f", bp: "e", id, ts: s.startUs, ...where });
    }
  }

  return {
    begin: () => '{"displayTimeUnit":"ms","traceEvents":[',
    trace: (trace) => {
      traceEvents(trace);
      const text = events.join(",\n");
      events.length = 0;
      if (text === "") return "";
      const out = first ? `\n${text}` : `,\n${text}`;
      first = false;
      return out;
    },
    finish: () => "\n]}\n",
  };
}
