/**
 * Decides, per record, what Dynamo's EnvFilter would have decided for the event that wrote it.
 *
 * Directives split into statics (target and field names only) and dynamics (a span name or field
 * values); a directive of the form `[{name}]` is both. Statics: the most specific directive whose
 * target prefixes the record's target (and, for events, whose field names the event has) decides.
 * Dynamics: a record inside a span is also enabled when a directive that matches the span (name,
 * target, field names and recorded values) enables a level at least the record's. A JSONL record
 * carries its innermost span only: its `span_name` and flattened fields stand for the span. A
 * span-marker record (`SPAN_CREATED` etc.) is written with the span's own target; any other
 * record does not say its span's target, so a target-qualified span directive
 * (`dynamo_llm[http-request]=debug`) does not apply to it. Each record is decided on its own:
 * nothing is remembered between records (no span target learned from earlier markers).
 *
 * Receives: directive reports, once. Emits: a decision function over records.
 */
import { INFO, type Level, type LevelFilter, OFF } from "../model/level.js";
import type { Field, LogRecord } from "../model/record.js";
import { type Directive, type PieceReport, parseDirectives } from "./directive.js";
import { fieldMatches } from "./value-match.js";

/** Dynamo's own default directives, added after `DYN_LOG` (lib/runtime/src/logging.rs). */
export const DYNAMO_DEFAULT_DIRECTIVES =
  "h2=error,tower=error,hyper_util=error,neli=error,async_nats=error,rustls=error," +
  "tokenizers=error,axum=error,tonic=error,mistralrs_core=error,hf_hub=error," +
  "opentelemetry=error,opentelemetry-otlp=error,opentelemetry_sdk=error";

interface StaticDirective {
  target: string | null;
  fieldNames: string[];
  level: LevelFilter;
}

export interface CompileOptions {
  /** Add Dynamo's default directives after the user's, as a Dynamo process does. */
  dynamoDefaults?: boolean;
}

export class EnvFilter {
  private readonly statics: StaticDirective[] = [];
  private readonly dynamics: Directive[] = [];
  private staticMax: LevelFilter = OFF;
  private dynamicMax: LevelFilter = OFF;
  /** Most verbose level the statics enable per target (event records without field names). */
  private readonly byTarget = new Map<string, LevelFilter>();
  /** Some static directive names fields: events are then decided by their fields too. */
  private staticsNameFields = false;
  readonly reports: PieceReport[];

  constructor(text: string, options: CompileOptions = {}) {
    this.reports = parseDirectives(text);
    for (const r of this.reports) if (r.directive) this.add(r.directive);
    if (this.statics.length === 0 && this.dynamics.length === 0) {
      this.add({ target: null, span: null, fields: [], level: INFO });
    }
    if (options.dynamoDefaults) {
      for (const r of parseDirectives(DYNAMO_DEFAULT_DIRECTIVES)) {
        if (r.directive) this.add(r.directive);
      }
    }
  }

  private add(d: Directive): void {
    const dynamic = d.span !== null || d.fields.length > 0;
    const isStatic = d.span === null && d.fields.every((f) => f.value === null);
    if (dynamic) {
      this.dynamicMax = Math.max(this.dynamicMax, d.level) as LevelFilter;
      replaceOrAdd(this.dynamics, d, sameDynamic);
    }
    if (isStatic) {
      const s: StaticDirective = {
        target: d.target,
        fieldNames: d.fields.map((f) => f.name),
        level: d.level,
      };
      this.staticMax = Math.max(this.staticMax, d.level) as LevelFilter;
      replaceOrAdd(this.statics, s, sameStatic);
      this.statics.sort(bySpecificity);
      this.staticsNameFields = this.statics.some((x) => x.fieldNames.length > 0);
    }
    this.byTarget.clear();
  }

  /** Would Dynamo have written this record under these directives? */
  enabled(rec: LogRecord): boolean {
    const level = rec.level;
    if (rec.marker !== null) return this.spanEnabled(rec, level);
    if (this.dynamicMax >= level && rec.spanName !== "" && this.scopeLevel(rec) >= level) {
      return true;
    }
    return this.staticMax >= level && this.staticLevel(rec, true) >= level;
  }

  /** A span-marker record stands for the span itself: enabled by any dynamic directive that
   *  matches the span, else by the statics (which ignore field names for spans). */
  private spanEnabled(rec: LogRecord, level: Level): boolean {
    if (this.dynamicMax >= level && rec.spanName !== "") {
      for (const d of this.dynamics) {
        if (this.caresAboutSpan(d, rec, rec.target)) return true;
      }
    }
    return this.staticMax >= level && this.staticLevel(rec, false) >= level;
  }

  /** Level the record's span puts in scope: the most verbose matching dynamic directive. */
  private scopeLevel(rec: LogRecord): LevelFilter {
    let best: LevelFilter = OFF;
    for (const d of this.dynamics) {
      if (d.level <= best || !this.caresAboutSpan(d, rec, null)) continue;
      if (d.fields.every((f) => f.value === null || valueMatches(f.value, f.name, rec.fields))) {
        best = d.level;
      }
    }
    return best;
  }

  /** `spanTarget`: the span's own target when the record says it (a marker), else null. */
  private caresAboutSpan(d: Directive, rec: LogRecord, spanTarget: string | null): boolean {
    if (d.target !== null && (spanTarget === null || !spanTarget.startsWith(d.target))) {
      return false;
    }
    if (d.span !== null && d.span !== rec.spanName) return false;
    return d.fields.every((f) => hasField(rec.fields, f.name));
  }

  /** The statics' level for a record; its fields are built only when a directive names one. */
  private staticLevel(rec: LogRecord, isEvent: boolean): LevelFilter {
    const target = rec.target;
    const cacheable = !isEvent || !this.staticsNameFields;
    if (cacheable) {
      const cached = this.byTarget.get(target);
      if (cached !== undefined) return cached;
    }
    let level: LevelFilter = OFF;
    for (const s of this.statics) {
      if (s.target !== null && !target.startsWith(s.target)) continue;
      if (isEvent && s.fieldNames.length > 0 && !hasFields(rec, s.fieldNames)) continue;
      level = s.level;
      break;
    }
    if (cacheable) this.byTarget.set(target, level);
    return level;
  }
}

function hasField(fields: Field[], name: string): boolean {
  for (const f of fields) if (f.key === name) return true;
  return false;
}

function hasFields(rec: LogRecord, names: readonly string[]): boolean {
  const fields = rec.fields;
  for (const name of names) if (!hasField(fields, name)) return false;
  return true;
}

function valueMatches(
  value: NonNullable<Directive["fields"][number]["value"]>,
  name: string,
  fields: Field[],
): boolean {
  for (const f of fields) if (f.key === name) return fieldMatches(value, f);
  return false;
}

function replaceOrAdd<T>(list: T[], item: T, same: (a: T, b: T) => boolean): void {
  const i = list.findIndex((x) => same(x, item));
  if (i >= 0) list[i] = item;
  else list.push(item);
}

function sameStatic(a: StaticDirective, b: StaticDirective): boolean {
  return a.target === b.target && a.fieldNames.join("\0") === b.fieldNames.join("\0");
}

function sameDynamic(a: Directive, b: Directive): boolean {
  return (
    a.target === b.target &&
    a.span === b.span &&
    a.fields.length === b.fields.length &&
    a.fields.every((f, i) => {
      const g = b.fields[i];
      return g !== undefined && f.name === g.name && sameValue(f.value, g.value);
    })
  );
}

function sameValue(a: Directive["fields"][number]["value"], b: typeof a): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind !== b.kind) return false;
  if (a.kind === "pattern" && b.kind === "pattern") return a.source === b.source;
  return "value" in a && "value" in b ? a.value === b.value : true;
}

/** Most specific first: longer target, then more field names; targetless directives last. */
function bySpecificity(a: StaticDirective, b: StaticDirective): number {
  const la = a.target === null ? -1 : a.target.length;
  const lb = b.target === null ? -1 : b.target.length;
  if (la !== lb) return lb - la;
  return b.fieldNames.length - a.fieldNames.length;
}
