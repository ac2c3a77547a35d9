/**
 * Swiss and round robin played through the API, the schedule (JSON and
 * the iCalendar feed, updated when a match moves), and clear 4xx answers
 * to bad input.
 */
import type { MatchView } from "../../../../services/content/tournaments/tournament.types";
import { ok } from "../../../helpers/tournaments-api";
import { startTournaments, tournamentInput, type Actor, type TournamentsHarness } from "./tournaments-harness";

let h: TournamentsHarness;
let organizer: Actor;
let players: Actor[];

beforeAll(async () => {
  h = await startTournaments();
  organizer = await h.actor("org", "organizer");
  players = await h.actors("f", 5);
});
afterAll(async () => {
  await h?.stop();
});

async function openWith(input: Record<string, unknown>, field: Actor[]): Promise<{ id: string; entrants: string[] }> {
  const t = ok(await organizer.t.create(tournamentInput(input)));
  ok(await organizer.t.openRegistration(t.id));
  const entrants = [];
  for (const p of field) entrants.push(ok(await p.t.register(t.id)).id);
  ok(await organizer.t.start(t.id));
  return { id: t.id, entrants };
}

/** The organizer decides every ready match: the lower seed number (side A) wins, or a draw when asked. */
async function playRound(id: string, draw = false): Promise<MatchView[]> {
  const ready = ok(await h.anonymous.bracket(id)).matches.filter((m) => m.status === "ready");
  for (const m of ready) ok(await organizer.t.override(id, m.id, draw ? { winner: "draw" } : { scoreA: 1, scoreB: 0 }));
  return ready;
}

describe("Swiss through the API", () => {
  it("pairs round by round with one bye each, no rematch, and ranks by points then Buchholz", async () => {
    const { id, entrants } = await openWith({ format: "swiss", maxEntrants: 8, options: { swissRounds: 3 } }, players);
    const pairs = new Set<string>();
    for (let round = 1; round <= 3; round++) {
      const { matches, tournament } = ok(await h.anonymous.bracket(id));
      expect(tournament.currentRound).toBe(round);
      const thisRound = matches.filter((m) => m.round === round);
      expect(thisRound.filter((m) => m.status === "bye")).toHaveLength(1);
      for (const m of thisRound.filter((x) => x.status === "ready")) {
        const key = m.sides
          .map((s) => s.entrantId)
          .sort()
          .join("|");
        expect(pairs.has(key)).toBe(false);
        pairs.add(key);
      }
      await playRound(id);
    }
    const done = ok(await h.anonymous.get(id));
    expect(done.status).toBe("completed");
    const standings = ok(await h.anonymous.standings(id)).items;
    expect(standings).toHaveLength(5);
    expect(standings[0]!.entrantId).toBe(done.championEntrantId);
    for (let i = 1; i < standings.length; i++) expect(standings[i - 1]!.points! >= standings[i]!.points!).toBe(true);
    const byes = ok(await h.anonymous.bracket(id)).matches.filter((m) => m.status === "bye");
    expect(new Set(byes.map((m) => m.sides[0].entrantId)).size).toBe(3);
    expect(entrants).toContain(done.championEntrantId);
  });
});

describe("round robin through the API", () => {
  it("plays every pair once, accepts draws, and completes", async () => {
    const { id } = await openWith({ format: "round_robin", maxEntrants: 4 }, players.slice(0, 4));
    const { matches } = ok(await h.anonymous.bracket(id));
    expect(matches).toHaveLength(6);
    await playRound(id, true);
    const standings = ok(await h.anonymous.standings(id)).items;
    expect(standings.every((s) => s.draws === 3 && s.points === 1.5)).toBe(true);
    expect(ok(await h.anonymous.get(id)).status).toBe("completed");
    // Elimination refuses a draw.
    const elim = await openWith({ maxEntrants: 2 }, players.slice(0, 2));
    const m = ok(await h.anonymous.bracket(elim.id)).matches[0]!;
    expect((await organizer.t.override(elim.id, m.id, { winner: "draw" })).status).toBe(400);
  });
});

describe("schedule", () => {
  it("is served as JSON and as an iCalendar feed that follows rescheduling", async () => {
    const { id } = await openWith(
      {
        name: "Winter, Cup; Finals",
        maxEntrants: 4,
        startsAt: "2030-01-05T18:00:00.000Z",
        options: { roundMinutes: 45, thirdPlaceMatch: true },
      },
      players.slice(0, 4),
    );
    const schedule = ok(await h.anonymous.schedule(id));
    expect(schedule.matches.map((m) => [m.key, m.scheduledAt])).toEqual([
      ["W1-1", "2030-01-05T18:00:00.000Z"],
      ["W1-2", "2030-01-05T18:00:00.000Z"],
      ["3P", "2030-01-05T18:45:00.000Z"],
      ["W2-1", "2030-01-05T18:45:00.000Z"],
    ]);
    const feed = await h.anonymous.ics(id);
    expect(feed.status).toBe(200);
    expect(feed.contentType).toMatch(/^text\/calendar/);
    expect(feed.text.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(feed.text).toContain("X-WR-CALNAME:Winter\\, Cup\\; Finals\r\n");
    expect(feed.text.match(/BEGIN:VEVENT/g)).toHaveLength(5);
    expect(feed.text).toContain("DTSTART:20300105T184500Z");
    for (const line of feed.text.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(feed.text).toContain("SEQUENCE:0\r\n");

    const final = schedule.matches.find((m) => m.key === "W2-1")!;
    ok(await organizer.t.scheduleMatch(id, final.id, "2030-01-05T21:00:00.000Z"));
    const moved = await h.anonymous.ics(id);
    expect(moved.text).toContain("DTSTART:20300105T210000Z");
    expect(moved.text).toContain("SEQUENCE:1\r\n");
    expect(ok(await h.anonymous.schedule(id)).version).toBe(1);
  });
});

describe("bad input gets a clear 4xx and changes nothing", () => {
  it("refuses inconsistent tournaments, bad scores, bad cursors and unknown ids", async () => {
    const count = await h.tournaments.stores.tournaments.count({});
    const bad = async (input: Record<string, unknown>) => (await organizer.t.create(tournamentInput(input))).status;
    expect(await bad({ format: "poker" })).toBe(400);
    expect(await bad({ maxEntrants: 100000 })).toBe(400);
    expect(await bad({ maxEntrants: 1 })).toBe(400);
    expect(await bad({ registrationClosesAt: "2099-01-01T00:00:00Z" })).toBe(400);
    expect(await bad({ minEntrants: 10, maxEntrants: 4 })).toBe(400);
    expect(await bad({ name: "<script></script>" })).toBe(400);
    expect(await bad({ startsAt: "tomorrow-ish" })).toBe(400);
    expect(await h.tournaments.stores.tournaments.count({})).toBe(count);

    const { id } = await openWith({ maxEntrants: 2 }, players.slice(0, 2));
    const m = ok(await h.anonymous.bracket(id)).matches[0]!;
    expect((await players[0]!.t.report(id, m.id, -1, 2)).status).toBe(400);
    expect((await players[0]!.t.report(id, "no-such-match", 1, 2)).status).toBe(404);
    expect((await h.anonymous.entrants(id, { cursor: "garbage!" })).status).toBe(400);
    expect((await h.anonymous.get("no-such-tournament")).status).toBe(404);
    expect((await organizer.t.update(id, { maxEntrants: 64 })).status).toBe(409);
  });
});
