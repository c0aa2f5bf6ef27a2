/**
 * The span model: the one place that turns records into spans and spans into traces. Every
 * command that speaks of spans (`trace`, `traces`, `stats`, `tail --traces`, `validate`) goes
 * through it, so they agree on what a span is, how long it took and which one is the root.
 *
 * Pairing: a span instance is keyed by (trace id, input, source label, span id) and fed records
 * in input order. An opening marker (`SPAN_CREATED` or `SPAN_FIRST_ENTRY`) starts it, `SPAN_CLOSED`
 * ends it and gives duration/busy/idle; a record after the close, or a second opening, starts a
 * new instance of the same id (flagged as a duplicate). A span with no marker at all (Dynamo's
 * default: `DYN_LOGGING_SPAN_EVENTS` off) is inferred from the records logged inside it: it lasts
 * from its first to its last record, a lower bound of its real duration.
 *
 * Times: closed, start = opening (else close - duration); end = close; duration = the close's
 * `time.duration_us`, else busy + idle. Open: start = opening, end = its last record.
 *
 * Linking (one trace): a parent in no given span leaves the span an orphan root (parent id kept);
 * parent chains that loop are cut; a child outside its parent's time is clock skew. The request's
 * root is the earliest span without a parent id, else the earliest root; the request's duration
 * is that root's (a lower bound when the root is open or inferred).
 *
 * Two depths over the same rules: `SpanPairer` keeps compact span states (a few hundred bytes,
 * no records) for summaries; in full mode it also keeps each span's attributes, code location and
 * the records logged inside it (all of them, or the earliest by time up to a bound, the rest
 * counted). A compact pairer may also hand each instance over as it closes and forget it
 * (`closed`): per-span statistics need no trace, so closed spans need not wait for the end. `TraceAssembler` pairs the records of a whole run as they stream by and yields full
 * `Trace` objects (`trace`, exporters, reports): memory holds span states and the records they
 * keep, not every record read.
 *
 * Receives: records (and how to name a record's service). Emits: span states, spans, traces.
 */
import { WARN } from "../model/level.js";
import { type LogRecord, serviceOf as recordService } from "../model/record.js";
import { own } from "../model/strings.js";
import { type DormantRecord, dormant, revive } from "../parse/dormant-record.js";
import { lookupValue } from "../parse/normalize.js";
import { markCriticalPath } from "./critical-path.js";
import type { Span, Trace } from "./span.js";

/** Names the service of a record (see `serviceOf` in model/record.ts). */
export type RecordService = (rec: LogRecord) => string;

/** A record kept inside a span: parsed, or dormant (its text, parsed again when needed). */
export type KeptRecord = LogRecord | DormantRecord;

/** Keys of a span record that are not span attributes. */
const NOT_ATTRIBUTES = new Set(["time.busy_us", "time.idle_us", "time.duration_us"]);

/** A close's duration: `time.duration_us`, else busy + idle; NaN when it says neither. */
export function closeDurationUs(rec: LogRecord): number {
  return Number.isNaN(rec.durationUs) ? rec.busyUs + rec.idleUs : rec.durationUs;
}

/** What is known of one span instance while its records stream by. */
export interface SpanState {
  traceId: string;
  spanId: string;
  parentId: string;
  name: string;
  target: string;
  service: string;
  label: string;
  sourceIndex: number;
  /** Line of the opening marker, else of the close, else of the first record (0 when unknown). */
  line: number;
  firstUs: number;
  lastUs: number;
  openUs: number;
  closeUs: number;
  hasOpen: boolean;
  hasClose: boolean;
  durationUs: number;
  busyUs: number;
  idleUs: number;
  warnings: number;
  errors: number;
  duplicate: boolean;
  /** Full mode: every attribute. Compact mode: a root's `method` and `uri` only, in a map
   *  shared by the roots with the same two (read only). */
  attributes: Map<string, string>;
  /** Full mode only: the records logged inside the span (markers excluded), at most twice the
   *  pairer's bound until `settle` sorts them by time and keeps the bound. */
  records: KeptRecord[] | null;
  /** Records logged inside the span that were not kept (beyond the pairer's bound). */
  droppedRecords: number;
  /** Full mode only: the earliest ERROR record inside the span (kept or not), else null. */
  firstError: LogRecord | null;
  /** Full mode only: code location (`file`, `line`) of the opening marker, else of the close. */
  codeFile: string;
  codeLine: string;
}

/**
 * A span state. Its seven times live in one array of unboxed doubles: as fields, each would be a
 * number object of its own, and states are what summaries keep of every span until the end.
 */
class TimedState implements SpanState {
  parentId = "";
  name = "";
  target = "";
  service = "";
  line = 0;
  hasOpen = false;
  hasClose = false;
  warnings = 0;
  errors = 0;
  duplicate = false;
  attributes = EMPTY;
  records: KeptRecord[] | null = null;
  droppedRecords = 0;
  firstError: LogRecord | null = null;
  codeFile = "";
  codeLine = "";
  /** The times, in the order of TIMES. */
  readonly times = [
    Number.NaN,
    Number.NaN,
    Number.NaN,
    Number.NaN,
    Number.NaN,
    Number.NaN,
    Number.NaN,
  ];
  declare firstUs: number;
  declare lastUs: number;
  declare openUs: number;
  declare closeUs: number;
  declare durationUs: number;
  declare busyUs: number;
  declare idleUs: number;

  constructor(
    readonly traceId: string,
    readonly spanId: string,
    readonly label: string,
    readonly sourceIndex: number,
  ) {}
}

/** The times of a state, each an accessor of its slot in `times`. */
const TIMES = ["firstUs", "lastUs", "openUs", "closeUs", "durationUs", "busyUs", "idleUs"] as const;
TIMES.forEach((name, slot) => {
  Object.defineProperty(TimedState.prototype, name, {
    get(this: TimedState): number {
      return this.times[slot] as number;
    },
    set(this: TimedState, us: number) {
      this.times[slot] = us;
    },
  });
});

/** A span's attributes, as independent strings: a span outlives its marker's line. */
function attributesOf(rec: LogRecord): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of rec.fields) if (!NOT_ATTRIBUTES.has(f.key)) out.set(own(f.key), own(f.text));
  return out;
}

/** A root's method and uri (looked up lazily), as compact mode keeps them. */
function rootAttributes(rec: LogRecord): Map<string, string> {
  const out = new Map<string, string>();
  const method = lookupValue(rec, "method");
  const uri = lookupValue(rec, "uri");
  if (method !== undefined && method !== null) out.set("method", own(method));
  if (uri !== undefined && uri !== null) out.set("uri", own(uri));
  return out;
}

export interface PairerOptions {
  /** Keep records and every attribute (full spans), or a compact state only. */
  full?: boolean;
  /** The service of a record; default `serviceOf` of model/record.ts. */
  service?: RecordService;
  /** Asked before a new span instance is started; false drops the record. */
  admit?: (rec: LogRecord) => boolean;
  /** Compact mode: keep a root's `method` and `uri` (default true; looking them up costs). */
  rootAttributes?: boolean;
  /** Full mode: records kept per span, the earliest by time (default: all); the rest counted. */
  maxRecords?: number;
  /** Full mode: keep JSON records dormant (their text only) until the span is finished. */
  dormant?: boolean;
  /**
   * Compact mode: each instance is handed here as it closes (final: later records of its span id
   * start a new instance) and forgotten at once. Its strings may be views into the record's line
   * (copy what is kept), and its `duplicate` flag is not known (a later instance of the same id
   * is not flagged either: nothing is linked).
   */
  closed?: (state: SpanState) => void;
}

/** The span instances of one trace while they are paired, keyed by (input, label, span id). */
export type TraceInstances = Map<string, SpanState>;

/** Strings (names, targets, services) and root attribute maps shared between span states. */
const MAX_SHARED_STRINGS = 4096;

const EMPTY: Map<string, string> = new Map();

/**
 * Copies of strings that few distinct values take (span names, targets, services), one per value,
 * shared by every state that keeps it; the last one asked for is looked at first.
 */
class SharedStrings {
  private readonly copies = new Map<string, string>();
  private last = "";

  get(s: string): string {
    if (s === this.last) return this.last;
    let copy = this.copies.get(s);
    if (copy === undefined) {
      copy = own(s);
      if (this.copies.size < MAX_SHARED_STRINGS) this.copies.set(copy, copy);
    }
    this.last = copy;
    return copy;
  }
}

/** Pairs records into span instances (see the module comment for the rules). */
export class SpanPairer {
  /** Current instance per trace, then per (input, label, span id). */
  private readonly current = new Map<string, Map<string, SpanState>>();
  private readonly full: boolean;
  private readonly service: RecordService;
  private readonly admit: ((rec: LogRecord) => boolean) | null;
  private readonly rootAttributes: boolean;
  private readonly maxRecords: number;
  private readonly dormant: boolean;
  private readonly closed: ((state: SpanState) => void) | null;
  /** Names, targets and services, each copied once and shared by the states that keep it. */
  private readonly names = new SharedStrings();
  private readonly targets = new SharedStrings();
  private readonly services = new SharedStrings();
  /** Compact mode: the attribute maps roots share, by method and uri (read only). */
  private readonly rootMaps = new Map<string, Map<string, string>>();
  /** Whether a span id was ever keyed by (input, label, span id): misses then look there too. */
  private aliased = false;
  /** Span instances started so far. */
  started = 0;

  constructor(options: PairerOptions = {}) {
    this.full = options.full ?? false;
    this.maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
    this.dormant = options.dormant ?? false;
    this.rootAttributes = options.rootAttributes ?? true;
    this.service = options.service ?? recordService;
    this.admit = options.admit ?? null;
    this.closed = !this.full && options.closed !== undefined ? options.closed : null;
  }

  /**
   * Adds a record with a span id to its span instance and returns that instance (`null` when the
   * record has no span id, was not admitted, or closed an instance handed to `closed`).
   * `started` grows when the record started one.
   */
  add(rec: LogRecord): SpanState | null {
    if (rec.spanId === "") return null;
    let spans = this.current.get(rec.traceId);
    if (spans === undefined) {
      spans = new Map();
      this.current.set(own(rec.traceId), spans);
    }
    return this.addTo(spans, null, rec);
  }

  /**
   * `add` for a caller that keeps the instances of each trace itself: `spans` holds those of
   * the record's trace, `traceId` is its trace id as kept (the instances share it; null: each
   * copies the record's). Such instances are not seen by `endSource` and `forgetTrace`.
   */
  addTo(spans: TraceInstances, traceId: string | null, rec: LogRecord): SpanState | null {
    if (rec.spanId === "") return null;
    // Keyed by span id alone while one (input, label) uses it: no key is built per record. The
    // same id from another input or label (rare) is keyed by all three.
    let key = rec.spanId;
    let state = spans.get(key);
    if (
      state !== undefined
        ? state.sourceIndex !== rec.source.index || state.label !== rec.label
        : this.aliased
    ) {
      const alias = `${rec.source.index}\u0000${rec.label}\u0000${rec.spanId}`;
      const other = spans.get(alias);
      if (state !== undefined || other !== undefined) {
        key = alias;
        state = other;
      }
    }
    const opening = rec.marker === "created" || rec.marker === "first_entry";
    /** Whether the instance is (or will be) in `spans`; one handed over at once never is. */
    let kept = true;
    if (state === undefined || state.hasClose || (opening && state.hasOpen)) {
      if (this.admit !== null && !this.admit(rec)) return null;
      const previous = state;
      kept = this.closed === null || rec.marker !== "closed";
      state = this.start(rec, traceId, kept);
      this.started++;
      if (previous !== undefined) {
        previous.duplicate = true;
        state.duplicate = true;
      }
      if (kept) {
        if (key !== rec.spanId) this.aliased = true;
        spans.set(key === rec.spanId ? state.spanId : key, state);
      }
    }
    this.absorb(state, rec, kept);
    if (this.closed !== null && state.hasClose) {
      if (kept) spans.delete(key);
      this.closed(state);
      return null;
    }
    return state;
  }

  /** Forgets the instances of input `sourceIndex` (its end): later records start new ones. */
  endSource(sourceIndex: number, visit: (state: SpanState) => void = () => {}): void {
    for (const spans of this.current.values()) {
      for (const [key, state] of spans) {
        if (state.sourceIndex !== sourceIndex) continue;
        visit(state);
        spans.delete(key);
      }
    }
  }

  /** Forgets the instances of trace `traceId`. */
  forgetTrace(traceId: string): void {
    this.current.delete(traceId);
  }

  /** Full mode: keeps `rec` among the records of `state` (a line that is not a record, too). */
  keep(state: SpanState, rec: LogRecord): void {
    const records = state.records;
    if (records === null) return;
    records.push(this.dormant ? dormant(rec) : rec);
    if (records.length >= 2 * this.maxRecords) trimRecords(state, this.maxRecords);
  }

  /** Full mode: sorts the records of `state` by time and keeps the earliest `maxRecords`. */
  settle(state: SpanState): void {
    trimRecords(state, this.maxRecords);
  }

  /** A new instance; `kept` false: handed over at once, so its strings need not be copied. */
  private start(rec: LogRecord, traceId: string | null, kept: boolean): SpanState {
    const state = new TimedState(
      traceId ?? (kept ? own(rec.traceId) : rec.traceId),
      kept ? own(rec.spanId) : rec.spanId,
      rec.label,
      rec.source.index,
    );
    state.parentId = kept ? own(rec.parentId) : rec.parentId;
    state.name = kept ? this.names.get(rec.spanName) : rec.spanName;
    state.target = kept ? this.targets.get(rec.target) : rec.target;
    state.service = kept ? this.services.get(this.service(rec)) : this.service(rec);
    state.line = rec.lineNo;
    if (this.full) state.records = [];
    return state;
  }

  private locate(state: SpanState, rec: LogRecord): void {
    if (!this.full) return;
    state.codeFile = own(rec.file);
    state.codeLine = own(rec.line);
  }

  /** `copy` false: `state` is handed over at once, so strings it takes need not be copied. */
  private absorb(state: SpanState, rec: LogRecord, copy: boolean): void {
    const t = rec.timeUs;
    if (!Number.isNaN(t)) {
      if (!(state.firstUs <= t)) state.firstUs = t;
      if (!(state.lastUs >= t)) state.lastUs = t;
    }
    if (state.parentId === "" && rec.parentId !== "")
      state.parentId = copy ? own(rec.parentId) : rec.parentId;
    if (state.name === "") state.name = copy ? this.names.get(rec.spanName) : rec.spanName;
    const marker = rec.marker;
    if (marker === "created" || marker === "first_entry") {
      state.hasOpen = true;
      state.openUs = t;
      state.line = rec.lineNo;
      this.locate(state, rec);
      state.target = copy ? this.targets.get(rec.target) : rec.target;
      state.attributes = this.attributes(rec, state);
    } else if (marker === "closed") {
      state.hasClose = true;
      state.closeUs = t;
      if (!state.hasOpen) {
        state.line = rec.lineNo;
        this.locate(state, rec);
      }
      state.target = copy ? this.targets.get(rec.target) : rec.target;
      state.durationUs = closeDurationUs(rec);
      state.busyUs = rec.busyUs;
      state.idleUs = rec.idleUs;
      if (state.attributes.size === 0) state.attributes = this.attributes(rec, state);
    } else {
      this.keep(state, rec);
      if (rec.level <= WARN) {
        if (rec.level === WARN) state.warnings++;
        else {
          state.errors++;
          const first = state.firstError;
          if (this.full && (first === null || byTime(rec, first) < 0)) state.firstError = rec;
        }
      }
      if (state.attributes.size === 0 && !state.hasOpen)
        state.attributes = this.attributes(rec, state);
    }
  }

  private attributes(rec: LogRecord, state: SpanState): Map<string, string> {
    if (this.full) return attributesOf(rec);
    if (state.parentId !== "" || !this.rootAttributes) return EMPTY;
    // Roots share one map per (method, uri): a handful of values over thousands of requests.
    const attributes = rootAttributes(rec);
    const key = `${attributes.get("method") ?? "\u0001"}\u0000${attributes.get("uri") ?? "\u0001"}`;
    const shared = this.rootMaps.get(key);
    if (shared !== undefined) return shared;
    if (this.rootMaps.size < MAX_SHARED_STRINGS) this.rootMaps.set(key, attributes);
    return attributes;
  }
}

/**
 * The span a state describes, unlinked (times and flags decided here, once); with its records
 * (dormant ones parsed again), or without (`records` false: an outline).
 */
export function finishSpan(state: SpanState, records = true): Span {
  const span: Span = {
    spanId: state.spanId,
    parentId: state.parentId,
    name: state.name,
    target: state.target,
    service: state.service,
    source: state.label,
    sourceIndex: state.sourceIndex,
    line: state.line,
    startUs: Number.NaN,
    endUs: Number.NaN,
    closed: state.hasClose,
    durationUs: null,
    busyUs: Number.isNaN(state.busyUs) ? null : state.busyUs,
    idleUs: Number.isNaN(state.idleUs) ? null : state.idleUs,
    attributes: state.attributes === EMPTY ? new Map() : state.attributes,
    records: records && state.records !== null ? state.records.map(revive) : [],
    droppedRecords: state.droppedRecords,
    firstError: state.firstError,
    codeFile: state.codeFile,
    codeLine: state.codeLine,
    warnings: state.warnings,
    errors: state.errors,
    flags: new Set(),
    parent: null,
    children: [],
    critical: false,
    depth: 0,
  };
  if (state.duplicate) span.flags.add("duplicate-id");
  span.startUs = startOf(state);
  if (!state.hasOpen && state.hasClose && !Number.isNaN(state.durationUs))
    span.flags.add("start-from-duration");
  if (stateInferred(state)) span.flags.add("inferred");
  span.endUs = endOf(state, span.startUs);
  if (state.hasClose) span.durationUs = Number.isNaN(state.durationUs) ? null : state.durationUs;
  else if (state.hasOpen) span.flags.add("open");
  return span;
}

/** A span's start: its opening, else its close less its duration, else its first record. */
function startOf(state: SpanState): number {
  if (state.hasOpen) return state.openUs;
  if (state.hasClose && !Number.isNaN(state.durationUs)) return state.closeUs - state.durationUs;
  return state.firstUs;
}

/** A span's end: its close, else its last record (not before its start). */
function endOf(state: SpanState, startUs: number): number {
  if (state.hasClose) return state.closeUs;
  return Number.isNaN(state.lastUs) ? startUs : Math.max(state.lastUs, startUs);
}

/** A duration from a span's times (see `spanDurationUs`). */
function durationOf(closed: boolean, durationUs: number | null, startUs: number, endUs: number) {
  if (closed) return durationUs ?? endUs - startUs;
  return Math.max(0, endUs - startUs);
}

/** How long a span took as far as the logs tell: exact when closed, else a lower bound. */
export function spanDurationUs(span: Span): number {
  return durationOf(span.closed, span.durationUs, span.startUs, span.endUs);
}

/** Whether the span of a state is known from its records only (the `inferred` flag). */
export function stateInferred(state: SpanState): boolean {
  return !state.hasOpen && !state.hasClose;
}

/**
 * `spanDurationUs` of the span a state describes (`finishSpan`'s rules), without building it:
 * what per-span statistics need of each span.
 */
export function stateDurationUs(state: SpanState): number {
  const startUs = startOf(state);
  const durationUs = Number.isNaN(state.durationUs) ? null : state.durationUs;
  return durationOf(state.hasClose, durationUs, startUs, endOf(state, startUs));
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

/** Links each span to its parent; a parent in no given span leaves the span an orphan root. */
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

/** The request's root: the earliest span without a parent id, else the earliest root. */
export function requestRoot(roots: readonly Span[]): Span | null {
  let best: Span | null = null;
  for (const r of roots) {
    if (r.parentId !== "") continue;
    if (best === null || r.startUs < best.startUs) best = r;
  }
  return best ?? roots[0] ?? null;
}

/**
 * Links unlinked spans (from `finishSpan`) into a trace; `criticalPath: false` skips marking it
 * (summaries do not show it).
 */
export function linkTrace(
  traceId: string,
  requestId: string,
  spans: Span[],
  criticalPath = true,
): Trace {
  linkParents(spans);
  cutCycles(spans);
  const { roots, ordered, depth } = orderTree(spans);
  flagSkew(ordered);
  if (criticalPath) markCriticalPath(roots);
  let startUs = Number.POSITIVE_INFINITY;
  let endUs = Number.NEGATIVE_INFINITY;
  const services: string[] = [];
  const seen = new Set<string>();
  let open = 0;
  let inferred = 0;
  let warnings = 0;
  let errors = 0;
  // Tree order: roots and siblings by start, so services come roughly in order of first use.
  for (const s of ordered) {
    if (s.startUs < startUs) startUs = s.startUs;
    if (s.endUs > endUs) endUs = s.endUs;
    if (!seen.has(s.service)) {
      seen.add(s.service);
      services.push(s.service);
    }
    if (s.flags.has("open")) open++;
    if (s.flags.has("inferred")) inferred++;
    warnings += s.warnings;
    errors += s.errors;
  }
  const root = requestRoot(roots);
  return {
    traceId,
    requestId,
    roots,
    spans: ordered,
    startUs,
    endUs,
    services,
    depth,
    root,
    durationUs: root === null ? Number.NaN : spanDurationUs(root),
    durationLowerBound: root !== null && !root.closed,
    open,
    inferred,
    warnings,
    errors,
  };
}

/** A trace from the span states of its records (`records` false: spans without records). */
export function traceOfStates(
  traceId: string,
  requestId: string,
  states: SpanState[],
  criticalPath = true,
  records = true,
): Trace {
  const spans = states.map((state) => finishSpan(state, records));
  return linkTrace(traceId, requestId, spans, criticalPath);
}

/** Input order: how the streaming consumers see records, so every consumer pairs alike. */
function inInputOrder(a: LogRecord, b: LogRecord): number {
  return a.source.index - b.source.index || a.lineNo - b.lineNo;
}

/** A span's records in time order (a stable sort: records of the needle scan all carry line 0). */
function byTime(a: KeptRecord, b: KeptRecord): number {
  return a.orderUs - b.orderUs || a.source.index - b.source.index || a.lineNo - b.lineNo;
}

/** Sorts the records of `state` by time and keeps the earliest `limit`, counting the others. */
function trimRecords(state: SpanState, limit: number): void {
  const records = state.records;
  if (records === null) return;
  records.sort(byTime);
  if (records.length > limit) {
    state.droppedRecords += records.length - limit;
    records.length = limit;
  }
}

export interface AssemblerOptions {
  /** The service of a record; default `serviceOf` of model/record.ts. */
  service?: RecordService;
  /** Records kept per span, the earliest by time (default: all); the rest are counted. */
  maxSpanRecords?: number;
  /** Records taken per trace (default: all); later ones are left out and the trace is listed
   *  in `truncated`. */
  maxTraceRecords?: number;
  /** Keep records dormant (their text only) until their trace is assembled. */
  dormant?: boolean;
}

/** What is gathered of one trace while its records stream by. */
interface TraceEntry {
  /** The first request id its records carry (span ids or not). */
  requestId: string;
  states: SpanState[];
  records: number;
}

/**
 * Every trace of a run: `add` each record (any number of inputs, each in input order), then
 * `trace(id)` or `traces()` assembles them. Records are paired into span states as they arrive;
 * each state keeps the records logged inside its span (bounded by `maxSpanRecords`), so memory
 * grows with the spans and the records they keep, not with every record read. A line that is not
 * a record (a traceback) belongs to the span of the record before it in its input. The entry
 * point for views and exports that need spans with their records.
 */
export class TraceAssembler {
  private readonly byTrace = new Map<string, TraceEntry>();
  private readonly pairer: SpanPairer;
  private readonly maxTraceRecords: number;
  /** Per input, the span of the last record taken (for the lines that follow it). */
  private readonly last = new Map<number, SpanState>();
  /** Traces that had more records than `maxTraceRecords`. */
  readonly truncated = new Set<string>();

  constructor(options: AssemblerOptions = {}) {
    this.pairer = new SpanPairer({
      full: true,
      service: options.service ?? recordService,
      maxRecords: options.maxSpanRecords,
      dormant: options.dormant,
    });
    this.maxTraceRecords = options.maxTraceRecords ?? Number.POSITIVE_INFINITY;
  }

  /** Takes a record; one without a trace id belongs to no trace (a following line excepted). */
  add(rec: LogRecord): void {
    const input = rec.source.index;
    if (rec.kind === "unparsed") {
      const state = this.last.get(input);
      if (state !== undefined) this.pairer.keep(state, rec);
      return;
    }
    this.last.delete(input);
    if (rec.traceId === "") return;
    let entry = this.byTrace.get(rec.traceId);
    if (entry === undefined) {
      entry = { requestId: "", states: [], records: 0 };
      this.byTrace.set(own(rec.traceId), entry);
    }
    if (entry.records >= this.maxTraceRecords) {
      this.truncated.add(rec.traceId);
      return;
    }
    entry.records++;
    if (entry.requestId === "" && rec.requestId !== "") entry.requestId = own(rec.requestId);
    const before = this.pairer.started;
    const state = this.pairer.add(rec);
    if (state === null) return;
    this.last.set(input, state);
    if (this.pairer.started !== before) entry.states.push(state);
  }

  /** Traces seen (with span ids or not). */
  get size(): number {
    return this.byTrace.size;
  }

  /** The ids of the traces seen, in order of first appearance. */
  traceIds(): IterableIterator<string> {
    return this.byTrace.keys();
  }

  has(traceId: string): boolean {
    return this.byTrace.has(traceId);
  }

  /**
   * Trace `traceId` linked from its spans without their records (null when none of its records
   * had a span id): what choosing and ordering traces needs, at a fraction of the cost. The
   * trace stays, to be assembled with `trace`.
   */
  outline(traceId: string): Trace | null {
    const entry = this.byTrace.get(traceId);
    if (entry === undefined || entry.states.length === 0) return null;
    return traceOfStates(traceId, entry.requestId, entry.states, false, false);
  }

  /** Trace `traceId` assembled (null when none of its records had a span id), then forgotten. */
  trace(traceId: string): Trace | null {
    const entry = this.byTrace.get(traceId);
    if (entry === undefined) return null;
    this.byTrace.delete(traceId);
    this.pairer.forgetTrace(traceId);
    if (entry.states.length === 0) return null;
    return this.link(traceId, entry.requestId, entry.states);
  }

  /** Every trace with spans, assembled one at a time, in order of first appearance. */
  *traces(): Generator<Trace> {
    for (const traceId of [...this.byTrace.keys()]) {
      const trace = this.trace(traceId);
      if (trace !== null) yield trace;
    }
  }

  /** Every span taken, whatever its trace id, as one trace. */
  whole(traceId: string, requestId: string): Trace {
    const states = [...this.byTrace.values()].flatMap((e) => e.states);
    this.byTrace.clear();
    return this.link(traceId, requestId, states);
  }

  private link(traceId: string, requestId: string, states: SpanState[]): Trace {
    for (const s of states) this.pairer.settle(s);
    return traceOfStates(traceId, requestId, states);
  }
}

/** Assembles one trace from its records (any order). */
export function assembleTrace(
  traceId: string,
  records: readonly LogRecord[],
  service: RecordService = recordService,
): Trace {
  const assembler = new TraceAssembler({ service });
  // A stable sort: records of the needle scan all carry line 0 and arrive in input order.
  for (const rec of [...records].sort(inInputOrder)) assembler.add(rec);
  return assembler.whole(traceId, records.find((r) => r.requestId !== "")?.requestId ?? "");
}
