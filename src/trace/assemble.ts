/**
 * Records of one trace to a span tree. Markers are paired per (source, span id): an opening
 * marker (`SPAN_CREATED` or `SPAN_FIRST_ENTRY`) starts a span, `SPAN_CLOSED` ends it and gives
 * busy/idle/duration. What real logs contain is handled, not assumed away:
 * - no close: the span is open (running, or its process died) and ends at its last record;
 * - only the close: start = close - time.duration_us;
 * - no marker at all (span events hidden by DYN_LOG=info): the span is inferred from its events;
 * - a parent in no given log: the span becomes a root, its parent id kept;
 * - a span id seen twice (a second opening after a close, or in two logs): separate spans, flagged;
 * - parent chains that loop: cut where the loop closes (no hang);
 * - a child outside its parent's time range: flagged as clock skew.
 * Everything is iterative, so a 100 000-span chain cannot overflow the stack.
 *
 * Receives: the records of one trace and the service each source announced. Emits: a `Trace`.
 */
import { WARN } from "../model/level.js";
import type { LogRecord } from "../model/record.js";
import { markCriticalPath } from "./critical-path.js";
import type { Span, Trace } from "./span.js";

/** Keys of a span record that are not span attributes. */
const NOT_ATTRIBUTES = new Set(["time.busy_us", "time.idle_us", "time.duration_us"]);

interface Draft {
  span: Span;
  openUs: number;
  closeUs: number;
  firstUs: number;
  lastUs: number;
  hasOpen: boolean;
  hasClose: boolean;
  order: number;
}

/** Names the service of a record (`serviceOf` of model/record.ts). */
export type ServiceOf = (rec: LogRecord) => string;

function attributesOf(rec: LogRecord): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of rec.fields) if (!NOT_ATTRIBUTES.has(f.key)) out.set(f.key, f.text);
  return out;
}

function newDraft(rec: LogRecord, serviceOf: ServiceOf, order: number): Draft {
  const span: Span = {
    spanId: rec.spanId,
    parentId: rec.parentId,
    name: rec.spanName,
    target: rec.target,
    service: serviceOf(rec),
    source: rec.label,
    startUs: Number.NaN,
    endUs: Number.NaN,
    closed: false,
    durationUs: null,
    busyUs: null,
    idleUs: null,
    attributes: new Map(),
    records: [],
    warnings: 0,
    errors: 0,
    flags: new Set(),
    parent: null,
    children: [],
    critical: false,
    depth: 0,
  };
  const t = rec.timeUs;
  return {
    span,
    openUs: t,
    closeUs: t,
    firstUs: t,
    lastUs: t,
    hasOpen: false,
    hasClose: false,
    order,
  };
}

function absorb(draft: Draft, rec: LogRecord): void {
  const span = draft.span;
  const t = rec.timeUs;
  if (!Number.isNaN(t)) {
    if (!(draft.firstUs <= t)) draft.firstUs = t;
    if (!(draft.lastUs >= t)) draft.lastUs = t;
  }
  if (span.parentId === "" && rec.parentId !== "") span.parentId = rec.parentId;
  if (span.name === "") span.name = rec.spanName;
  if (rec.marker === "created" || rec.marker === "first_entry") {
    draft.hasOpen = true;
    draft.openUs = t;
    span.target = rec.target;
    span.attributes = attributesOf(rec);
  } else if (rec.marker === "closed") {
    draft.hasClose = true;
    draft.closeUs = t;
    span.target = rec.target;
    span.durationUs = Number.isNaN(rec.durationUs) ? null : rec.durationUs;
    span.busyUs = Number.isNaN(rec.busyUs) ? null : rec.busyUs;
    span.idleUs = Number.isNaN(rec.idleUs) ? null : rec.idleUs;
    if (span.durationUs === null && span.busyUs !== null && span.idleUs !== null) {
      span.durationUs = span.busyUs + span.idleUs;
    }
    if (span.attributes.size === 0) span.attributes = attributesOf(rec);
  } else {
    span.records.push(rec);
    if (rec.level <= WARN) {
      if (rec.level === WARN) span.warnings++;
      else span.errors++;
    }
    if (span.attributes.size === 0 && !draft.hasOpen) span.attributes = attributesOf(rec);
  }
}

/** Whether `rec` must start a new span rather than join the current one of its id. */
function startsNewInstance(draft: Draft, rec: LogRecord): boolean {
  if (draft.hasClose) return true;
  return (rec.marker === "created" || rec.marker === "first_entry") && draft.hasOpen;
}

function finish(draft: Draft): Span {
  const span = draft.span;
  if (draft.hasOpen) span.startUs = draft.openUs;
  else if (draft.hasClose && span.durationUs !== null) {
    span.startUs = draft.closeUs - span.durationUs;
    span.flags.add("start-from-duration");
  } else span.startUs = draft.firstUs;
  if (!draft.hasOpen && !draft.hasClose) span.flags.add("inferred");
  if (draft.hasClose) {
    span.closed = true;
    span.endUs = draft.closeUs;
  } else {
    span.endUs = Number.isNaN(draft.lastUs) ? span.startUs : Math.max(draft.lastUs, span.startUs);
    if (draft.hasOpen) span.flags.add("open");
  }
  return span;
}

function byTime(a: LogRecord, b: LogRecord): number {
  return a.orderUs - b.orderUs || a.source.index - b.source.index || a.lineNo - b.lineNo;
}

/** Builds the spans of one trace (unlinked), in order of first appearance. */
function buildSpans(records: LogRecord[], serviceOf: ServiceOf): Span[] {
  const current = new Map<string, Draft>();
  const drafts: Draft[] = [];
  for (const rec of [...records].sort(byTime)) {
    if (rec.spanId === "") continue;
    const key = `${rec.label}\u0000${rec.spanId}`;
    let draft = current.get(key);
    if (draft === undefined || startsNewInstance(draft, rec)) {
      if (draft !== undefined) draft.span.flags.add("duplicate-id");
      const next = newDraft(rec, serviceOf, drafts.length);
      if (draft !== undefined) next.span.flags.add("duplicate-id");
      draft = next;
      current.set(key, draft);
      drafts.push(draft);
    }
    absorb(draft, rec);
  }
  return drafts.map(finish);
}

/**
 * The instance of a repeated parent id that holds the child's start (of the two that started
 * last before it), else the first that is not the child itself. `candidates` is sorted by
 * start, so a span id repeated 100 000 times costs a binary search per child, not a scan.
 */
function chooseParent(candidates: readonly Span[], child: Span): Span | null {
  let lo = 0;
  let hi = candidates.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((candidates[mid] as Span).startUs <= child.startUs) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let i = found; i >= 0 && i >= found - 1; i--) {
    const p = candidates[i] as Span;
    if (p !== child && p.startUs <= child.startUs && child.startUs <= p.endUs) return p;
  }
  return candidates.find((p) => p !== child) ?? null;
}

/** Links each span to its parent; a parent in no given log leaves the span an orphan root. */
function linkParents(spans: Span[]): void {
  const byId = new Map<string, Span[]>();
  for (const s of spans) {
    const list = byId.get(s.spanId);
    if (list === undefined) byId.set(s.spanId, [s]);
    else list.push(s);
  }
  for (const list of byId.values()) {
    if (list.length < 2) continue;
    for (const s of list) s.flags.add("duplicate-id");
    list.sort((a, b) => a.startUs - b.startUs);
  }
  for (const s of spans) {
    if (s.parentId === "") continue;
    const candidates = byId.get(s.parentId);
    const parent = candidates === undefined ? null : chooseParent(candidates, s);
    if (parent === null) s.flags.add("orphan");
    else s.parent = parent;
  }
}

/** Cuts parent chains that loop (O(n): each span is walked once). */
function cutCycles(spans: Span[]): void {
  const state = new Map<Span, 1 | 2>();
  for (const s of spans) {
    const path: Span[] = [];
    let p: Span | null = s;
    while (p !== null && state.get(p) === undefined) {
      state.set(p, 1);
      path.push(p);
      const parent: Span | null = p.parent;
      if (parent !== null && state.get(parent) === 1) {
        p.parent = null;
        p.flags.add("cycle");
        break;
      }
      p = parent;
    }
    for (const q of path) state.set(q, 2);
  }
}

function byStart(a: Span, b: Span): number {
  return a.startUs - b.startUs || a.name.localeCompare(b.name);
}

/** Children lists, depth and tree order (depth-first), iteratively. */
function orderTree(spans: Span[]): { roots: Span[]; ordered: Span[]; depth: number } {
  const roots: Span[] = [];
  for (const s of spans) {
    if (s.parent === null) roots.push(s);
    else s.parent.children.push(s);
  }
  for (const s of spans) s.children.sort(byStart);
  roots.sort(byStart);
  const ordered: Span[] = [];
  const stack: Span[] = [...roots].reverse();
  let depth = 0;
  while (stack.length > 0) {
    const s = stack.pop() as Span;
    s.depth = s.parent === null ? 0 : s.parent.depth + 1;
    depth = Math.max(depth, s.depth + 1);
    ordered.push(s);
    for (let i = s.children.length - 1; i >= 0; i--) stack.push(s.children[i] as Span);
  }
  return { roots, ordered, depth };
}

function flagSkew(spans: Span[]): void {
  for (const s of spans) {
    const p = s.parent;
    if (p === null) continue;
    if (s.startUs < p.startUs || (s.closed && p.closed && s.endUs > p.endUs)) s.flags.add("skew");
  }
}

/** Assembles one trace from its records. */
export function assembleTrace(traceId: string, records: LogRecord[], serviceOf: ServiceOf): Trace {
  const spans = buildSpans(records, serviceOf);
  linkParents(spans);
  cutCycles(spans);
  const { roots, ordered, depth } = orderTree(spans);
  flagSkew(ordered);
  markCriticalPath(roots);
  let startUs = Number.POSITIVE_INFINITY;
  let endUs = Number.NEGATIVE_INFINITY;
  const services = new Set<string>();
  for (const s of [...ordered].sort(byStart)) {
    if (s.startUs < startUs) startUs = s.startUs;
    if (s.endUs > endUs) endUs = s.endUs;
    services.add(s.service);
  }
  const requestId = records.find((r) => r.requestId !== "")?.requestId ?? "";
  return {
    traceId,
    requestId,
    roots,
    spans: ordered,
    startUs,
    endUs,
    services: [...services],
    depth,
  };
}
