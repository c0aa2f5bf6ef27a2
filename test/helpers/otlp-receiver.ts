/**
 * A loopback OTLP/HTTP receiver for tests: answers each request with the next scripted reply
 * (status, headers, body, a delay), then 200 with an empty body; keeps every request.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  /** Answer this late (a server slower than the client's timeout). */
  delayMs?: number;
}

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body, gunzipped when it came gzipped. */
  body: Buffer;
  atMs: number;
}

export class OtlpReceiver {
  readonly requests: Received[] = [];
  private readonly server: Server;
  private replies: Reply[] = [];

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        let body = Buffer.concat(chunks);
        if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
        this.requests.push({ path: req.url ?? "", headers: req.headers, body, atMs: Date.now() });
        const reply = this.replies.shift() ?? { status: 200 };
        const answer = () => {
          if (res.destroyed) return;
          res.writeHead(reply.status, reply.headers ?? {});
          res.end(reply.body ?? "");
        };
        if (reply.delayMs) setTimeout(answer, reply.delayMs);
        else answer();
      });
    });
  }

  static async start(replies: Reply[] = []): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver();
    receiver.replies = replies;
    await new Promise<void>((resolve) => receiver.server.listen(0, "127.0.0.1", resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
