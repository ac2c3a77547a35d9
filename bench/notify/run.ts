/**
 * `npm run bench:notify`: a go-live for a channel with 100,000 followers,
 * 5,000 of them connected over WebSocket. Measured from publishing
 * `stream.started` to the last inbox row committed, and to the last
 * WebSocket frame received by the clients (a separate process). Against a
 * naive baseline in the same run: one INSERT (its own commit) and one push
 * event per follower, in sequence. Rounds alternate between the two and
 * repeat; medians are reported with the ratio.
 *
 * One node process (users, a channels stand-in, notifications, realtime) on
 * the local PostgreSQL and Redis; the clients in a child process.
 *
 * Options: --followers 100000  --online 5000  --repeat 3  --batch 2000  --naive-followers <all>
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ServiceBroker, type Context, type ServiceSchema } from "moleculer";
import { Client } from "pg";
import { createBenchDatabase } from "../shared/database";
import { UnauthorizedError } from "../../lib/errors";
import type { AuthUser } from "../../lib/auth/auth-user";
import type { TokenVerifier } from "../../lib/auth/token-verifier";
import { broadcastEvent } from "../../lib/contracts";
import { loadConfig, setConfig } from "../../lib/config";
import { DurableEventsMiddleware, DurableEventsMixin, type DurableServiceThis } from "../../mixins/durable-events";
import UsersService from "../../services/core/users/users.service";
import RealtimeService from "../../services/edge/realtime/realtime.service";
import "../../services/edge/realtime/realtime.events";
import NotificationsService, {
  type NotificationsThis,
} from "../../services/engagement/notifications/notifications.service";
import { median } from "../shared/stats";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const FOLLOWERS = Number(opt("followers", "100000"));
const ONLINE = Number(opt("online", "5000"));
const REPEAT = Math.max(1, Number(opt("repeat", "3")));
const BATCH = Number(opt("batch", "2000"));
const NAIVE_FOLLOWERS = Number(opt("naive-followers", String(FOLLOWERS)));
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const CHANNEL_ID = "bench-channel";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const userId = (i: number) => `u${String(i).padStart(7, "0")}`;

/** Bench stand-in: "tok.<id>.<name>" is user <id> (the gateway's JWT checks are not what is measured). */
class BenchTokenVerifier implements TokenVerifier {
  async verify(token: string): Promise<AuthUser> {
    return (await this.verifyToken(token)).user;
  }
  async verifyToken(token: string): Promise<{ user: AuthUser; claims: { exp: number } }> {
    const [kind, id, username] = token.split(".");
    if (kind !== "tok" || !id || !username) throw new UnauthorizedError("invalid token");
    return { user: { id, username, roles: ["viewer"] }, claims: { exp: Date.now() / 1000 + 3600 } };
  }
}

/** The channel the stream is on; channels itself is not what is measured. */
const channelsStandIn: ServiceSchema = {
  name: "channels",
  actions: {
    get: {
      handler(ctx: Context<{ id: string }>) {
        return { id: ctx.params.id, slug: "bench", title: "Bench Channel", ownerId: "bench-owner" };
      },
    },
  },
};

interface ClientReport {
  count: number;
  withBadge: number;
  lastAt: number;
}

class Clients {
  private waiters: Array<(m: Record<string, unknown>) => void> = [];
  constructor(private readonly child: ChildProcess) {
    child.on("message", (m: Record<string, unknown>) => this.waiters.shift()?.(m));
  }
  ask<T>(cmd: Record<string, unknown>): Promise<T> {
    return new Promise((resolve) => {
      this.waiters.push((m) => resolve(m as T));
      this.child.send(cmd);
    });
  }
  /** Waits until every online user got the round's frame (or nothing new came for 30 s). */
  async waitAll(marker: string, expected: number): Promise<ClientReport> {
    let last = -1;
    let since = Date.now();
    for (;;) {
      const r = await this.ask<ClientReport>({ kind: "collect", marker });
      if (r.count >= expected) return r;
      if (r.count !== last) {
        last = r.count;
        since = Date.now();
      } else if (Date.now() - since > 30_000) {
        console.log(`  only ${r.count}/${expected} frames arrived`);
        return r;
      }
      await sleep(50);
    }
  }
}

interface Round {
  mode: "batched" | "naive";
  followers: number;
  inboxMs: number;
  wsMs: number;
  frames: number;
  withBadge: number;
}

async function main(): Promise<void> {
  const db = await createBenchDatabase("notify");
  const dataDir = mkdtempSync(join(tmpdir(), "arena-bench-notify-"));
  const config = await loadConfig({
    ARENA_MODE: "embedded",
    DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    REDIS_URL,
    NAMESPACE: `bench-notify-${randomBytes(3).toString("hex")}`,
    METRICS_PORT: "0",
    LOG_LEVEL: "warn",
    API_PORT: "0",
    REALTIME_PORT: "0",
  });
  setConfig(config);
  const broker = new ServiceBroker({
    nodeID: "bench-notify",
    namespace: config.namespace,
    logger: { type: "Console", options: { level: "warn" } },
    middlewares: [DurableEventsMiddleware(config)],
  });
  broker.createService(UsersService);
  broker.createService(channelsStandIn);
  const producer = broker.createService({
    name: "benchProducer",
    mixins: [DurableEventsMixin()],
  } as ServiceSchema) as unknown as DurableServiceThis;
  const notifications = broker.createService({
    name: "notifications",
    mixins: [NotificationsService as unknown as ServiceSchema],
    settings: { fanoutBatchSize: BATCH, pollMs: 1000 },
  } as ServiceSchema) as unknown as NotificationsThis;
  const realtime = broker.createService({
    name: "realtime",
    mixins: [RealtimeService as ServiceSchema],
    settings: { host: "127.0.0.1", port: 0, maxConnectionsPerIp: ONLINE + 100 },
    methods: { createTokenVerifier: () => new BenchTokenVerifier() },
  } as ServiceSchema) as unknown as { gateway: { port: number } };
  let child: ChildProcess | undefined;
  try {
    await broker.start();
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    console.log(`seeding ${FOLLOWERS} followers of ${CHANNEL_ID}`);
    await pg.query(
      `INSERT INTO users.follows (id, user_id, channel_id)
       SELECT 'u' || lpad(i::text, 7, '0') || ':' || $1, 'u' || lpad(i::text, 7, '0'), $1 FROM generate_series(1, $2) i`,
      [CHANNEL_ID, FOLLOWERS],
    );
    await pg.query("ANALYZE users.follows");
    // Online users spread over the whole id range (every n-th follower).
    const step = Math.max(1, Math.floor(FOLLOWERS / ONLINE));
    const online = Array.from({ length: Math.min(ONLINE, FOLLOWERS) }, (_, i) => userId(1 + i * step));
    // A client loads its unread count when a page opens: that caches it (Redis), and frames carry the badge.
    for (let i = 0; i < online.length; i += 500)
      await Promise.all(online.slice(i, i + 500).map((id) => notifications.unread.get(id)));
    child = fork(join(__dirname, "ws-clients.ts"), [], { execArgv: ["--import", "tsx"], stdio: "inherit" });
    const clients = new Clients(child);
    const ready = await clients.ask<{ open: number }>({
      kind: "start",
      url: `ws://127.0.0.1:${realtime.gateway.port}/`,
      userIds: online,
    });
    console.log(`${ready.open} WebSocket clients connected`);

    const rounds: Round[] = [];
    const base = Date.now() - REPEAT * 2 * 3600_000;
    for (let r = 0; r < REPEAT; r++) {
      const order: Array<Round["mode"]> = r % 2 === 0 ? ["batched", "naive"] : ["naive", "batched"];
      for (const mode of order) {
        const marker = `${mode}-${r}-${randomBytes(3).toString("hex")}`;
        await clients.ask({ kind: "expect", marker });
        const expectedOnline =
          mode === "naive" ? online.filter((id) => id <= userId(NAIVE_FOLLOWERS)).length : online.length;
        const t0 = Date.now();
        let inboxAt: number;
        if (mode === "batched") {
          await producer.publishDurable("stream.started", {
            sessionId: marker,
            channelId: CHANNEL_ID,
            ownerId: "bench-owner",
            title: "Bench stream",
            category: null,
            language: "en",
            startedAt: new Date(base + r * 2 * 3600_000).toISOString(),
          });
          for (;;) {
            const { rows } = await pg.query<{ state: string }>(
              "SELECT state FROM notifications.fanouts WHERE id = $1",
              [`stream.live:live:${marker}`],
            );
            if (rows[0]?.state === "done") break;
            await sleep(10);
          }
          inboxAt = Date.now();
        } else {
          await naiveFanout(notifications, marker, NAIVE_FOLLOWERS);
          inboxAt = Date.now();
        }
        const ws = await clients.waitAll(marker, expectedOnline);
        const round: Round = {
          mode,
          followers: mode === "naive" ? NAIVE_FOLLOWERS : FOLLOWERS,
          inboxMs: inboxAt - t0,
          wsMs: ws.lastAt - t0,
          frames: ws.count,
          withBadge: ws.withBadge,
        };
        rounds.push(round);
        console.log(
          `  round ${r + 1} ${mode}: ${round.followers} followers, last inbox row ${round.inboxMs} ms, last WS frame ${round.wsMs} ms (${round.frames}/${expectedOnline} frames, ${round.withBadge} with the unread badge)`,
        );
      }
    }
    await pg.end();
    report(rounds);
  } finally {
    child?.disconnect();
    await broker.stop().catch(() => undefined);
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The baseline: per follower, one INSERT committed on its own and one push event, one after the other. */
async function naiveFanout(svc: NotificationsThis, marker: string, followers: number): Promise<void> {
  for (let i = 1; i <= followers; i++) {
    const id = userId(i);
    const [row] = await svc.db.query<{ id: string; created_at: Date }>(
      `INSERT INTO notifications (id, user_id, type, source_key, title, link, data)
       VALUES (gen_random_uuid()::text, $1, 'stream.live', $2, 'Bench Channel is live', '/c/bench', $3::jsonb)
       RETURNING id, created_at`,
      [id, `naive:${marker}`, JSON.stringify({ marker })],
    );
    await broadcastEvent(
      svc.broker,
      "notifications.push",
      {
        userId: id,
        notification: {
          id: row?.id ?? "",
          type: "stream.live",
          title: "Bench Channel is live",
          createdAt: new Date().toISOString(),
          data: { marker },
        },
      },
      "realtime",
    );
  }
}

function report(rounds: Round[]): void {
  const of = (mode: Round["mode"]) => rounds.filter((r) => r.mode === mode);
  const batched = of("batched");
  const naive = of("naive");
  const perFollower = (r: Round, ms: number) => (ms / r.followers) * FOLLOWERS;
  const bInbox = median(batched.map((r) => r.inboxMs));
  const bWs = median(batched.map((r) => r.wsMs));
  // Scaled to the full follower count when the baseline ran on fewer (it is linear: one call per follower).
  const nInbox = median(naive.map((r) => perFollower(r, r.inboxMs)));
  const nWs = median(naive.map((r) => perFollower(r, r.wsMs)));
  console.log("");
  console.log(`go-live to ${FOLLOWERS} followers, ${ONLINE} on WebSocket (medians of ${REPEAT} alternating rounds)`);
  console.log(`| path | last inbox row | last WebSocket frame |`);
  console.log(`|---|---|---|`);
  console.log(`| batched fan-out (batch ${BATCH}) | ${(bInbox / 1000).toFixed(2)} s | ${(bWs / 1000).toFixed(2)} s |`);
  console.log(
    `| naive: one insert + one push per follower${NAIVE_FOLLOWERS < FOLLOWERS ? ` (ran on ${NAIVE_FOLLOWERS}, scaled)` : ""} | ${(nInbox / 1000).toFixed(2)} s | ${(nWs / 1000).toFixed(2)} s |`,
  );
  console.log(`| ratio (naive / batched) | ${(nInbox / bInbox).toFixed(1)}x | ${(nWs / bWs).toFixed(1)}x |`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
