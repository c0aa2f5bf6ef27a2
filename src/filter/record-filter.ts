/**
 * The record filter every command shares: `--filter` (DYN_LOG directives), `--where` clauses
 * (all must hold; see where.ts) and `--since`/`--until` (record time). Compiled once per run.
 *
 * Unparsed lines (tracebacks, prints, progress bars) have no level, target or fields; they follow
 * the fate of the record before them from the same source, so a traceback stays with the error
 * that announced it. Lines before a source's first record are kept.
 *
 * Receives: compiled criteria. Emits: a keep/drop decision per record, in input order.
 */
import type { LogRecord } from "../model/record.js";
import { EnvFilter } from "./env-filter.js";
import { explainDirectives } from "./warnings.js";
import { compileWhere, type WhereClause, type WhereTest } from "./where.js";

export type { WhereClause } from "./where.js";

/** The filter as plain data: what a run configuration holds and a worker thread receives. */
export interface FilterSpec {
  /** `--filter` directives; null: none (and no `--dynamo-defaults`). */
  directives: string | null;
  dynamoDefaults: boolean;
  where: WhereClause[];
  sinceUs: number | null;
  untilUs: number | null;
}

/** Compiles a filter spec; also returns the directive warnings (sentences without a prefix). */
export async function compileFilter(
  spec: FilterSpec,
): Promise<{ filter: RecordFilter; warnings: string[] }> {
  let env: EnvFilter | null = null;
  let warnings: string[] = [];
  if (spec.directives !== null || spec.dynamoDefaults) {
    env = new EnvFilter(spec.directives ?? "", { dynamoDefaults: spec.dynamoDefaults });
    warnings = explainDirectives(env.reports);
  }
  const filter = new RecordFilter({
    env,
    where: spec.where,
    sinceUs: spec.sinceUs,
    untilUs: spec.untilUs,
  });
  return { filter, warnings };
}

export interface FilterCriteria {
  env: EnvFilter | null;
  where: WhereClause[];
  sinceUs: number | null;
  untilUs: number | null;
}

export class RecordFilter {
  private readonly lastDecision = new Map<string, boolean>();
  private readonly tests: readonly WhereTest[];
  readonly active: boolean;
  /** Records (not unparsed lines) the filter dropped so far. */
  rejected = 0;

  constructor(private readonly criteria: FilterCriteria) {
    this.tests = criteria.where.map(compileWhere);
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
    if (rec.kind === "unparsed") return this.follows(rec.label);
    return this.remember(rec.label, this.judge(rec));
  }

  /**
   * The decision on a record by itself (not an unparsed line), counted when it drops it. With
   * `follows` and `remember`, `keep` in two halves: a worker thread judges the records of its
   * range, and the thread that merges the ranges in input order keeps the memory.
   */
  judge(rec: LogRecord): boolean {
    const decision = this.decide(rec);
    if (!decision) this.rejected++;
    return decision;
  }

  /** Whether an unparsed line from `label` is kept: as the record before it from there was. */
  follows(label: string): boolean {
    return this.lastDecision.get(label) ?? true;
  }

  /** Notes the decision on a record from `label` (for the unparsed lines after it). */
  remember(label: string, decision: boolean): boolean {
    this.lastDecision.set(label, decision);
    return decision;
  }

  private decide(rec: LogRecord): boolean {
    const { env, sinceUs, untilUs } = this.criteria;
    if (sinceUs !== null && !(rec.orderUs >= sinceUs)) return false;
    if (untilUs !== null && !(rec.orderUs <= untilUs)) return false;
    for (const test of this.tests) if (!test(rec)) return false;
    return env === null || env.enabled(rec);
  }
}
