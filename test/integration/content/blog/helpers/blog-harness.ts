/**
 * The blog slice for integration specs: identity, users, channels, chat and
 * blog behind the real REST gateway on port 0, on a fresh PostgreSQL
 * database, with durable events in-process and small timings.
 */
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { buildBrokerOptions } from "../../../../../bin/broker-options";
import { setConfig, type ArenaConfig } from "../../../../../lib/config";
import { DurableEventsMiddleware, durableHandler } from "../../../../../mixins/durable-events";
import type { DurableEnvelope, DurableEventName } from "../../../../../mixins/durable-events/catalog";
import ApiService, { type ApiSettings, type ApiThis } from "../../../../../services/edge/api/api.service";
import ChannelsService from "../../../../../services/core/channels/channels.service";
import { channelsRoutes } from "../../../../../services/core/channels/channels.routes";
import IdentityService from "../../../../../services/core/identity/identity.service";
import { identityRoutes } from "../../../../../services/core/identity/identity.routes";
import UsersService from "../../../../../services/core/users/users.service";
import { usersRoutes } from "../../../../../services/core/users/users.routes";
import ChatService from "../../../../../services/media/chat/chat.service";
import { chatRoutes } from "../../../../../services/media/chat/chat.routes";
import BlogService, { type BlogSettings, type BlogThis } from "../../../../../services/content/blog/blog.service";
import { blogRoutes } from "../../../../../services/content/blog/blog.routes";
import { ApiClient } from "../../../../helpers/api-client";
import { createTestDatabase, testConfig, uniqueId, type TestDatabase } from "../../../../helpers/infra";
import { startBrokerOrCleanUp } from "../../../../helpers/broker";

export const FAST_BLOG_SETTINGS = {
  schedulerPollMs: 200,
  schedulerLeaseMs: 1500,
} satisfies Partial<BlogSettings>;

const BLOG_EVENTS: DurableEventName[] = [
  "post.published",
  "post.updated",
  "post.unpublished",
  "post.deleted",
  "post.comment.created",
];

export interface BlogHarness {
  broker: ServiceBroker;
  config: ArenaConfig;
  base: string;
  api: ApiClient;
  db: TestDatabase;
  blog: BlogThis;
  /** Every post.* event the test consumer received, in order. */
  events: DurableEnvelope[];
  stop(opts?: { keepDatabase?: boolean }): Promise<void>;
}

export interface BlogHarnessOptions {
  env?: Record<string, string | undefined>;
  blogSettings?: Partial<BlogSettings>;
  db?: TestDatabase;
  /** Without identity/users/channels/chat/gateway: a bare blog node on the database (scheduler tests). */
  blogOnly?: boolean;
  nodeId?: string;
}

/** A consumer of every blog event, the way search and notifications will consume them. */
function eventRecorder(events: DurableEnvelope[]): ServiceSchema {
  const channels: Record<string, unknown> = {};
  for (const type of BLOG_EVENTS)
    Object.assign(
      channels,
      durableHandler(type, {
        group: "blog-test-consumer",
        async handler(envelope) {
          events.push(envelope as DurableEnvelope);
        },
      }),
    );
  return { name: "blogEventRecorder", channels } as ServiceSchema;
}

export async function startBlog(opts: BlogHarnessOptions = {}): Promise<BlogHarness> {
  const db = opts.db ?? (await createTestDatabase("arena_blog"));
  const config = await testConfig({
    DATABASE_URL: db.url,
    RATE_LIMIT_PER_IP: "100000",
    RATE_LIMIT_PER_USER: "100000",
    PUBLIC_URL: "https://arena.example",
    ...opts.env,
  });
  setConfig(config);
  const broker = new ServiceBroker({
    ...buildBrokerOptions({ ...config, nodeId: opts.nodeId ?? uniqueId("blog") }),
    logger: { type: "Console", options: { level: process.env.TEST_LOG_LEVEL ?? "fatal" } },
    middlewares: [DurableEventsMiddleware(config, { retryBaseMs: 50, retryMaxMs: 200, relayIntervalMs: 200 })],
  });
  const events: DurableEnvelope[] = [];
  if (!opts.blogOnly) {
    broker.createService(IdentityService);
    broker.createService(UsersService);
    broker.createService(ChannelsService);
    broker.createService(ChatService);
  }
  broker.createService(eventRecorder(events));
  const blog = broker.createService({
    name: "blog",
    mixins: [BlogService as unknown as ServiceSchema],
    settings: { ...FAST_BLOG_SETTINGS, ...opts.blogSettings },
  } as ServiceSchema) as unknown as BlogThis;
  let base = "";
  let gateway: ApiThis | undefined;
  if (!opts.blogOnly) {
    const gatewaySchema: ServiceSchema<ApiSettings> = {
      name: "api",
      mixins: [ApiService as ServiceSchema],
      settings: {
        routeTables: [identityRoutes, usersRoutes, channelsRoutes, chatRoutes, blogRoutes],
        jwksMinRefetchMs: 0,
      },
    };
    gateway = broker.createService(gatewaySchema) as ApiThis;
  }
  await startBrokerOrCleanUp(broker, async () => (opts.db ? undefined : db.drop()));
  if (gateway) base = `http://127.0.0.1:${gateway.boundPort()}`;
  return {
    broker,
    config,
    base,
    db,
    blog,
    events,
    api: new ApiClient(base),
    async stop(stopOpts = {}) {
      await broker.stop();
      if (!stopOpts.keepDatabase) await db.drop();
    },
  };
}

/**
 * One harness for a test file: started before its tests, stopped after them, and the jest spies a test puts on
 * its stores or broker restored after each test. Tests read it when they run: `const h = harness();`.
 */
export function blogForFile(opts: BlogHarnessOptions = {}): () => BlogHarness {
  let started: BlogHarness | undefined;
  beforeAll(async () => {
    started = await startBlog(opts);
  });
  afterAll(async () => {
    await started?.stop();
  });
  afterEach(() => jest.restoreAllMocks());
  return () => {
    if (!started) throw new Error("The blog harness did not start (see the beforeAll error)");
    return started;
  };
}
