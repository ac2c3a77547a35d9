/**
 * The entity-store contract: the same expectations against every backend.
 * PostgreSQL and embedded PGlite always; MongoDB when MONGO_URI is set,
 * otherwise a skipped case that says so (a run without MongoDB is visible).
 */
import { ConflictError, ValidationError } from "../../../../lib/errors";
import { dbBackends, MONGO_SKIP_REASON, startBackendNode, type DbTestNode } from "./db-test-service";

const mongoSkipReason = MONGO_SKIP_REASON;
if (mongoSkipReason)
  describe("entity store contract on mongodb", () => {
    it.skip(mongoSkipReason, () => undefined);
  });

describe.each(dbBackends("arena_dbcontract", { mongo: true }))("entity store contract on $name", (backend) => {
  let node: DbTestNode;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ node, stop } = await startBackendNode(backend, "contract_"));
    if (backend.name === "mongodb") await node.items.removeMany({});
  });

  afterAll(async () => {
    await stop?.();
  });

  beforeEach(async () => {
    await node.items.removeMany({});
    await node.logs.removeMany({});
  });

  it("inserts with generated id, timestamps and defaults, and round-trips every field type", async () => {
    const publishedAt = new Date("2026-01-02T03:04:05.678Z");
    const inserted = await node.items.insert({
      name: "alpha",
      score: 1.5,
      tags: ["fps", "ranked"],
      meta: { nested: { level: 2 }, list: [1, 2] },
      publishedAt,
      big: 9007199254740,
      flag: true,
    } as never);
    expect(inserted.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(inserted.createdAt).toBeInstanceOf(Date);
    expect(inserted.updatedAt.getTime()).toBe(inserted.createdAt.getTime());
    expect(inserted.status).toBe("new");
    expect(inserted.viewerCount).toBe(0);

    const read = await node.items.findById(inserted.id);
    expect(read).toEqual(inserted);
    expect(read?.tags).toEqual(["fps", "ranked"]);
    expect(read?.meta).toEqual({ nested: { level: 2 }, list: [1, 2] });
    expect(read?.publishedAt).toEqual(publishedAt);
    expect(read?.big).toBe(9007199254740);
    expect(read?.flag).toBe(true);
    expect(read?.score).toBe(1.5);
    expect(await node.items.findById("missing")).toBeNull();
  });

  it("keeps a caller-chosen id and refuses a duplicate id or unique key with a 409", async () => {
    await node.items.insert({ id: "item-1", name: "one" } as never);
    await expect(node.items.insert({ id: "item-1", name: "other" } as never)).rejects.toBeInstanceOf(ConflictError);
    await expect(node.items.insert({ name: "one" } as never)).rejects.toMatchObject({ code: 409 });
    expect(await node.items.count()).toBe(1);
  });

  it("rejects invalid documents with a 400 and stores nothing", async () => {
    await expect(node.items.insert({ status: "x" } as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(node.items.insert({ name: "a", bogus: 1 } as never)).rejects.toMatchObject({ code: 400 });
    await expect(node.items.insert({ name: "a", viewerCount: "many" } as never)).rejects.toMatchObject({ code: 400 });
    await expect(node.items.find({ query: { nope: 1 } })).rejects.toMatchObject({ code: 400 });
    await expect(node.items.find({ sort: ["-nope"] })).rejects.toMatchObject({ code: 400 });
    await expect(node.items.find({ query: { viewerCount: { $where: 1 } as never } })).rejects.toMatchObject({
      code: 400,
    });
    expect(await node.items.count()).toBe(0);
  });

  it("inserts a batch larger than one statement can carry", async () => {
    // 12 columns x 7000 rows = 84000 values: over PostgreSQL's 65535 bind parameters.
    const docs = await node.items.insertMany(
      Array.from({ length: 7000 }, (_, i) => ({ name: `bulk-${i}`, viewerCount: i })) as never[],
    );
    expect(docs).toHaveLength(7000);
    expect(docs[6999]).toMatchObject({ name: "bulk-6999", viewerCount: 6999 });
    expect(await node.items.count()).toBe(7000);
    expect(await node.items.count({ viewerCount: { $gte: 6000 } })).toBe(1000);
    // An $in list longer than the bind-parameter limit.
    const ids = [...docs.map((d) => d.id), ...Array.from({ length: 63000 }, (_, i) => `absent-${i}`)];
    expect(await node.items.count({ id: { $in: ids } })).toBe(7000);
    expect(await node.items.findByIds(ids)).toHaveLength(7000);
  });

  it("batch-reads by ids in the requested order, leaving out missing ids", async () => {
    const docs = await node.items.insertMany([{ name: "a" }, { name: "b" }, { name: "c" }] as never[]);
    expect(docs).toHaveLength(3);
    const found = await node.items.findByIds([docs[2].id, "missing", docs[0].id]);
    expect(found.map((d) => d.name)).toEqual(["c", "a"]);
    expect(await node.items.findByIds([])).toEqual([]);
  });

  it("finds with equality, $in, ranges, $ne, null, sort and paging", async () => {
    await node.items.insertMany([
      { name: "a", status: "live", viewerCount: 5, score: null },
      { name: "b", status: "live", viewerCount: 50, score: 2 },
      { name: "c", status: "ended", viewerCount: 500, score: 3 },
      { name: "d", status: "draft", viewerCount: 0, score: 4 },
    ] as never[]);
    const names = (docs: { name: string }[]) => docs.map((d) => d.name);
    expect(names(await node.items.find({ query: { status: "live" }, sort: ["name"] }))).toEqual(["a", "b"]);
    expect(names(await node.items.find({ query: { status: { $in: ["ended", "draft"] } }, sort: ["name"] }))).toEqual([
      "c",
      "d",
    ]);
    expect(
      names(await node.items.find({ query: { viewerCount: { $gt: 5, $lte: 500 } }, sort: ["-viewerCount"] })),
    ).toEqual(["c", "b"]);
    expect(
      names(await node.items.find({ query: { viewerCount: { $gte: 5, $lt: 500 } }, sort: ["viewerCount"] })),
    ).toEqual(["a", "b"]);
    expect(names(await node.items.find({ query: { status: { $ne: "live" } }, sort: ["name"] }))).toEqual(["c", "d"]);
    expect(names(await node.items.find({ query: { score: null } }))).toEqual(["a"]);
    // An explicit null in a json field is "no value", like an omitted one.
    await node.items.insert({ name: "e", meta: null, tags: ["x"] } as never);
    expect(names(await node.items.find({ query: { meta: null, tags: { $ne: null } } }))).toEqual(["e"]);
    expect(names(await node.items.find({ query: { tags: ["x"] } }))).toEqual(["e"]);
    // $contains: one element of a json array, beside other conditions; never a substring or the whole array.
    await node.items.insert({ name: "f", tags: ["x", "fps"], status: "live" } as never);
    expect(names(await node.items.find({ query: { tags: { $contains: "x" } }, sort: ["name"] }))).toEqual(["e", "f"]);
    expect(names(await node.items.find({ query: { tags: { $contains: "fps" }, status: "live" } }))).toEqual(["f"]);
    expect(await node.items.count({ tags: { $contains: "fp" } })).toBe(0);
    await expect(node.items.find({ query: { name: { $contains: "e" } } })).rejects.toBeInstanceOf(ValidationError);
    await node.items.removeById((await node.items.findOne({ name: "f" }))!.id);
    await node.items.removeById((await node.items.findOne({ name: "e" }))!.id);
    expect(names(await node.items.find({ query: { score: { $ne: null } }, sort: ["-score"] }))).toEqual([
      "d",
      "c",
      "b",
    ]);
    expect(names(await node.items.find({ query: { status: { $in: [] } } }))).toEqual([]);
    expect(names(await node.items.find({ sort: ["-viewerCount", "name"], limit: 2, offset: 1 }))).toEqual(["b", "a"]);
    expect(names(await node.items.find({ sort: ["name"], limit: 0 }))).toEqual([]);
    expect((await node.items.findOne({ status: "live" }, ["-viewerCount"]))?.name).toBe("b");
    expect(await node.items.findOne({ status: "gone" })).toBeNull();
    expect(await node.items.count({ status: "live" })).toBe(2);
    expect(await node.items.count()).toBe(4);
  });

  it("filters and sorts on createdAt and id", async () => {
    const first = await node.items.insert({
      id: "b-id",
      name: "first",
      createdAt: new Date("2026-01-01T00:00:00Z"),
    } as never);
    await node.items.insert({ id: "a-id", name: "second", createdAt: new Date("2026-02-01T00:00:00Z") } as never);
    expect((await node.items.find({ sort: ["-createdAt"] })).map((d) => d.name)).toEqual(["second", "first"]);
    expect((await node.items.find({ sort: ["id"] })).map((d) => d.id)).toEqual(["a-id", "b-id"]);
    expect(
      (await node.items.find({ query: { createdAt: { $lt: new Date("2026-01-15T00:00:00Z") } } })).map((d) => d.id),
    ).toEqual([first.id]);
    expect((await node.items.find({ query: { id: { $in: ["a-id"] } } })).map((d) => d.name)).toEqual(["second"]);
  });

  it("updates one document, returning it, and moves updatedAt forward", async () => {
    const doc = await node.items.insert({
      name: "u",
      createdAt: new Date("2026-01-01T00:00:00Z"),
      updatedAt: new Date("2026-01-01T00:00:00Z"),
    } as never);
    const updated = await node.items.updateById(doc.id, { status: "live", meta: { a: 1 } });
    expect(updated).toMatchObject({ id: doc.id, name: "u", status: "live", meta: { a: 1 } });
    expect(updated?.updatedAt.getTime()).toBeGreaterThan(doc.updatedAt.getTime());
    expect(updated?.createdAt).toEqual(doc.createdAt);
    expect(await node.items.findById(doc.id)).toEqual(updated);
    expect(await node.items.updateById("missing", { status: "x" })).toBeNull();
    await expect(node.items.updateById(doc.id, { id: "other" } as never)).rejects.toMatchObject({ code: 400 });
    await expect(node.items.updateById(doc.id, { name: null } as never)).rejects.toMatchObject({ code: 400 });
  });

  it("updates and removes many by query, reporting how many matched", async () => {
    await node.items.insertMany([
      { name: "a", status: "live" },
      { name: "b", status: "live" },
      { name: "c", status: "ended" },
    ] as never[]);
    expect(await node.items.updateMany({ status: "live" }, { status: "ended" })).toBe(2);
    expect(await node.items.count({ status: "ended" })).toBe(3);
    const c = await node.items.findOne({ name: "c" });
    expect(await node.items.removeById(c!.id)).toMatchObject({ name: "c" });
    expect(await node.items.removeById(c!.id)).toBeNull();
    expect(await node.items.removeMany({ status: "ended" })).toBe(2);
    expect(await node.items.count()).toBe(0);
  });

  it("increments atomically under concurrency", async () => {
    const doc = await node.items.insert({ name: "counter" } as never);
    await Promise.all(Array.from({ length: 25 }, () => node.items.increment(doc.id, "viewerCount", 1)));
    expect((await node.items.findById(doc.id))?.viewerCount).toBe(25);
    expect((await node.items.increment(doc.id, "viewerCount", -5))?.viewerCount).toBe(20);
    expect(await node.items.increment("missing", "viewerCount", 1)).toBeNull();
    await expect(node.items.increment(doc.id, "name", 1)).rejects.toMatchObject({ code: 400 });
  });

  it("insertIfAbsent is idempotent on the id and on unique keys", async () => {
    expect(await node.items.insertIfAbsent({ id: "evt-1", name: "first" } as never)).toBe(true);
    expect(await node.items.insertIfAbsent({ id: "evt-1", name: "again" } as never)).toBe(false);
    expect(await node.items.insertIfAbsent({ id: "evt-2", name: "first" } as never)).toBe(false);
    expect(await node.items.count()).toBe(1);
    expect((await node.items.findById("evt-1"))?.name).toBe("first");
  });
});
