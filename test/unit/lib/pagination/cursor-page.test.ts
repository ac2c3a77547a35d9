import {
  decodeCursor,
  encodeCursor,
  pageLimit,
  toCursorPage,
  MAX_PAGE_LIMIT,
  DEFAULT_PAGE_LIMIT,
} from "../../../../lib/pagination";

describe("cursor pages", () => {
  it("round-trips a sort key through an opaque cursor", () => {
    const cursor = encodeCursor(["2026-11-30T00:00:00.000Z", "abc", 3, null]);
    expect(cursor).not.toContain("abc");
    expect(decodeCursor(cursor, 4)).toEqual(["2026-11-30T00:00:00.000Z", "abc", 3, null]);
  });

  it.each([
    ["not base64 json", "%%%"],
    ["wrong arity", encodeCursor(["a"])],
    ["an object", Buffer.from('{"a":1}').toString("base64url")],
    ["nested values", Buffer.from('[[1],"x"]').toString("base64url")],
  ])("refuses %s with a 400", (_what, cursor) => {
    expect(() => decodeCursor(cursor, 2)).toThrow(expect.objectContaining({ code: 400, type: "VALIDATION_ERROR" }));
  });

  it("uses the extra row only to decide whether there is a next page", () => {
    const rows = [{ id: "a" }, { id: "b" }, { id: "c" }];
    const first = toCursorPage(rows, 2, (r) => [r.id]);
    expect(first.items.map((r) => r.id)).toEqual(["a", "b"]);
    expect(decodeCursor(first.nextCursor!, 1)).toEqual(["b"]);
    const last = toCursorPage(rows.slice(2), 2, (r) => [r.id]);
    expect(last).toEqual({ items: [{ id: "c" }], nextCursor: null });
  });

  it("defaults and clamps the limit", () => {
    expect(pageLimit({})).toBe(DEFAULT_PAGE_LIMIT);
    expect(pageLimit({ limit: 10_000 })).toBe(MAX_PAGE_LIMIT);
    expect(pageLimit({ limit: 0 })).toBe(1);
  });
});
