/**
 * A changed channel through the gateway's fast path (services/edge/api/fast-path.ts):
 * the gateway keeps the anonymous answer of GET /channels/:id and the list, and
 * drops it when the channels service changes the channel, on the gateway of
 * the same node (embedded, PGlite) and on a second gateway node (over NATS).
 */
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { ok } from "../../../helpers/api-client";
import { buildBrokerOptions } from "../../../../bin/broker-options";
import { platformMiddlewares } from "../../../../bin/platform-middlewares";
import { NATS_URL, uniqueId } from "../../../helpers/infra";
import ApiService, { type ApiSettings, type ApiThis } from "../../../../services/edge/api/api.service";
import { CORE_ROUTES, newUser, startCore, type CoreHarness } from "../core-harness";

jest.setTimeout(90000);

/** Both TTLs long enough that only the change's broadcast can explain a fresh read in time. */
const FAST_TTL_MS = 30_000;
const READ_CACHE_TTL_S = 30;
/** How long the broadcast may take to reach the other node. */
const PROPAGATION_MS = 2000;

interface Channel {
  title: string;
}

async function anonymous(url: string): Promise<{ etag: string | null; title: string }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return { etag: res.headers.get("etag"), title: ((await res.json()) as Channel).title };
}

/** Reads until the title shows up; fails when that takes longer than `boundMs` after the change. */
async function expectFreshWithin(url: string, title: string, changedAt: number, boundMs: number): Promise<void> {
  for (;;) {
    const startedAt = Date.now();
    if ((await anonymous(url)).title === title) return;
    expect(startedAt - changedAt).toBeLessThanOrEqual(boundMs);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("fast path: a changed channel (embedded, one gateway)", () => {
  let h: CoreHarness;

  beforeAll(async () => {
    h = await startCore(
      { READ_CACHE_TTL_S: String(READ_CACHE_TTL_S), API_RESPONSE_CACHE_TTL_MS: String(FAST_TTL_MS) },
      [],
      { embedded: true },
    );
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("is served changed right after the change, by id and in the list", async () => {
    const owner = await newUser(h, "fpown");
    const created = ok(
      await owner.api.channels.create({ slug: `fp-${Date.now().toString(36)}`, title: "Before", category: "fpcat" }),
      201,
    );
    const byId = `${h.base}/api/v1/channels/${created.channel.id}`;
    const list = `${h.base}/api/v1/channels?category=fpcat`;
    const first = await anonymous(byId);
    expect(first.title).toBe("Before");
    // The second read is the gateway's copy: same bytes, same ETag.
    expect(await anonymous(byId)).toEqual(first);
    expect(first.etag).not.toBeNull();
    const titles = async () => ((await (await fetch(list)).json()) as { items: Channel[] }).items.map((c) => c.title);
    expect(await titles()).toEqual(["Before"]);
    expect(await titles()).toEqual(["Before"]);

    ok(await owner.api.channels.update(created.channel.id, { title: "After" }));
    // Embedded: the broadcast is handled before the PATCH answers.
    const after = await anonymous(byId);
    expect(after.title).toBe("After");
    expect(after.etag).not.toBe(first.etag);
    expect(await titles()).toEqual(["After"]);
    // An If-None-Match with the old tag gets the new body, not a 304.
    const revalidated = await fetch(byId, { headers: { "if-none-match": first.etag ?? "" } });
    expect(revalidated.status).toBe(200);
  });
});

describe("fast path: a changed channel (two gateway nodes over NATS, PostgreSQL)", () => {
  let h: CoreHarness;
  let nodeB: ServiceBroker;
  let baseB: string;

  beforeAll(async () => {
    h = await startCore({
      READ_CACHE_TTL_S: String(READ_CACHE_TTL_S),
      API_RESPONSE_CACHE_TTL_MS: String(FAST_TTL_MS),
      TRANSPORTER: NATS_URL,
    });
    // Node B: a gateway only, calling node A's channels service (as an api node of a cluster).
    // Built like a real api node (bin/broker-options: the same transporter, cacher and serializer as node A).
    nodeB = new ServiceBroker({
      ...buildBrokerOptions({ ...h.config, nodeId: uniqueId("fp-gw-b") }),
      logger: false,
      middlewares: platformMiddlewares(h.config),
    });
    const settings: ApiSettings = { routeTables: CORE_ROUTES, jwksMinRefetchMs: 0 };
    const api = nodeB.createService({
      name: "api",
      mixins: [ApiService as unknown as ServiceSchema],
      settings,
    } as ServiceSchema) as unknown as ApiThis;
    await nodeB.start();
    await nodeB.waitForServices(["channels"], 20000);
    baseB = `http://127.0.0.1:${api.boundPort()}`;
    // Node A knows that B listens to the broadcast as soon as B's start() resolved (lib/broker/announce-started.ts):
    // no waiting, as a cluster's api node is in rotation once it started.
    expect(
      h.broker.registry.events.getAllEndpoints("cache.invalidated").some((n: { id: string }) => n.id === nodeB.nodeID),
    ).toBe(true);
  });
  afterAll(async () => {
    await nodeB?.stop();
    await h?.stop();
  });

  it("is dropped on the other gateway node when the channel changes", async () => {
    const owner = await newUser(h, "fpown2");
    const created = ok(
      await owner.api.channels.create({ slug: `fp2-${Date.now().toString(36)}`, title: "Before", category: "games" }),
      201,
    );
    const onB = `${baseB}/api/v1/channels/${created.channel.id}`;
    const first = await anonymous(onB);
    expect(first.title).toBe("Before");
    expect(await anonymous(onB)).toEqual(first);

    // Changed through node A's gateway: node B hears the channels service's broadcast.
    ok(await owner.api.channels.update(created.channel.id, { title: "After" }));
    await expectFreshWithin(onB, "After", Date.now(), PROPAGATION_MS);
  });
});
