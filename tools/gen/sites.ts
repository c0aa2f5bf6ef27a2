// The call sites the generated records come from, modelled on Dynamo 0.6/0.7 with vLLM: Rust
// modules under /opt/dynamo/lib and Python modules in the container's virtualenv.

import type { Level, Site } from "./render.js";
import { pythonSite, rustSite } from "./render.js";

const SITE_PACKAGES = "/opt/dynamo/venv/lib/python3.12/site-packages";
const HANDLERS = `${SITE_PACKAGES}/dynamo/vllm/handlers.py`;
const MAIN = `${SITE_PACKAGES}/dynamo/vllm/main.py`;

export const MODEL = "Qwen/Qwen3-0.6B";
export const NAMESPACE = "vllm-disagg";
export const FRONTEND_IP = "10.0.4.65";
export const TEMPO_ENDPOINT = "http://tempo.tm.svc.cluster.local:4317";

/** A site in Dynamo's runtime crate; the source file follows from the module path. */
const runtime = (level: Level, module: string, line: number): Site =>
  rustSite(level, `dynamo_runtime::${module}`, sourceFile("runtime", module), line);

/** A site in Dynamo's llm crate. */
const llm = (level: Level, module: string, line: number): Site =>
  rustSite(level, `dynamo_llm::${module}`, sourceFile("llm", module), line);

const sourceFile = (crate: string, module: string): string =>
  `/opt/dynamo/lib/${crate}/src/${module.replaceAll("::", "/")}.rs`;

export const common = {
  otlp: runtime("INFO", "logging", 806),
};

export const frontendSites = {
  httpRequestSpan: llm("INFO", "http::service::openai", 214),
  httpStart: llm("INFO", "http::service::service_v2", 331),
  modelAdded: llm("INFO", "discovery::watcher", 196),
  instanceRemoved: llm("INFO", "discovery::watcher", 288),
  routerReady: llm("INFO", "kv_router", 243),
  tcpRegister: runtime("DEBUG", "pipeline::network::tcp::server", 230),
  workerSelected: llm("DEBUG", "kv_router::scheduler", 419),
  prefillSucceeded: llm("DEBUG", "kv_router::prefill_router", 232),
  requestCompleted: llm("INFO", "http::service::openai", 1043),
  streamLost: llm("WARN", "http::service::openai", 1108),
  clientDisconnected: llm("WARN", "http::service::disconnect", 97),
};

export const workerSites = {
  handlePayloadSpan: runtime("INFO", "pipeline::network::ingress::push_endpoint", 108),
  endpointStart: runtime("INFO", "pipeline::network::ingress::push_endpoint", 64),
  tcpConnect: runtime("DEBUG", "pipeline::network::tcp::client", 152),
  engineSetup: pythonSite("INFO", MAIN, 142, "main.setup_vllm_engine"),
  initialized: pythonSite("INFO", MAIN, 191, "main.init"),
  prefillStart: pythonSite("DEBUG", HANDLERS, 271, "handlers.generate"),
  prefillDone: pythonSite("DEBUG", HANDLERS, 298, "handlers.generate"),
  decodeStart: pythonSite("DEBUG", HANDLERS, 176, "handlers.generate"),
  decodeStep: pythonSite("DEBUG", HANDLERS, 203, "handlers.generate"),
  decodeDone: pythonSite("DEBUG", HANDLERS, 221, "handlers.generate"),
  cancelled: pythonSite("ERROR", HANDLERS, 232, "handlers.generate"),
  kvPressure: pythonSite(
    "WARN",
    `${SITE_PACKAGES}/dynamo/vllm/publisher.py`,
    87,
    "publisher.record",
  ),
  engineStats: pythonSite(
    "INFO",
    `${SITE_PACKAGES}/vllm/v1/metrics/loggers.py`,
    122,
    "loggers.log",
  ),
};

/** What a worker prints on stderr around the logging bridge: lines that are not JSON. */
export const rawLines = {
  checkpointLoaded: (rate: string): string =>
    `Loading safetensors checkpoint shards: 100% Completed | 1/1 [00:00<00:00, ${rate}it/s]`,
  progress: (rate: string): string =>
    `Processed prompts: 100%|██████████| 1/1 [00:00<00:00, ${rate}it/s]`,
  traceback: (): string[] => [
    "Traceback (most recent call last):",
    `  File "${HANDLERS}", line 196, in generate`,
    "    async for res in gen:",
    `  File "${SITE_PACKAGES}/vllm/v1/engine/async_llm.py", line 393, in generate`,
    "    out = q.get_nowait() or await q.get()",
    "asyncio.exceptions.CancelledError",
  ],
};
