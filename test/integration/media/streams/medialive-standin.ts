import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local HTTP endpoint standing in for AWS Elemental MediaLive: it records
 * every request the SDK sends (method, path, JSON body) and answers like the
 * service's REST API for the handful of operations the provider uses, with
 * a channel state machine (CREATING → IDLE → STARTING → RUNNING → STOPPING → IDLE;
 * the test settles STARTING itself, STOPPING settles after one describe).
 */
export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
}

interface FakeChannel {
  id: string;
  state: string;
  body: Record<string, unknown>;
}

export class MediaLiveStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly channels = new Map<string, FakeChannel>();
  readonly inputs = new Map<string, Record<string, unknown>>();
  /** The next request whose `"<METHOD> <path>"` matches is answered 400 (a client error: the SDK does not retry it). */
  failNext: RegExp | undefined;
  private server: Server | undefined;
  private counter = 0;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body }) => {
        res.statusCode = status;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", () => resolve()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** What MediaLive does on its own: a started channel reaches RUNNING, a stopped one IDLE. */
  settle(channelId: string): void {
    const channel = this.channels.get(channelId);
    if (!channel) return;
    if (channel.state === "STARTING") channel.state = "RUNNING";
    else if (channel.state === "STOPPING") channel.state = "IDLE";
  }

  operations(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path.replace(/\/(ch|in|sg)-\d+/g, "/$1-*")}`);
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").split("?")[0] as string;
    this.requests.push({ method, path, body });
    if (this.failNext?.test(`${method} ${path}`)) {
      this.failNext = undefined;
      return { status: 400, body: { message: "Injected failure" } };
    }

    if (method === "POST" && path === "/prod/inputSecurityGroups") {
      return {
        status: 200,
        body: {
          securityGroup: { id: `sg-${++this.counter}`, state: "IDLE", whitelistRules: body?.whitelistRules ?? [] },
        },
      };
    }
    if (method === "POST" && path === "/prod/inputs") {
      const id = `in-${++this.counter}`;
      const destinations = ((body?.destinations as { streamName: string }[]) ?? []).map((d) => ({
        streamName: d.streamName,
        url: `rtmp://203.0.113.10:1935/${d.streamName}`,
        ip: "203.0.113.10",
        port: "1935",
      }));
      const input = { id, name: body?.name, type: body?.type, state: "DETACHED", destinations };
      this.inputs.set(id, input);
      return { status: 201, body: { input } };
    }
    if (method === "POST" && path === "/prod/channels") {
      const id = `ch-${++this.counter}`;
      this.channels.set(id, { id, state: "IDLE", body: body ?? {} });
      return { status: 201, body: { channel: { id, name: body?.name, state: "CREATING" } } };
    }
    if (method === "GET" && path === "/prod/channels") {
      const channels = [...this.channels.values()]
        .filter((c) => c.state !== "DELETED")
        .map((c) => ({
          id: c.id,
          name: c.body.name,
          state: c.state,
          tags: c.body.tags,
          inputAttachments: c.body.inputAttachments,
        }));
      return { status: 200, body: { channels } };
    }
    const channelMatch = /^\/prod\/channels\/([^/]+)(\/start|\/stop)?$/.exec(path);
    if (channelMatch) {
      const channel = this.channels.get(channelMatch[1] as string);
      if (!channel) return { status: 404, body: { message: "Channel not found" } };
      if (method === "POST" && channelMatch[2] === "/start") channel.state = "STARTING";
      else if (method === "POST" && channelMatch[2] === "/stop") {
        if (channel.state === "IDLE") return { status: 409, body: { message: "Channel is already IDLE" } };
        channel.state = "STOPPING";
      } else if (method === "DELETE") {
        if (channel.state !== "IDLE") return { status: 409, body: { message: `Channel is ${channel.state}` } };
        channel.state = "DELETED";
      }
      const reported = channel.state;
      // Stopping takes MediaLive a while: the next describe after this one finds it IDLE.
      if (method === "GET" && channel.state === "STOPPING") channel.state = "IDLE";
      return { status: 200, body: { id: channel.id, state: reported } };
    }
    const inputMatch = /^\/prod\/inputs\/([^/]+)$/.exec(path);
    if (inputMatch && method === "GET") {
      const input = this.inputs.get(inputMatch[1] as string);
      return input ? { status: 200, body: input } : { status: 404, body: { message: "Input not found" } };
    }
    if (inputMatch && method === "DELETE") {
      this.inputs.delete(inputMatch[1] as string);
      return { status: 200, body: {} };
    }
    return { status: 404, body: { message: `No stand-in for ${method} ${path}` } };
  }
}
