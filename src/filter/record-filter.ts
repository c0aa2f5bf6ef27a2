/**
 * The record filter every command shares: `--filter` (DYN_LOG directives), `--where key=value`
 * (all must hold) and `--since`/`--until` (record time). Compiled once per run.
 *
 * Unparsed lines (tracebacks, prints, progress bars) have no level, target or fields; they follow
 * the fate of the record before them from the same source, so a traceback stays with the error
 * that announced it. Lines before a source's first record are kept.
 *
 * Receives: compiled criteria. Emits: a keep/drop decision per record, in input order.
 */
import type { LogRecord } from "../model/record.js";
import { lookupValue } from "../parse/normalize.js";
import type { EnvFilter } from "./env-filter.js";

export interface WhereClause {
  key: string;
  value: string;
}

export interface FilterCriteria {
  env: EnvFilter | null;
  where: WhereClause[];
  sinceUs: number | null;
  untilUs: number | null;
}

export class RecordFilter {
  private readonly lastDecision = new Map<string, boolean>();
  readonly active: boolean;

  constructor(private readonly criteria: FilterCriteria) {
    this.active =
      criteria.env !== null ||
      criteria.where.length > 0 ||
      criteria.sinceUs !== null ||
      criteria.untilUs !== null;
  }

  /** The same criteria, with no memory of records seen. */
  fresh(): RecordFilter {
    return new RecordFilter(this.criteria);
  }

  keep(rec: LogRecord): boolean {
    if (!this.active) return true;
    const key = rec.label;
    if (rec.kind === "unparsed") return this.lastDecision.get(key) ?? true;
    const decision = this.decide(rec);
    this.lastDecision.set(key, decision);
    return decision;
  }

  private decide(rec: LogRecord): boolean {
    const { env, where, sinceUs, untilUs } = this.criteria;
    if (sinceUs !== null && !(rec.orderUs >= sinceUs)) return false;
    if (untilUs !== null && !(rec.orderUs <= untilUs)) return false;
    for (const clause of where) {
      if (lookupValue(rec, clause.key) !== clause.value) return false;
    }
    return env === null || env.enabled(rec);
  }
}
