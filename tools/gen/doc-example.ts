// The disaggregated trace from Dynamo's logging documentation (trace b672ccf4…), written in
// both span-event generations so readers of either can be checked against the same numbers.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Deployment, Generation } from "./deployment.js";
import {
  announceService,
  createDeployment,
  endOf,
  frontendSpan,
  INSTANCE_IDS,
  SERVICES,
  timing,
  workerSpan,
} from "./deployment.js";
import { MemorySink } from "./output.js";
import { fields, float, u64 } from "./render.js";
import { FRONTEND_IP, frontendSites, workerSites } from "./sites.js";

const TRACE_ID = "b672ccf48683b392891c5cb4163d4b51";
const X_REQUEST_ID = "8372eac7-5f43-4d76-beca-0a94cfb311d0";
const SPAN_IDS = {
  frontend: "5c20cc08e6afb2b7",
  prefill: "e6f4b3c0a2917d58",
  decode: "3b8a91d7c4e2f065",
};
// 2025-10-31T13:52:10.706000Z, the trace's start in the documentation.
const T = Date.UTC(2025, 9, 31, 13, 52, 10) * 1000 + 706_000;
const FRONTEND = timing(T, 4_040_202, 18_101);
const PREFILL = timing(T + 1_000, 36_954, 614);
const DECODE = timing(T + 39_000, 3_999_328, 3_795);
const PORT = 41959;
const PROMPT_TOKENS = 37;
const PER_TOKEN_US = 10_240;
const COMPLETION_TOKENS = 390;

const GENERATIONS: Record<string, Generation> = {
  created: "created",
  "first-entry": "first-entry",
};

export function writeDocExample(outDir: string): void {
  for (const [dirName, generation] of Object.entries(GENERATIONS)) {
    const sinks = {
      frontend: new MemorySink(),
      prefill: new MemorySink(),
      decode: new MemorySink(),
    };
    const deployment = createDeployment({
      generations: { frontend: generation, prefill: generation, decode: generation },
      sinks,
    });
    emitTrace(deployment);
    for (const stream of deployment.streams) stream.drain();
    const dir = join(outDir, dirName);
    mkdirSync(dir, { recursive: true });
    for (const service of SERVICES) {
      writeFileSync(join(dir, `${service}.jsonl`), sinks[service].text());
    }
  }
  writeFileSync(join(outDir, "README.md"), README);
}

function emitTrace(deployment: Deployment): void {
  const ids = { traceId: TRACE_ID, xRequestId: X_REQUEST_ID };
  const parentId = SPAN_IDS.frontend;
  const { frontend, prefill, decode } = deployment;
  // Start-up happened a little earlier; only the service announcement is kept.
  announceService(frontend, T - 12_491_467, true);
  announceService(prefill, T - 31_880_215, true);
  announceService(decode, T - 32_104_930, true);

  const root = frontendSpan({ ...ids, spanId: parentId });
  const register = `Registering new TcpStream on ${FRONTEND_IP}:${PORT}`;
  const route = fields({
    cost: float(0),
    overlap_blocks: 0,
    worker_id: u64(INSTANCE_IDS.prefill),
  });
  frontend.open(root, T);
  frontend.inSpan(root, T + 164, frontendSites.tcpRegister, register);
  frontend.inSpan(root, T + 512, frontendSites.workerSelected, "selected worker", route);
  const succeeded = "Prefill succeeded, using disaggregated params for decode";
  frontend.inSpan(root, T + 38_264, frontendSites.prefillSucceeded, succeeded);
  frontend.inSpan(root, T + 38_545, frontendSites.tcpRegister, register);
  const completed = fields({
    completion_tokens: COMPLETION_TOKENS,
    prompt_tokens: PROMPT_TOKENS,
    status: 200,
  });
  const done = endOf(DECODE) + 792;
  frontend.inSpan(root, done, frontendSites.requestCompleted, "request completed", completed);
  frontend.close(root, FRONTEND);

  const prefillSpan = workerSpan("prefill", { ...ids, spanId: SPAN_IDS.prefill, parentId });
  const address = fields({ address: `${FRONTEND_IP}:${PORT}` });
  const connect = "Connecting to response stream";
  prefill.open(prefillSpan, PREFILL.start);
  prefill.inSpan(prefillSpan, PREFILL.start + 131, workerSites.tcpConnect, connect, address);
  const request = `Prefill request ${X_REQUEST_ID}: ${PROMPT_TOKENS} prompt tokens`;
  prefill.inSpan(prefillSpan, PREFILL.start + 402, workerSites.prefillStart, request);
  const transfer = `Prefill done for ${X_REQUEST_ID}: 3 KV blocks ready for transfer`;
  prefill.inSpan(prefillSpan, endOf(PREFILL) - 344, workerSites.prefillDone, transfer);
  prefill.close(prefillSpan, PREFILL);

  const decodeSpan = workerSpan("decode", { ...ids, spanId: SPAN_IDS.decode, parentId });
  decode.open(decodeSpan, DECODE.start);
  decode.inSpan(decodeSpan, DECODE.start + 118, workerSites.tcpConnect, connect, address);
  const received = `Decode request ${X_REQUEST_ID} received: prompt_tokens=${PROMPT_TOKENS}, max_tokens=512`;
  decode.inSpan(decodeSpan, DECODE.start + 377, workerSites.decodeStart, received);
  for (let tokens = 64; tokens < COMPLETION_TOKENS; tokens += 64) {
    const step = `Decode step ${tokens}/512 for request ${X_REQUEST_ID}`;
    decode.inSpan(
      decodeSpan,
      DECODE.start + 600 + tokens * PER_TOKEN_US,
      workerSites.decodeStep,
      step,
    );
  }
  const finished = `Decode finished for ${X_REQUEST_ID}: ${COMPLETION_TOKENS} tokens, finish_reason=stop`;
  decode.inSpan(decodeSpan, endOf(DECODE) - 426, workerSites.decodeDone, finished);
  decode.close(decodeSpan, DECODE);
}

const README = `# Dynamo documentation example

Generated by \`node dist/tools/gen-fixtures.js --doc-example fixtures/doc-example\`; do not edit
by hand. The disaggregated trace \`${TRACE_ID}\` (\`POST /v1/chat/completions\`,
\`x_request_id\` \`${X_REQUEST_ID}\`) from Dynamo's logging documentation, written twice:
\`created/\` with older span events (\`SPAN_CREATED\` … \`SPAN_CLOSED\`) and \`first-entry/\` with
newer ones (\`SPAN_FIRST_ENTRY\` … \`SPAN_CLOSED\`). Both hold the same spans:

| service | span | span id | parent | start (UTC) | duration | busy | idle |
|---|---|---|---|---|---|---|---|
| frontend | http-request | ${SPAN_IDS.frontend} | — | 2025-10-31T13:52:10.706000Z | 4040202 µs | 18101 µs | 4022101 µs |
| prefill | handle_payload (prefill) | ${SPAN_IDS.prefill} | ${SPAN_IDS.frontend} | 2025-10-31T13:52:10.707000Z | 36954 µs | 614 µs | 36340 µs |
| decode | handle_payload (backend) | ${SPAN_IDS.decode} | ${SPAN_IDS.frontend} | 2025-10-31T13:52:10.745000Z | 3999328 µs | 3795 µs | 3995533 µs |
`;
