/**
 * Cache keys whose parts may hold any text (a category, a tag, a cursor)
 * must not let two different requests share a key, as parts joined with `|`
 * did: `category=a|b` and `category=a&tag=b|` were one feed entry, and
 * channels.list's cached page for one query was served to another.
 */
import { ServiceBroker } from "moleculer";
import { buildBrokerOptions } from "../../../../bin/broker-options";
import { cacheKey } from "../../../../lib/cache";
import { feedCacheKey } from "../../../../services/content/blog/feed-actions";
import { testConfig } from "../../../helpers/infra";

describe("cacheKey", () => {
  it("gives different part lists different keys, whatever text the parts hold", () => {
    const pairs: Array<[unknown[], unknown[]]> = [
      [
        ["a|b", undefined],
        ["a", "b|"],
      ],
      [["a,b"], ["a", "b"]],
      [['a","b'], ["a", "b"]],
      [
        ["a", undefined],
        ["a", null],
      ],
      [
        ["a", ""],
        ["a", undefined],
      ],
      [[1], ["1"]],
      [[true], ["true"]],
      [[["x", "y"]], ["x", "y"]],
      [[["x,y"]], [["x", "y"]]],
    ];
    for (const [a, b] of pairs) expect({ a, b, same: cacheKey(a) === cacheKey(b) }).toEqual({ a, b, same: false });
  });

  it("is the same for the same parts", () => {
    expect(cacheKey(["site", "rss", "news", undefined])).toBe(cacheKey(["site", "rss", "news", undefined]));
  });
});

describe("the blog feed's cache key", () => {
  it("tells a category holding `|` from a category plus a tag", () => {
    expect(feedCacheKey({ blog: "site", format: "rss", category: "a|b" })).not.toBe(
      feedCacheKey({ blog: "site", format: "rss", category: "a", tag: "b|" }),
    );
  });
});

describe("the broker's read cache (Moleculer's cacher with the platform's keygen)", () => {
  let broker: ServiceBroker;
  const LIST_KEYS = ["category", "live", "ownerId", "limit", "cursor"];

  beforeAll(async () => {
    const config = await testConfig({ TRANSPORTER: undefined, REDIS_URL: undefined });
    broker = new ServiceBroker({ ...buildBrokerOptions({ ...config, nodeId: "cache-key" }), logger: false });
    broker.createService({
      name: "listing",
      actions: {
        // Answers what it was asked: a cached answer of another request shows.
        list: { cache: { keys: LIST_KEYS }, handler: (ctx) => ({ asked: ctx.params }) },
        byUser: {
          cache: { keys: ["#user.id", "q"] },
          handler: (ctx) => ({
            q: (ctx.params as { q: string }).q,
            user: (ctx.meta as { user: { id: string } }).user.id,
          }),
        },
      },
    });
    await broker.start();
  });
  afterAll(() => broker?.stop());

  it("does not serve one query's page to another whose text holds `|`", async () => {
    const first = { category: "a|undefined|undefined|undefined|p", cursor: "q" };
    const second = { category: "a", cursor: "p|undefined|undefined|undefined|q" };
    expect(await broker.call("listing.list", first)).toEqual({ asked: first });
    expect(await broker.call("listing.list", second)).toEqual({ asked: second });
  });

  it("keys a per-user read by the caller (meta), and hits again for the same caller and query", async () => {
    const as = (id: string) => ({ meta: { user: { id } } });
    expect(await broker.call("listing.byUser", { q: "x" }, as("u1"))).toEqual({ q: "x", user: "u1" });
    expect(await broker.call("listing.byUser", { q: "x" }, as("u2"))).toEqual({ q: "x", user: "u2" });
    expect(await broker.call("listing.byUser", { q: "x|y" }, as("u1"))).toEqual({ q: "x|y", user: "u1" });
    const cacher = broker.cacher as unknown as { getCacheKey(...args: unknown[]): string };
    const key = () => cacher.getCacheKey("listing.byUser", { q: "x" }, { user: { id: "u1" } }, ["#user.id", "q"]);
    expect(key()).toBe(key());
    expect(key().startsWith("listing.byUser:")).toBe(true);
  });
});
