/**
 * Concurrency against real PostgreSQL through the gateway: no double
 * registration, no overfilled field, ordered waitlist promotion, and
 * concurrent reports/overrides that decide and advance each match once.
 */
import type { ServiceSchema } from "moleculer";
import { durableHandler, type DurableEnvelope } from "../../../../mixins/durable-events";
import type { MatchView } from "../../../../services/content/tournaments/tournament.types";
import { waitFor } from "../../../helpers/infra";
import { ok } from "../../../helpers/tournaments-api";
import { startTournaments, tournamentInput, type Actor, type TournamentsHarness } from "./tournaments-harness";

const completed: DurableEnvelope<"tournament.match.completed">[] = [];
const recorder: ServiceSchema = {
  name: "completed-recorder",
  channels: durableHandler("tournament.match.completed", {
    group: "completed-recorder",
    async handler(envelope) {
      completed.push(envelope);
    },
  }),
};

let h: TournamentsHarness;
let organizer: Actor;
let players: Actor[];

beforeAll(async () => {
  h = await startTournaments({ extraServices: [recorder] });
  organizer = await h.actor("org", "organizer");
  players = await h.actors("c", 14);
});
afterAll(async () => {
  await h?.stop();
});

describe("registration under concurrent requests", () => {
  it("one user firing 20 registrations at once gets exactly one place", async () => {
    const t = ok(await organizer.t.create(tournamentInput({ maxEntrants: 8 })));
    ok(await organizer.t.openRegistration(t.id));
    const results = await Promise.all(Array.from({ length: 20 }, () => players[0]!.t.register(t.id)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    expect(await h.tournaments.stores.entrants.count({ tournamentId: t.id })).toBe(1);
    expect(await h.tournaments.stores.members.count({ tournamentId: t.id })).toBe(1);
  });

  it("14 users racing for 6 places: 6 confirmed, 8 on an ordered waitlist; withdrawals promote in order", async () => {
    const t = ok(await organizer.t.create(tournamentInput({ maxEntrants: 6 })));
    ok(await organizer.t.openRegistration(t.id));
    const results = await Promise.all(players.map((p) => p.t.register(t.id)));
    expect(results.map((r) => r.status)).toEqual(players.map(() => 201));
    const page = ok(await h.anonymous.entrants(t.id, { limit: 100 }));
    expect(page.items.filter((e) => e.status === "confirmed")).toHaveLength(6);
    const waiting = page.items.filter((e) => e.status === "waitlisted");
    expect(waiting.map((e) => e.waitlistPosition)).toEqual(Array.from({ length: 8 }, (_, i) => i + 1));
    // Registration numbers are a gapless sequence: the lock serialized every insert.
    const numbers = (await h.tournaments.stores.entrants.find({ query: { tournamentId: t.id } }))
      .map((e) => e.registrationNo)
      .sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));

    // Five confirmed players withdraw at once: the first five on the waitlist move up, nobody else.
    const confirmed = page.items.filter((e) => e.status === "confirmed").slice(0, 5);
    const owners = new Map(players.map((p) => [p.id, p]));
    await Promise.all(confirmed.map((e) => owners.get(e.userId)!.t.withdraw(t.id, e.id)));
    const after = ok(await h.anonymous.entrants(t.id, { limit: 100 })).items;
    expect(after.filter((e) => e.status === "confirmed")).toHaveLength(6);
    const promoted = after.filter((e) => e.status === "confirmed" && waiting.some((w) => w.id === e.id));
    expect(promoted.map((e) => e.id)).toEqual(waiting.slice(0, 5).map((e) => e.id));
  });
});

describe("reporting under concurrent requests", () => {
  it("both sides and the organizer racing on every match: each is decided and advanced once", async () => {
    const t = ok(await organizer.t.create(tournamentInput({ maxEntrants: 16, format: "double_elimination" })));
    ok(await organizer.t.openRegistration(t.id));
    const field = players.slice(0, 11);
    const entrants = await Promise.all(field.map((p) => p.t.register(t.id).then(ok)));
    const byEntrant = new Map(entrants.map((e, i) => [e.id, field[i]!]));
    ok(await organizer.t.start(t.id));

    let rounds = 0;
    for (;;) {
      const { matches, tournament } = ok(await h.anonymous.bracket(t.id));
      if (tournament.status === "completed") break;
      const ready = matches.filter((m: MatchView) => m.status === "ready");
      expect(ready.length).toBeGreaterThan(0);
      // Every ready match at once: both sides report the same score, and the organizer overrides too.
      const calls = ready.flatMap((m) => {
        const [a, b] = m.sides.map((s) => byEntrant.get(s.entrantId as string)!);
        return [
          a!.t.report(t.id, m.id, 2, 1),
          b!.t.report(t.id, m.id, 2, 1),
          organizer.t.override(t.id, m.id, { scoreA: 2, scoreB: 1 }),
        ];
      });
      const statuses = (await Promise.all(calls)).map((r) => r.status);
      expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
      expect(++rounds).toBeLessThan(40);
    }
    const final = ok(await h.anonymous.bracket(t.id));
    const played = final.matches.filter((m) => m.status === "completed");
    // Double elimination: 2n-2 matches, or 2n-1 when the reset is played (side A always wins here: no reset).
    expect(played).toHaveLength(2 * field.length - 2);
    await waitFor(() => completed.filter((e) => e.payload.tournamentId === t.id).length >= played.length);
    const events = completed.filter((e) => e.payload.tournamentId === t.id);
    expect(new Set(events.map((e) => e.payload.matchId)).size).toBe(events.length);
    expect(events).toHaveLength(played.length);
    // Every entrant but the champion lost exactly twice.
    const losses = new Map<string, number>();
    for (const m of played) {
      const loser = m.sides.find((s) => s.entrantId !== m.winnerEntrantId)!.entrantId as string;
      losses.set(loser, (losses.get(loser) ?? 0) + 1);
    }
    expect([...losses.values()].filter((n) => n === 2)).toHaveLength(field.length - 1);
    expect(final.tournament.championEntrantId).not.toBeNull();
    expect(losses.has(final.tournament.championEntrantId as string)).toBe(false);
  });
});
