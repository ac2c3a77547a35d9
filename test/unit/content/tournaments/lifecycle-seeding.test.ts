import { nextStatus, TransitionError } from "../../../../services/content/tournaments/lifecycle";
import { seedEntrants, SeedingError } from "../../../../services/content/tournaments/seeding";

describe("tournament lifecycle", () => {
  it("follows draft → registration → check-in → running → completed", () => {
    const opts = { hasCheckIn: true };
    expect(nextStatus("draft", "open_registration", opts)).toBe("registration_open");
    expect(nextStatus("registration_open", "open_check_in", opts)).toBe("check_in");
    expect(nextStatus("check_in", "start", opts)).toBe("running");
    expect(nextStatus("running", "complete", opts)).toBe("completed");
  });

  it("refuses skipped, backward and terminal moves", () => {
    const opts = { hasCheckIn: true };
    expect(() => nextStatus("draft", "start", opts)).toThrow(TransitionError);
    expect(() => nextStatus("registration_open", "start", opts)).toThrow(/check-in/);
    expect(() => nextStatus("completed", "cancel", opts)).toThrow(TransitionError);
    expect(() => nextStatus("cancelled", "open_registration", opts)).toThrow(TransitionError);
    expect(() => nextStatus("running", "open_check_in", opts)).toThrow(TransitionError);
    expect(() => nextStatus("registration_open", "open_check_in", { hasCheckIn: false })).toThrow(/no check-in/);
    expect(nextStatus("registration_open", "start", { hasCheckIn: false })).toBe("running");
    for (const s of ["draft", "registration_open", "check_in", "running"] as const)
      expect(nextStatus(s, "cancel", opts)).toBe("cancelled");
  });
});

describe("seeding", () => {
  const entrants = [
    { id: "a", rating: 1200, registeredAt: 3 },
    { id: "b", rating: null, registeredAt: 1 },
    { id: "c", rating: 1500, registeredAt: 2 },
    { id: "d", rating: null, registeredAt: 0 },
  ];

  it("by rank: rated first (higher first), then by registration", () => {
    expect(seedEntrants(entrants, "rank")).toEqual(["c", "a", "d", "b"]);
  });

  it("random: reproducible from its seed, a permutation of the entrants", () => {
    const one = seedEntrants(entrants, "random", { randomSeed: 42 });
    expect(seedEntrants(entrants, "random", { randomSeed: 42 })).toEqual(one);
    expect([...one].sort()).toEqual(["a", "b", "c", "d"]);
    const draws = new Set(
      Array.from({ length: 30 }, (_, i) => seedEntrants(entrants, "random", { randomSeed: i }).join()),
    );
    expect(draws.size).toBeGreaterThan(5);
  });

  it("manual: the organizer's list, complete and without duplicates", () => {
    expect(seedEntrants(entrants, "manual", { manualOrder: ["d", "c", "b", "a"] })).toEqual(["d", "c", "b", "a"]);
    expect(() => seedEntrants(entrants, "manual", { manualOrder: ["d", "c", "b"] })).toThrow(SeedingError);
    expect(() => seedEntrants(entrants, "manual", { manualOrder: ["d", "c", "b", "b"] })).toThrow(/twice/);
    expect(() => seedEntrants(entrants, "manual", { manualOrder: ["d", "c", "b", "x"] })).toThrow(/not an entrant/);
  });
});
