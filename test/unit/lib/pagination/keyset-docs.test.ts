import { encodeCursor, keysetFind, type KeysetField } from "../../../../lib/pagination";

interface Row {
  id: string;
  status: string;
  viewers: number;
  at: Date;
}
type Query = Record<string, unknown>;

const FIELDS: KeysetField[] = [
  { field: "viewers", kind: "integer", desc: true },
  { field: "at", kind: "date", desc: true },
  { field: "id", kind: "text", desc: false },
];

/** An in-memory store with the entity-store query subset keysetFind uses: equality, $lt, $gt. */
function storeOf(rows: Row[]) {
  const calls: Query[] = [];
  const matches = (row: Row, query: Query) =>
    Object.entries(query).every(([field, cond]) => {
      const value = row[field as keyof Row];
      const n = (v: unknown) => (v instanceof Date ? v.getTime() : v) as number | string;
      if (cond && typeof cond === "object" && !(cond instanceof Date)) {
        const op = cond as { $lt?: unknown; $gt?: unknown };
        return "$lt" in op ? n(value) < n(op.$lt) : n(value) > n(op.$gt);
      }
      return n(value) === n(cond);
    });
  const order = (a: Row, b: Row) =>
    b.viewers - a.viewers || b.at.getTime() - a.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const find = async (query: Query, _sort: string[], limit: number) => {
    calls.push(query);
    return rows
      .filter((r) => matches(r, query))
      .sort(order)
      .slice(0, limit);
  };
  return { find, calls, sorted: [...rows].sort(order) };
}

const keyOf = (r: Row) => [r.viewers, r.at.toISOString(), r.id];
const at = (m: number) => new Date(Date.UTC(2026, 10, 30, 19, m));

describe("keyset pages over the entity-store contract", () => {
  const rows: Row[] = [
    { id: "a", status: "live", viewers: 5, at: at(1) },
    { id: "b", status: "live", viewers: 5, at: at(1) },
    { id: "c", status: "live", viewers: 9, at: at(0) },
    { id: "d", status: "live", viewers: 5, at: at(3) },
    { id: "e", status: "live", viewers: 0, at: at(2) },
    { id: "f", status: "live", viewers: 5, at: at(1) },
  ];

  it.each([1, 2, 4, 10])("pages every row once in sort order, %d a page", async (limit) => {
    const { find, sorted } = storeOf(rows);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await keysetFind(find, { base: {}, fields: FIELDS, cursor, limit, keyOf });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(sorted.map((r) => r.id));
  });

  it("reads the nearest range first and stops once the page is full", async () => {
    const { find, calls } = storeOf(rows);
    const cursor = encodeCursor([5, at(1).toISOString(), "a"]);
    const page = await keysetFind(find, { base: { status: "live" }, fields: FIELDS, cursor, limit: 1, keyOf });
    expect(page.items.map((r) => r.id)).toEqual(["b"]);
    // Same viewers and time, id after "a": two rows (b, f) fill limit + 1; the wider ranges are never read.
    expect(calls).toEqual([{ status: "live", viewers: 5, at: at(1), id: { $gt: "a" } }]);
  });

  it.each([
    ["a date without milliseconds", [5, "2026-11-30T19:01:00Z", "a"]],
    ["a string for viewers", ["5", at(1).toISOString(), "a"]],
    ["a number for the id", [5, at(1).toISOString(), 7]],
  ])("refuses %s as a 400", async (_what, key) => {
    const { find } = storeOf(rows);
    await expect(
      keysetFind(find, { base: {}, fields: FIELDS, cursor: encodeCursor(key), limit: 2, keyOf }),
    ).rejects.toMatchObject({ code: 400, type: "VALIDATION_ERROR" });
  });
});
