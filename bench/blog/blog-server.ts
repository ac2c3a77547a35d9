/**
 * The Arena side of `npm run bench:blog`, in its own process: identity,
 * users, channels, chat and blog behind the real REST gateway on a fresh
 * PostgreSQL database, seeded with published 20 KB posts by an editor.
 * Driven over IPC by run.ts.
 */
import { ServiceBroker, type Context, type ServiceSchema } from "moleculer";
import { NotFoundError } from "../../lib/errors";
import { Client } from "pg";
import { buildBrokerOptions } from "../../bin/broker-options";
import { loadConfig, setConfig } from "../../lib/config";
import { DurableEventsMiddleware } from "../../mixins/durable-events";
import ApiService, { type ApiSettings, type ApiThis } from "../../services/edge/api/api.service";
import ChannelsService from "../../services/core/channels/channels.service";
import IdentityService from "../../services/core/identity/identity.service";
import UsersService from "../../services/core/users/users.service";
import ChatService from "../../services/media/chat/chat.service";
import BlogService, { type BlogThis } from "../../services/content/blog/blog.service";
import { ReadCache } from "../../services/content/blog/read-cache";
import { ROUTE_TABLES } from "../../services/edge/api/route-tables";
import { sampleMarkdown } from "./markdown-sample";

const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const SEED_POSTS = Number(process.env.BENCH_SEED_POSTS ?? "10");

async function adminQuery(sql: string): Promise<void> {
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(sql);
  await admin.end();
}

async function main(): Promise<void> {
  const dbName = `arena_bench_blog_${Date.now().toString(36)}`;
  await adminQuery(`CREATE DATABASE "${dbName}"`);
  const dbUrl = new URL(PG_ADMIN_URL);
  dbUrl.pathname = `/${dbName}`;
  const config = await loadConfig({
    ...process.env,
    ARENA_MODE: "embedded",
    NAMESPACE: `benchblog${Date.now().toString(36)}`,
    DATA_DIR: process.env.BENCH_DATA_DIR ?? `/tmp/arena-bench-blog-${process.pid}`,
    DATABASE_URL: dbUrl.toString(),
    METRICS_PORT: "0",
    LOG_LEVEL: "warn",
    API_PORT: "0",
    REALTIME_PORT: "0",
    PUBLIC_URL: "https://arena.example",
    RATE_LIMIT_PER_IP: "100000000",
    RATE_LIMIT_PER_USER: "100000000",
    TRANSPORTER: undefined,
    REDIS_URL: undefined,
  });
  setConfig(config);
  const broker = new ServiceBroker({
    ...buildBrokerOptions({ ...config, nodeId: "bench-blog" }),
    logger: { type: "Console", options: { level: "error" } },
    middlewares: [DurableEventsMiddleware(config)],
  });
  broker.createService(IdentityService);
  broker.createService(UsersService);
  broker.createService(ChannelsService);
  broker.createService(ChatService);
  const blog = broker.createService(BlogService as unknown as ServiceSchema) as unknown as BlogThis;
  // The in-gateway baseline: the same bytes from memory through the same gateway, no blog logic.
  const bareBodies = new Map<string, { type: string; body: string; headers: Record<string, string> }>();
  broker.createService({
    name: "benchBare",
    actions: {
      serve: {
        params: { which: { type: "string" } },
        handler(ctx: Context<{ which: string }, Record<string, unknown>>) {
          const found = bareBodies.get(ctx.params.which);
          if (!found) throw new NotFoundError("Bench body", ctx.params.which);
          ctx.meta.$responseType = found.type;
          ctx.meta.$responseHeaders = found.headers;
          return found.body;
        },
      },
    },
  });
  const gateway = broker.createService({
    name: "api",
    mixins: [ApiService as ServiceSchema],
    settings: {
      routeTables: [
        ...ROUTE_TABLES,
        {
          basePath: "/bench",
          routes: [{ method: "GET", path: "/bare/:which", action: "benchBare.serve", auth: "none", summary: "bench" }],
        },
      ],
    },
  } as ServiceSchema<ApiSettings>) as ApiThis;
  await broker.start();
  const base = `http://127.0.0.1:${gateway.boundPort()}/api/v1`;
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const login = { email: "bench-editor@example.test", username: "bencheditor", password: "violet-tundra-42-kettle" };
  await call("POST", "/auth/register", login);
  const first = await call("POST", "/auth/login", { login: login.email, password: login.password });
  const userId = (first.user as { id: string }).id;
  await broker.call("identity.grantRole", { userId, role: "editor" });
  const token = (await call("POST", "/auth/login", { login: login.email, password: login.password }))
    .accessToken as string;

  const publishOne = async (i: number): Promise<string> => {
    const post = await call(
      "POST",
      "/blog/posts",
      {
        blog: "site",
        title: `Bench review ${i}`,
        body: sampleMarkdown(20_000, i),
        tags: ["bench", `t${i % 3}`],
        category: "reviews",
        kind: "review",
        reviewScore: 8,
      },
      token,
    );
    await call("POST", `/blog/posts/${post.id as string}/publish`, {}, token);
    return post.id as string;
  };
  const ids: string[] = [];
  for (let i = 0; i < SEED_POSTS; i += 1) ids.push(await publishOne(i));
  const original = blog.cache;
  for (const [which, path] of [
    ["post", `/blog/posts/${ids[0] as string}`],
    ["feed", "/blog/feeds/site/rss"],
  ] as const) {
    const res = await fetch(`${base}${path}`);
    const headers: Record<string, string> = {};
    for (const name of ["etag", "last-modified", "cache-control"]) {
      const value = res.headers.get(name);
      if (value) headers[name] = value;
    }
    bareBodies.set(which, { type: res.headers.get("content-type") ?? "text/plain", body: await res.text(), headers });
  }

  process.on("message", (msg: { cmd: string; enabled?: boolean }) => {
    void (async () => {
      if (msg.cmd === "publish") {
        process.send?.({ published: await publishOne(ids.length + 1000) });
      } else if (msg.cmd === "cache") {
        blog.cache = msg.enabled ? original : new ReadCache(0, 0);
        original.clear();
        process.send?.({ cache: msg.enabled });
      } else if (msg.cmd === "stop") {
        await broker.stop();
        await adminQuery(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
        process.send?.({ stopped: true });
        process.exit(0);
      }
    })().catch((err: unknown) => process.send?.({ error: String(err) }));
  });
  process.send?.({
    ready: { base, token, postId: ids[0], bareBase: `http://127.0.0.1:${gateway.boundPort()}/bench/bare` },
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
