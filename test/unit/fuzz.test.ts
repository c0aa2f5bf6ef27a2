/**
 * A short seeded fuzz run in every `npm test` (the long one is `npm run fuzz`): mutated fixture
 * lines through the reader, filter, span assembly, views, layouts and `validate`, checking the
 * invariants of tools/fuzz/invariants.ts. A failure names the seed and iteration to replay with
 * `npm run fuzz -- --seed S --iteration I`.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fuzzIteration, loadCorpus } from "../../tools/fuzz/engine.js";
import { ROOT } from "../helpers/paths.js";

const SEED = 20251104;
const ITERATIONS = 600;

test(`fuzz: ${ITERATIONS} iterations of seed ${SEED} keep every invariant`, () => {
  const corpus = loadCorpus(ROOT);
  for (let i = 0; i < ITERATIONS; i++) {
    const failure = fuzzIteration(corpus, SEED, i);
    const replay = `replay: npm run fuzz -- --seed ${SEED} --iteration ${i}`;
    if (failure !== null) {
      assert.unreachable(`${failure.invariant}\n${failure.message}\n${replay}`);
    }
  }
});

test.run();
