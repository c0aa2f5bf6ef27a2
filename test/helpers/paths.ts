/**
 * Paths the tests use: the repository root, the built CLI, fixtures and the conformance cases
 * (the repository's copy in test/conformance/data/, refreshed by `npm run refresh-conformance`).
 */
import { fileURLToPath } from "node:url";

/** dist/test/helpers -> repository root. */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const BIN = `${ROOT}bin/dynlog`;
export const FIXTURES = `${ROOT}fixtures/`;
export const CONFORMANCE = `${ROOT}test/conformance/data/`;
