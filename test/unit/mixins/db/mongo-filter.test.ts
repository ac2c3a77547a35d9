import type { EntityDefinition } from "../../../../mixins/db/entity";
import { toMongoFilter } from "../../../../mixins/db/mongo-entity-store";

const entity: EntityDefinition = {
  table: "sessions",
  kind: "document",
  fields: {
    channelId: { type: "string" },
    viewerCount: { type: "integer" },
    endedAt: { type: "date" },
    tags: { type: "json" },
  },
};

describe("toMongoFilter", () => {
  it("maps id to _id and keeps the supported operators with coerced values", () => {
    expect(
      toMongoFilter(entity, {
        id: { $in: ["a", "b"] },
        viewerCount: { $gte: 1, $ne: 5 },
        endedAt: { $lt: "2026-01-01T00:00:00Z" },
        channelId: null,
      }),
    ).toEqual({
      _id: { $in: ["a", "b"] },
      viewerCount: { $gte: 1, $ne: 5 },
      endedAt: { $lt: new Date("2026-01-01T00:00:00Z") },
      channelId: null,
    });
  });

  it("maps $contains on a json array to $all of that one element, and refuses it elsewhere", () => {
    expect(toMongoFilter(entity, { tags: { $contains: "fps" }, channelId: "c1" })).toEqual({
      tags: { $all: ["fps"] },
      channelId: "c1",
    });
    expect(() => toMongoFilter(entity, { channelId: { $contains: "c" } })).toThrow(/needs a json field/);
    expect(() => toMongoFilter(entity, { tags: { $contains: { $gt: "" } } as never })).toThrow(/needs a string/);
  });

  it("refuses operators that would let a caller run arbitrary queries", () => {
    expect(() => toMongoFilter(entity, { channelId: { $where: "sleep(1000)" } as never })).toThrow(
      /Unsupported operator/,
    );
    expect(() => toMongoFilter(entity, { channelId: { $regex: ".*" } as never })).toThrow(/Unsupported operator/);
    expect(() => toMongoFilter(entity, { $or: [] } as never)).toThrow(/Unknown field/);
  });
});
