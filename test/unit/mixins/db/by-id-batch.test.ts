import { ByIdBatch } from "../../../../mixins/db/by-id-batch";

type Row = { id: string; n: number };

function batchOf(load: (ids: string[]) => Promise<Map<string, Row>>) {
  const loads: string[][] = [];
  const batch = new ByIdBatch<Row>(
    (ids) => {
      loads.push(ids);
      return load(ids);
    },
    (row) => ({ ...row }),
  );
  return { batch, loads };
}

const rowsOf = (ids: string[]) => new Map(ids.filter((id) => id !== "gone").map((id) => [id, { id, n: id.length }]));

describe("ByIdBatch (reads by id of one tick in one load)", () => {
  it("loads the ids asked in the same tick once each, and answers every caller", async () => {
    const { batch, loads } = batchOf(async (ids) => rowsOf(ids));
    const answers = await Promise.all(["a", "bb", "a", "gone"].map((id) => batch.get(id)));
    expect(loads).toEqual([["a", "bb", "gone"]]);
    expect(answers).toEqual([{ id: "a", n: 1 }, { id: "bb", n: 2 }, { id: "a", n: 1 }, undefined]);
    // The second caller of "a" has its own copy.
    expect(answers[0]).not.toBe(answers[2]);
  });

  it("starts a new load for reads after the tick", async () => {
    const { batch, loads } = batchOf(async (ids) => rowsOf(ids));
    await batch.get("a");
    await batch.get("b");
    expect(loads).toEqual([["a"], ["b"]]);
  });

  it("rejects every caller of a failed load, and the next tick loads again", async () => {
    let fail = true;
    const { batch } = batchOf(async (ids) => {
      if (fail) throw new Error("database down");
      return rowsOf(ids);
    });
    const settled = await Promise.allSettled(["a", "b", "a"].map((id) => batch.get(id)));
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected", "rejected"]);
    fail = false;
    expect(await batch.get("a")).toEqual({ id: "a", n: 1 });
  });

  it("splits a batch of more than 500 ids into several loads", async () => {
    const { batch, loads } = batchOf(async (ids) => rowsOf(ids));
    const ids = Array.from({ length: 1200 }, (_, i) => `id${i}`);
    const answers = await Promise.all(ids.map((id) => batch.get(id)));
    expect(loads.map((l) => l.length)).toEqual([500, 500, 200]);
    expect(answers.every((a, i) => a?.id === ids[i])).toBe(true);
  });
});
