import type { EntityDefinition } from "../../../../mixins/db/entity";
import { BindList, orderClause, whereClause } from "../../../../mixins/db/sql-query";

const entity: EntityDefinition = {
  table: "streams",
  kind: "document",
  fields: {
    channelId: { type: "string" },
    viewerCount: { type: "integer" },
    tags: { type: "json" },
    startedAt: { type: "date" },
  },
};

function where(query: Record<string, unknown>) {
  const bind = new BindList(entity);
  return { sql: whereClause(entity, query as never, bind), values: bind.values };
}

describe("whereClause", () => {
  it("turns equality, null and operators into snake_case columns with bind parameters", () => {
    expect(where({ channelId: "c1", viewerCount: { $gte: 10, $lt: 100 }, startedAt: null })).toEqual({
      sql: 'WHERE "channel_id" = $1 AND "viewer_count" >= $2 AND "viewer_count" < $3 AND "started_at" IS NULL',
      values: ["c1", 10, 100],
    });
  });

  it("expands $in (with null and empty) and $ne", () => {
    expect(where({ channelId: { $in: ["a", null] } })).toEqual({
      sql: 'WHERE ("channel_id" = ANY($1::text[]) OR "channel_id" IS NULL)',
      values: [["a"]],
    });
    expect(where({ viewerCount: { $in: [1, 2] } })).toEqual({
      sql: 'WHERE "viewer_count" = ANY($1::integer[])',
      values: [[1, 2]],
    });
    expect(where({ tags: { $in: [["a"], ["b"]] } })).toEqual({
      sql: 'WHERE "tags" IN ($1::jsonb, $2::jsonb)',
      values: ['["a"]', '["b"]'],
    });
    expect(where({ channelId: { $in: [] } }).sql).toBe("WHERE FALSE");
    expect(where({ channelId: { $ne: "x" } }).sql).toBe('WHERE "channel_id" IS DISTINCT FROM $1');
    expect(where({ channelId: { $ne: null } }).sql).toBe('WHERE "channel_id" IS NOT NULL');
  });

  it("compares json fields as jsonb and never splices values into SQL", () => {
    const { sql, values } = where({ tags: ["a'; DROP TABLE x; --"] });
    expect(sql).toBe('WHERE "tags" = $1::jsonb');
    expect(values).toEqual([JSON.stringify(["a'; DROP TABLE x; --"])]);
  });

  it("tests membership in a json array with $contains, the element bound as a one-element array", () => {
    expect(where({ tags: { $contains: "fps'; --" }, channelId: "c1" })).toEqual({
      sql: 'WHERE "tags" @> $1::jsonb AND "channel_id" = $2',
      values: ['["fps\'; --"]', "c1"],
    });
    expect(where({ tags: { $contains: 3 } }).values).toEqual(["[3]"]);
    expect(() => where({ channelId: { $contains: "a" } })).toThrow(/needs a json field/);
    expect(() => where({ tags: { $contains: ["a"] } })).toThrow(/needs a string, number or boolean/);
    expect(() => where({ tags: { $contains: null } })).toThrow(expect.objectContaining({ code: 400 }));
  });

  it("skips undefined conditions and gives no WHERE for an empty query", () => {
    expect(where({ channelId: undefined })).toEqual({ sql: "", values: [] });
  });

  it("refuses unknown fields, unknown operators and mistyped values with a 400", () => {
    expect(() => where({ nope: 1 })).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => where({ viewerCount: { $regex: "x" } })).toThrow(/Unsupported operator/);
    expect(() => where({ viewerCount: "ten" })).toThrow(/must be of type integer/);
    expect(() => where({ channelId: { $in: "a" } })).toThrow(/needs an array/);
    expect(() => where({ startedAt: { $gt: "not a date" } })).toThrow(/must be of type date/);
  });
});

describe("orderClause", () => {
  it("maps sort entries to columns and directions", () => {
    expect(orderClause(entity, ["-createdAt", "id", "viewerCount"])).toBe(
      'ORDER BY "created_at" DESC, "id" ASC, "viewer_count" ASC',
    );
    expect(orderClause(entity, undefined)).toBe("");
    expect(() => orderClause(entity, ["-password"])).toThrow(/Unknown field/);
  });
});
