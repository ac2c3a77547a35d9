import { BYE, type BracketMatch } from "../../../../services/content/tournaments/bracket.types";
import {
  applyForfeits,
  applyOutcome,
  eliminationChampion,
} from "../../../../services/content/tournaments/bracket-advance";
import { doubleElimination, singleElimination } from "../../../../services/content/tournaments/elimination";
import { bracketOrder } from "../../../../services/content/tournaments/seeding";
import { forAll, ids, int, playOut, realSides } from "./engine-helpers";

/** Every link targets an existing match side, and no side is fed twice. */
function checkLinks(matches: BracketMatch[]): void {
  const keys = new Set(matches.map((m) => m.key));
  expect(keys.size).toBe(matches.length);
  const fed = new Set<string>();
  for (const m of matches) {
    for (const link of [m.winnerTo, m.loserTo]) {
      if (!link) continue;
      expect(keys.has(link.key)).toBe(true);
      const slot = `${link.key}/${link.side}`;
      expect(fed.has(slot)).toBe(false);
      fed.add(slot);
    }
  }
}

/** Every entrant is in round 1 of the upper bracket, playing or with a bye. */
function checkRoundOne(matches: BracketMatch[], entrants: string[]): void {
  const first = matches.filter((m) => m.bracket === "winners" && m.round === 1);
  const placed = first.flatMap((m) => realSides(m));
  expect(placed.sort()).toEqual([...entrants].sort());
  for (const m of first) expect(m.sides.filter((s) => s === BYE).length).toBeLessThan(2);
}

describe("seeding order", () => {
  it("pairs 1 v n, and keeps seeds 1 and 2 apart until the final", () => {
    expect(bracketOrder(8)).toEqual([1, 8, 4, 5, 2, 7, 3, 6]);
    const order = bracketOrder(16);
    expect(order.indexOf(1) < 8).toBe(true);
    expect(order.indexOf(2) >= 8).toBe(true);
  });
});

describe("single elimination (property tests over 2..70 entrants)", () => {
  it("every entrant plays in round 1 or has a bye; n-1 matches decide it (+1 for third place)", () => {
    forAll(60, (random) => {
      const n = int(random, 2, 70);
      const third = random() < 0.5;
      const matches = singleElimination(ids(n), { thirdPlaceMatch: third });
      checkLinks(matches);
      checkRoundOne(matches, ids(n));
      const played = playOut(matches, random);
      expect(played.length).toBe(n - 1 + (third && n >= 4 ? 1 : 0));
      const champion = eliminationChampion(matches);
      expect(ids(n)).toContain(champion);
      // Everyone but the champion lost exactly one bracket match (the third-place match aside).
      const losses = new Map<string, number>();
      for (const m of played.filter((x) => x.bracket === "winners"))
        losses.set(
          m.sides[m.winner === 0 ? 1 : 0] as string,
          (losses.get(m.sides[m.winner === 0 ? 1 : 0] as string) ?? 0) + 1,
        );
      expect(losses.size).toBe(n - 1);
      expect([...losses.values()].every((c) => c === 1)).toBe(true);
      expect(losses.has(champion as string)).toBe(false);
    });
  });

  it("gives the byes to the top seeds", () => {
    const matches = singleElimination(ids(5));
    const byes = matches.filter((m) => m.status === "bye").map((m) => realSides(m)[0]);
    expect(byes.sort()).toEqual(["p1", "p2", "p3"]);
    expect(matches.find((m) => m.key === "W1-1")?.sides).toEqual(["p1", BYE]);
    // p4 v p5 is the only real first-round match; its winner meets p1.
    expect(matches.filter((m) => m.round === 1 && m.status === "ready").map((m) => m.sides)).toEqual([["p4", "p5"]]);
  });

  it("sends each winner to exactly one place and refuses a second report", () => {
    const matches = singleElimination(ids(4));
    const all = new Map(matches.map((m) => [m.key, m]));
    applyOutcome(all, "W1-1", 0);
    expect(all.get("W2-1")?.sides).toEqual(["p1", null]);
    expect(() => applyOutcome(all, "W1-1", 1)).toThrow(/completed, not ready/);
    expect(() => applyOutcome(all, "W2-1", 0)).toThrow(/pending, not ready/);
  });

  it("a disqualified entrant loses the ready match and every later one at once", () => {
    const matches = singleElimination(ids(8));
    const all = new Map(matches.map((m) => [m.key, m]));
    const out = new Set(["p1"]);
    applyForfeits(all, out);
    expect(all.get("W1-1")).toMatchObject({ status: "completed", winner: 1 });
    expect(all.get("W2-1")?.sides[0]).toBe("p8");
  });
});

describe("double elimination (property tests over 2..70 entrants)", () => {
  it("2n-2 matches (2n-1 with a played reset), everyone but the champion loses twice", () => {
    forAll(60, (random) => {
      const n = int(random, 2, 70);
      const reset = random() < 0.5;
      const matches = doubleElimination(ids(n), { grandFinalReset: reset });
      checkLinks(matches);
      checkRoundOne(matches, ids(n));
      const played = playOut(matches, random);
      const gf2 = matches.find((m) => m.key === "GF2");
      const resetPlayed = gf2?.status === "completed";
      expect(played.length).toBe(2 * n - 2 + (resetPlayed ? 1 : 0));
      if (!reset) expect(gf2).toBeUndefined();
      if (gf2 && !resetPlayed) expect(gf2.status).toBe("skipped");
      const champion = eliminationChampion(matches) as string;
      expect(ids(n)).toContain(champion);
      const losses = new Map<string, number>();
      for (const m of played) {
        const loser = m.sides[m.winner === 0 ? 1 : 0] as string;
        losses.set(loser, (losses.get(loser) ?? 0) + 1);
      }
      const gf1 = matches.find((m) => m.key === "GF1") as BracketMatch;
      const upperChampionLostFinal = gf1.winner === 1;
      for (const id of ids(n)) {
        if (id === champion) expect(losses.get(id) ?? 0).toBeLessThanOrEqual(1);
        // Without a reset, an upper champion beaten in the grand final is out after one loss.
        else if (!reset && upperChampionLostFinal && id === gf1.sides[0]) expect(losses.get(id)).toBe(1);
        else expect(losses.get(id)).toBe(2);
      }
    });
  });

  it("plays the reset only when the lower-bracket finalist wins the first grand final", () => {
    for (const gfWinner of [0, 1] as const) {
      const matches = doubleElimination(ids(4), { grandFinalReset: true });
      const all = new Map(matches.map((m) => [m.key, m]));
      for (const key of ["W1-1", "W1-2", "W2-1", "L1-1", "L2-1"]) applyOutcome(all, key, 0);
      expect(all.get("GF1")?.status).toBe("ready");
      applyOutcome(all, "GF1", gfWinner);
      expect(all.get("GF2")?.status).toBe(gfWinner === 1 ? "ready" : "skipped");
    }
  });
});
