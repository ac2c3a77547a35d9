import { cursorPageSchema, s } from "../../../../lib/http/response-schema";
import { checkJsonSchema } from "../../../../lib/http/json-schema-check";
import { routeTable } from "../../../../services/edge/api/route-table";
import { VIDEO, VIDEO_PAGE } from "../../../../services/media/videos/videos.responses";

interface Item {
  id: string;
  note: string | null;
  kind: "a" | "b";
  extra?: number;
}

const ITEM = s.named(
  "Item",
  s.object<Item>()({
    id: s.string(),
    note: s.nullable(s.string()),
    kind: s.enum(["a", "b"] as const),
    extra: s.optional(s.integer()),
  }),
);

describe("response schemas", () => {
  it("emits JSON Schema with $refs to named schemas and collects them", () => {
    const page = cursorPageSchema("Item", ITEM);
    expect(page.json).toEqual({ $ref: "#/components/schemas/ItemCursorPage" });
    expect(page.defs.Item).toEqual({
      type: "object",
      properties: {
        id: { type: "string" },
        note: { type: ["string", "null"] },
        kind: { type: "string", enum: ["a", "b"] },
        extra: { type: "integer" },
      },
      required: ["id", "note", "kind"],
      additionalProperties: false,
    });
    expect(page.defs.ItemCursorPage).toMatchObject({ required: ["items", "nextCursor"] });
  });

  it("refuses one name for two different schemas", () => {
    const other = s.named("Item", s.object<{ id: string }>()({ id: s.string() }));
    expect(() => s.array(s.oneOf(ITEM, other))).toThrow(/both named "Item"/);
  });

  it("is typed by the value it describes", () => {
    // Each marked line must fail the typecheck (npm run typecheck compiles tests): the schema and the type disagree.
    s.object<Item>()({
      id: s.string(),
      // @ts-expect-error a nullable property declared not nullable
      note: s.string(),
      kind: s.enum(["a", "b"] as const),
      extra: s.optional(s.integer()),
    });
    // @ts-expect-error a property missing from the schema
    s.object<Item>()({ id: s.string(), note: s.nullable(s.string()), kind: s.enum(["a", "b"] as const) });
    // @ts-expect-error an optional schema for a required property
    s.object<{ id: string }>()({ id: s.optional(s.string()) });
    routeTable({
      routes: [
        // @ts-expect-error a response schema that is not the action's result type
        { method: "GET", path: "/videos", action: "videos.list", auth: "none", summary: "x", response: VIDEO },
        { method: "GET", path: "/videos", action: "videos.list", auth: "none", summary: "x", response: VIDEO_PAGE },
      ],
    });
  });
});

describe("checkJsonSchema", () => {
  const components = { ...ITEM.defs };
  it("accepts a matching value and names each violation's path", () => {
    expect(checkJsonSchema({ id: "1", note: null, kind: "a" }, ITEM.json, components)).toEqual([]);
    expect(checkJsonSchema({ id: 1, note: null, kind: "c", more: true }, ITEM.json, components)).toEqual([
      { path: "/id", message: "expected string, got integer" },
      { path: "/kind", message: '"c" is not one of ["a","b"]' },
      { path: "/more", message: "not declared in the schema" },
    ]);
    expect(checkJsonSchema({ id: "1", kind: "a" }, ITEM.json, components)).toEqual([
      { path: "/note", message: "missing" },
    ]);
  });

  it("checks arrays, date-times, literals and anyOf", () => {
    const schema = s.array(s.object<{ at: string; ok: true }>()({ at: s.dateTime(), ok: s.literal(true) }));
    expect(checkJsonSchema([{ at: "2026-01-01T00:00:00.000Z", ok: true }], schema.json)).toEqual([]);
    expect(checkJsonSchema([{ at: "yesterday", ok: false }], schema.json).map((v) => v.path)).toEqual([
      "/0/at",
      "/0/ok",
    ]);
    expect(checkJsonSchema(null, s.nullable(ITEM).json, components)).toEqual([]);
    expect(checkJsonSchema(3, s.nullable(ITEM).json, components)).toHaveLength(1);
  });

  it("refuses a schema keyword it does not check rather than passing it", () => {
    expect(checkJsonSchema("x", { type: "string", pattern: "^y$" })).toEqual([
      { path: "", message: 'schema keyword "pattern" is not supported' },
    ]);
  });

  it("describes a real view: the Video schema", () => {
    expect(VIDEO.defs.Video).toMatchObject({ additionalProperties: false });
    expect((VIDEO.defs.Video as { required: string[] }).required).not.toContain("failureReason");
  });
});
