/**
 * The multi-node cluster every e2e suite starts: real Arena processes on the
 * real NATS under a namespace of their own, durable events on JetStream, a
 * fresh PostgreSQL database, free ports, and a teardown that also deletes the
 * run's JetStream streams (so runs never leave state behind on the shared
 * NATS server).
 */
import { connect } from "nats";
import { ApiClient, ok } from "./api-client";
import { freePort, startNode, waitForHttp, type ArenaNode } from "./cluster";
import {
  createTempDir,
  createTestDatabase,
  NATS_URL,
  uniqueId,
  waitFor,
  type TempDir,
  type TestDatabase,
} from "./infra";

export const E2E_PASSWORD = "violet-tundra-42-kettle";

export interface E2eClusterOptions {
  /** Prefix of the namespace (and of the database name, `arena_e2e_<prefix>`). */
  prefix: string;
  /** Join the namespace of brokers the suite runs itself instead of a new one. */
  namespace?: string;
  /** Node name suffix → ARENA_SERVICES; node IDs are `<namespace>-<suffix>`. */
  nodes: Record<string, string>;
  /** Env every node gets on top of the common one (transport, namespace, database, API port). */
  env?: Record<string, string>;
  /** Env of one node (by suffix in `nodes`) on top of `env`, e.g. its own METRICS_PORT. */
  nodeEnv?: Record<string, Record<string, string>>;
  /** Env variables to fill with a free port each (e.g. `RTMP_PORT`); read back from `ports`. */
  ports?: string[];
  /** One DATA_DIR for every node (media written by one node, served by another), removed at teardown; otherwise one per node. */
  sharedDataDir?: boolean;
  /** Without a database the nodes get no DATABASE_URL nor DURABLE_EVENTS_URL (transport-only suites). */
  database?: boolean;
  /** What must answer 200 through the gateway (`what` → GET path under /api/v1) before the suite starts, checked in order, after /health/live when a node runs `api`. */
  readyWhen?: Record<string, string>;
  /** How long the gateway and each readiness check may take. */
  timeoutMs?: number;
  /** Signal the nodes get at teardown. */
  stopSignal?: NodeJS.Signals;
  /** Servers of the suite's own instead of the shared ones (fault tests that stop them: test/helpers/private-servers.ts). */
  servers?: { natsUrl?: string; pgAdminUrl?: string };
}

export interface E2eUser {
  api: ApiClient;
  id: string;
  username: string;
}

export interface E2eCluster {
  namespace: string;
  /** Gateway origin, also the nodes' PUBLIC_URL. */
  base: string;
  /** Anonymous client on the gateway. */
  api: ApiClient;
  /** Free ports picked for the `ports` option, by env variable name. */
  ports: Record<string, number>;
  db?: TestDatabase;
  dataDir?: TempDir;
  nodes: ArenaNode[];
  /** Starts one more node with the cluster's env; it is stopped at teardown. */
  addNode(name: string, services: string, env?: Record<string, string>): ArenaNode;
  /** Registers `<prefix>_<namespace>` and logs in. */
  register(prefix: string): Promise<E2eUser>;
  stop(): Promise<void>;
}

/** Registers `username` (`<username>@example.test`, the shared password) and logs in. */
export async function registerAndLogin(api: ApiClient, username: string): Promise<E2eUser> {
  expect([200, 201]).toContain(
    (await api.auth.register({ email: `${username}@example.test`, username, password: E2E_PASSWORD })).status,
  );
  const login = ok(await api.auth.login({ login: username, password: E2E_PASSWORD }));
  return { api: api.as(login.accessToken), id: login.user.id, username };
}

/** Deletes the JetStream streams of one run: they are named after its namespace. */
export async function deleteJetStreamStreams(namespace: string, natsUrl = NATS_URL): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  const jsm = await nc.jetstreamManager();
  for await (const stream of jsm.streams.list()) {
    if (stream.config.name.includes(namespace)) await jsm.streams.delete(stream.config.name);
  }
  await nc.close();
}

export async function startE2eCluster(opts: E2eClusterOptions): Promise<E2eCluster> {
  const namespace = opts.namespace ?? uniqueId(opts.prefix);
  const withDatabase = opts.database ?? true;
  const timeoutMs = opts.timeoutMs ?? 120000;
  const stopSignal = opts.stopSignal ?? "SIGTERM";
  const natsUrl = opts.servers?.natsUrl ?? NATS_URL;
  const db = withDatabase ? await createTestDatabase(`arena_e2e_${opts.prefix}`, opts.servers?.pgAdminUrl) : undefined;
  const dataDir = opts.sharedDataDir ? createTempDir(`arena-${opts.prefix}-e2e-`) : undefined;
  const apiPort = await freePort();
  const ports: Record<string, number> = {};
  for (const name of opts.ports ?? []) ports[name] = await freePort();
  const base = `http://127.0.0.1:${apiPort}`;
  const common: Record<string, string> = {
    TRANSPORTER: natsUrl,
    NAMESPACE: namespace,
    API_PORT: String(apiPort),
    PUBLIC_URL: base,
    ...(db
      ? {
          DATABASE_URL: db.url,
          DURABLE_EVENTS_URL: natsUrl,
          RATE_LIMIT_PER_IP: "100000",
          RATE_LIMIT_PER_USER: "100000",
        }
      : {}),
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
    ...opts.env,
  };
  const nodes: ArenaNode[] = [];
  const nodeDirs: TempDir[] = [];
  const api = new ApiClient(base);

  const cluster: E2eCluster = {
    namespace,
    base,
    api,
    ports,
    db,
    dataDir,
    nodes,
    addNode(name, services, env = {}) {
      const dir = dataDir ?? createTempDir();
      if (!dataDir) nodeDirs.push(dir);
      const node = startNode(name, { ...common, ARENA_SERVICES: services, DATA_DIR: dir.path, ...env });
      nodes.push(node);
      return node;
    },
    register: (prefix) => registerAndLogin(api, `${prefix}_${namespace}`.slice(0, 24)),
    async stop() {
      await Promise.all(nodes.map((n) => n.kill(stopSignal)));
      await db?.drop();
      if (withDatabase) await deleteJetStreamStreams(namespace, natsUrl);
      dataDir?.remove();
      for (const dir of nodeDirs) dir.remove();
    },
  };

  for (const [suffix, services] of Object.entries(opts.nodes))
    cluster.addNode(`${namespace}-${suffix}`, services, opts.nodeEnv?.[suffix]);
  try {
    const hasGateway = Object.values(opts.nodes).some((services) => services.split(",").includes("api"));
    if (hasGateway) await waitForHttp(`${base}/health/live`, 200, timeoutMs);
    for (const [what, path] of Object.entries(opts.readyWhen ?? {})) {
      await waitFor(async () => (await api.request("GET", path)).status === 200, { timeoutMs, intervalMs: 250, what });
    }
  } catch (err) {
    const output = nodes.map((n) => `--- ${n.name} ---\n${n.output().slice(-2000)}`).join("\n");
    await cluster.stop();
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return cluster;
}
