import type { EntityDefinition } from "../../../../mixins/db/entity";
import { columnName, validateDefinition } from "../../../../mixins/db/entity";
import { prepareInsert, preparePatch } from "../../../../mixins/db/document-codec";

const entity: EntityDefinition = {
  table: "posts",
  kind: "relational",
  fields: {
    title: { type: "string", required: true },
    tags: { type: "json", default: () => [] },
    views: { type: "integer", default: 0 },
    publishedAt: { type: "date" },
  },
};
const now = new Date("2026-03-01T00:00:00Z");

describe("prepareInsert", () => {
  it("fills id, timestamps and defaults; leaves absent optional fields undefined", () => {
    const doc = prepareInsert(entity, { title: "t", publishedAt: "2026-01-01T00:00:00Z" }, now);
    expect(doc).toMatchObject({
      title: "t",
      tags: [],
      views: 0,
      createdAt: now,
      updatedAt: now,
      publishedAt: new Date("2026-01-01T00:00:00Z"),
    });
    expect(typeof doc.id).toBe("string");
    expect(prepareInsert(entity, { title: "t" }, now).publishedAt).toBeUndefined();
  });

  it("gives every insert its own copy of a default", () => {
    const a = prepareInsert(entity, { title: "a" }, now);
    const b = prepareInsert(entity, { title: "b" }, now);
    expect(a.tags).not.toBe(b.tags);
  });

  it("refuses missing required, unknown and mistyped fields", () => {
    expect(() => prepareInsert(entity, {}, now)).toThrow(/"title" is required/);
    expect(() => prepareInsert(entity, { title: "t", author: "x" }, now)).toThrow(/Unknown field "author"/);
    expect(() => prepareInsert(entity, { title: "t", views: 1.5 }, now)).toThrow(/integer/);
    expect(() => prepareInsert(entity, { title: "t", id: 5 }, now)).toThrow(/id must be a non-empty string/);
  });
});

describe("preparePatch", () => {
  it("keeps declared fields, drops undefined, refuses store-managed ones", () => {
    expect(preparePatch(entity, { views: 3, title: undefined })).toEqual({ views: 3 });
    expect(() => preparePatch(entity, { updatedAt: now })).toThrow(/managed by the store/);
    expect(() => preparePatch(entity, { title: null })).toThrow(/required/);
  });
});

describe("definitions", () => {
  it("maps camelCase fields to snake_case columns", () => {
    expect(columnName("durationS")).toBe("duration_s");
    expect(columnName("viewerCount")).toBe("viewer_count");
  });

  it("refuses unsafe names and duplicate migration sets", () => {
    const base = { schema: "blog", primary: "posts", entities: { posts: entity }, migrations: [] };
    expect(() => validateDefinition(base)).not.toThrow();
    expect(() => validateDefinition({ ...base, schema: "Blog" })).toThrow(/Invalid schema/);
    expect(() => validateDefinition({ ...base, entities: { posts: { ...entity, table: "posts; drop" } } })).toThrow(
      /Invalid table/,
    );
    expect(() =>
      validateDefinition({
        ...base,
        migrations: [
          { name: "a", dir: "x" },
          { name: "a", dir: "y" },
        ],
      }),
    ).toThrow(/duplicate migration set/);
  });
});
