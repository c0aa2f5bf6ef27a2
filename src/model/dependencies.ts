/**
 * Dependencies a run may not need, loaded on first use rather than when dynlog starts: loading
 * costs every process and every worker thread, need it or not (the regex engine about 10 ms of
 * parsing; string-width about 20 ms, its Unicode segmenter made as it loads; Node's zlib 3 ms).
 * The bundle leaves packages in node_modules (scripts/bundle.mjs); a package that is an ES module
 * only is loaded by `require` too, which Node 20.19 and later allow.
 *
 * Receives: a package name. Emits: what it exports, the first time it is asked for.
 */
import { createRequire } from "node:module";

const load = createRequire(import.meta.url);

/** A function giving `pick` of package `name`, loaded on the first call. */
export function onFirstUse<T>(name: string, pick: (exports: never) => T): () => T {
  let value: { loaded: T } | null = null;
  return () => {
    value ??= { loaded: pick(load(name) as never) };
    return value.loaded;
  };
}
