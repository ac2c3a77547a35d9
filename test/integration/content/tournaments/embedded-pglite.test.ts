/**
 * Embedded defaults (no DATABASE_URL: PGlite in DATA_DIR, one shared
 * connection), as `npm start` on a bare machine: the tournaments schema
 * migrates, and a bracket is registered, started and reported to the end,
 * with concurrent reports, on PGlite.
 */
import { ok } from "../../../helpers/tournaments-api";
import { startTournaments, tournamentInput, type TournamentsHarness } from "./tournaments-harness";

let h: TournamentsHarness;

beforeAll(async () => {
  h = await startTournaments({ env: { DATABASE_URL: undefined } });
});
afterAll(async () => {
  await h?.stop();
});

it("plays a double-elimination bracket on PGlite", async () => {
  expect(h.config.database.url).toBeUndefined();
  const organizer = await h.actor("org", "organizer");
  const players = await h.actors("e", 5);
  const t = ok(await organizer.t.create(tournamentInput({ format: "double_elimination", maxEntrants: 4 })));
  ok(await organizer.t.openRegistration(t.id));
  const statuses = await Promise.all(players.map((p) => p.t.register(t.id).then(ok)));
  expect(statuses.map((e) => e.status).sort()).toEqual([
    "confirmed",
    "confirmed",
    "confirmed",
    "confirmed",
    "waitlisted",
  ]);
  const owner = new Map(statuses.map((e, i) => [e.id, players[i]!]));
  ok(await organizer.t.start(t.id));
  for (let guard = 0; guard < 20; guard++) {
    const { matches, tournament } = ok(await h.anonymous.bracket(t.id));
    if (tournament.status === "completed") break;
    await Promise.all(
      matches
        .filter((m) => m.status === "ready")
        .flatMap((m) => m.sides.map((s) => owner.get(s.entrantId as string)!.t.report(t.id, m.id, 1, 0))),
    );
  }
  const done = ok(await h.anonymous.bracket(t.id));
  expect(done.tournament.status).toBe("completed");
  expect(done.matches.filter((m) => m.status === "completed")).toHaveLength(6);
  expect((await h.anonymous.ics(t.id)).text).toContain("BEGIN:VCALENDAR");
});
