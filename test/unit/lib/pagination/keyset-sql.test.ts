import { encodeCursor, keysetAfter, keysetOrderBy, type KeysetColumn } from "../../../../lib/pagination";

const RANKED: KeysetColumn[] = [
  { sql: "is_live", kind: "boolean", desc: true },
  { sql: "follower_count", kind: "integer", desc: true },
  { sql: "created_at", kind: "timestamp", desc: false },
  { sql: "id", kind: "text", desc: false },
];

describe("keyset SQL", () => {
  it("orders by every column, each in its own direction", () => {
    expect(keysetOrderBy(RANKED)).toBe("is_live DESC, follower_count DESC, created_at ASC, id ASC");
  });

  it("expands 'after the cursor' column by column, binding after what is already bound", () => {
    const bind: unknown[] = ["owner"];
    const at = "2026-11-30 19:05:00.123456+00";
    const sql = keysetAfter(RANKED, encodeCursor([true, 7, at, "c1"]), bind);
    expect(bind).toEqual(["owner", true, 7, at, "c1"]);
    expect(sql).toBe(
      "((is_live < $2) OR (is_live = $2 AND follower_count < $3) OR " +
        "(is_live = $2 AND follower_count = $3 AND created_at > $4::timestamptz) OR " +
        "(is_live = $2 AND follower_count = $3 AND created_at = $4::timestamptz AND id > $5))",
    );
  });

  it.each([
    ["a string for a boolean", ["yes", 7, "2026-11-30 19:05:00+00", "c1"]],
    ["a fraction for an integer", [true, 7.5, "2026-11-30 19:05:00+00", "c1"]],
    ["a date that Postgres would refuse", [true, 7, "yesterday", "c1"]],
    ["null for an id", [true, 7, "2026-11-30 19:05:00+00", null]],
  ])("refuses %s as a 400 before any SQL runs", (_what, key) => {
    const bind: unknown[] = [];
    expect(() => keysetAfter(RANKED, encodeCursor(key), bind)).toThrow(
      expect.objectContaining({ code: 400, type: "VALIDATION_ERROR" }),
    );
  });
});
