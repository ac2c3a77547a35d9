/**
 * A tournament's life through the real gateway and PostgreSQL: creation,
 * registration with waitlist and approval, check-in (no-shows replaced from
 * the waitlist), seeding, reports (agreeing, disputed, overridden), the
 * bracket advancing to a champion, standings, the schedule and its feed,
 * and the durable events on the way.
 */
import type { ServiceSchema } from "moleculer";
import { durableHandler, type DurableEnvelope, type DurableEventName } from "../../../../mixins/durable-events";
import type { MatchView } from "../../../../services/content/tournaments/tournament.types";
import { waitFor } from "../../../helpers/infra";
import { ok } from "../../../helpers/tournaments-api";
import { startTournaments, tournamentInput, type Actor, type TournamentsHarness } from "./tournaments-harness";

const EVENTS: DurableEventName[] = [
  "tournament.created",
  "tournament.registration.confirmed",
  "tournament.started",
  "tournament.match.ready",
  "tournament.match.completed",
  "tournament.completed",
  "tournament.cancelled",
];
const seen: DurableEnvelope[] = [];
const recorder: ServiceSchema = {
  name: "tournament-event-recorder",
  channels: Object.assign(
    {},
    ...EVENTS.map((type) =>
      durableHandler(type, {
        group: "recorder",
        async handler(envelope) {
          seen.push(envelope);
        },
      }),
    ),
  ),
};
const eventsOf = (type: DurableEventName, tournamentId: string) =>
  seen.filter((e) => e.type === type && (e.payload as { tournamentId: string }).tournamentId === tournamentId);

let h: TournamentsHarness;
let organizer: Actor;
let players: Actor[];

beforeAll(async () => {
  h = await startTournaments({ extraServices: [recorder] });
  organizer = await h.actor("org", "organizer");
  players = await h.actors("p", 6);
});
afterAll(async () => {
  await h?.stop();
});

describe("a single-elimination tournament played through the API", () => {
  it("creates, registers with a waitlist, checks in, starts, reports to a champion", async () => {
    const input = tournamentInput({
      name: "<b>Spring</b> Cup",
      maxEntrants: 4,
      options: { thirdPlaceMatch: true, seeding: "rank", roundMinutes: 30 },
      checkInOpensAt: new Date(Date.now() + 3_600_000).toISOString(),
      rules: "Best of 3. <script>alert(1)</script>",
    });
    const t = ok(await organizer.t.create(input));
    expect(t).toMatchObject({ status: "draft", name: "Spring Cup", rules: "Best of 3." });
    // Drafts are the organizer's: 404 for anyone else, absent from public listings.
    expect((await h.anonymous.get(t.id)).status).toBe(404);
    expect(ok(await h.anonymous.list()).items.map((x) => x.id)).not.toContain(t.id);
    expect((await players[0]!.t.register(t.id)).status).toBe(404);
    ok(await organizer.t.openRegistration(t.id));

    const entrants = [];
    for (const p of players.slice(0, 6)) entrants.push(ok(await p.t.register(t.id)));
    expect(entrants.map((e) => e.status)).toEqual([
      "confirmed",
      "confirmed",
      "confirmed",
      "confirmed",
      "waitlisted",
      "waitlisted",
    ]);
    expect(entrants[5]!.waitlistPosition).toBe(2);
    expect((await players[0]!.t.register(t.id)).status).toBe(409);

    // A confirmed player withdraws: the first on the waitlist moves up.
    ok(await players[1]!.t.withdraw(t.id, entrants[1]!.id));
    const page = ok(await h.anonymous.entrants(t.id));
    expect(page.items.map((e) => e.status)).toEqual([
      "confirmed",
      "withdrawn",
      "confirmed",
      "confirmed",
      "confirmed",
      "waitlisted",
    ]);
    expect(page.items[5]!.waitlistPosition).toBe(1);
    // ...and may register again, at the back of the line.
    const again = ok(await players[1]!.t.register(t.id));
    expect(again).toMatchObject({ status: "waitlisted", waitlistPosition: 2 });

    // Check-in: p3 does not check in; the waitlisted p5 (checked in) takes the place, p1 stays waiting.
    ok(await organizer.t.openCheckIn(t.id));
    for (const i of [0, 2, 4, 5]) ok(await players[i]!.t.checkIn(t.id, entrants[i]!.id));
    for (const [i, rating] of [
      [0, 1500],
      [2, 1400],
      [4, 1300],
      [5, 1200],
    ] as const)
      ok(await organizer.t.setRating(t.id, entrants[i]!.id, rating));
    const started = ok(await organizer.t.start(t.id));
    expect(started).toMatchObject({ status: "running", confirmedCount: 4 });
    const byId = new Map(ok(await h.anonymous.entrants(t.id)).items.map((e) => [e.id, e]));
    expect(byId.get(entrants[3]!.id)?.status).toBe("no_show");
    expect(byId.get(entrants[5]!.id)).toMatchObject({ status: "confirmed", seed: 4 });
    expect(byId.get(entrants[0]!.id)).toMatchObject({ seed: 1 });

    // Bracket: 1 v 4 and 2 v 3, then the final and the third-place match.
    let bracket = ok(await h.anonymous.bracket(t.id));
    const semi = (key: string) => bracket.matches.find((m) => m.key === key) as MatchView;
    expect(semi("W1-1").sides.map((s) => s.entrantId)).toEqual([entrants[0]!.id, entrants[5]!.id]);
    expect(semi("W1-2").sides.map((s) => s.entrantId)).toEqual([entrants[2]!.id, entrants[4]!.id]);
    expect(bracket.matches.map((m) => m.key).sort()).toEqual(["3P", "W1-1", "W1-2", "W2-1"]);

    // Semi 1: both report the same score → decided.
    const s1 = semi("W1-1");
    expect(ok(await players[0]!.t.report(t.id, s1.id, 2, 1)).reporting).toBe("awaiting_confirmation");
    expect(ok(await players[5]!.t.report(t.id, s1.id, 2, 1))).toMatchObject({
      status: "completed",
      winnerEntrantId: entrants[0]!.id,
      resolution: "reported",
    });
    expect((await players[5]!.t.report(t.id, s1.id, 0, 2)).status).toBe(409);
    // Semi 2: reports disagree → dispute; the organizer decides.
    const s2 = semi("W1-2");
    ok(await players[4]!.t.report(t.id, s2.id, 2, 0));
    expect(ok(await players[2]!.t.report(t.id, s2.id, 0, 2)).reporting).toBe("disputed");
    expect((await players[0]!.t.report(t.id, s2.id, 2, 0)).status).toBe(403);
    expect(ok(await organizer.t.override(t.id, s2.id, { scoreA: 1, scoreB: 2 }))).toMatchObject({
      status: "completed",
      resolution: "override",
      winnerEntrantId: entrants[4]!.id,
    });

    bracket = ok(await h.anonymous.bracket(t.id));
    const final = semi("W2-1");
    expect(final.sides.map((s) => s.entrantId)).toEqual([entrants[0]!.id, entrants[4]!.id]);
    expect(semi("3P").sides.map((s) => s.entrantId)).toEqual([entrants[5]!.id, entrants[2]!.id]);
    expect((await players[0]!.t.report(t.id, final.id, 1, 1)).status).toBe(400);
    ok(await organizer.t.noShow(t.id, semi("3P").id, "a"));
    ok(await players[4]!.t.report(t.id, final.id, 0, 3));
    ok(await players[0]!.t.report(t.id, final.id, 0, 3));

    const done = ok(await h.anonymous.get(t.id));
    expect(done).toMatchObject({ status: "completed", championEntrantId: entrants[4]!.id });
    const standings = ok(await h.anonymous.standings(t.id)).items;
    expect(standings.map((s) => s.entrantId)).toEqual([
      entrants[4]!.id,
      entrants[0]!.id,
      entrants[2]!.id,
      entrants[5]!.id,
    ]);

    await waitFor(() => eventsOf("tournament.completed", t.id).length === 1);
    expect(eventsOf("tournament.created", t.id)).toHaveLength(1);
    expect(eventsOf("tournament.started", t.id)).toHaveLength(1);
    expect(eventsOf("tournament.match.completed", t.id)).toHaveLength(4);
    expect(eventsOf("tournament.match.ready", t.id)).toHaveLength(4);
    // p0-p3 at registration; p4 promoted on p1's withdrawal; p5 promoted at check-in (p3 missed it).
    const confirmed = eventsOf("tournament.registration.confirmed", t.id).map((e) => e.payload);
    expect(confirmed).toHaveLength(6);
    expect(confirmed.filter((c) => (c as { fromWaitlist: boolean }).fromWaitlist)).toHaveLength(2);
    const ready = eventsOf("tournament.match.ready", t.id)[0]!.payload as { sides: Array<{ memberIds: string[] }> };
    expect(ready.sides.flatMap((s) => s.memberIds).length).toBe(2);
  });

  it("requires approval when asked, and refuses users the organizer blocked", async () => {
    const t = ok(await organizer.t.create(tournamentInput({ requiresApproval: true, maxEntrants: 2 })));
    ok(await organizer.t.openRegistration(t.id));
    const pending = ok(await players[0]!.t.register(t.id));
    expect(pending.status).toBe("pending");
    expect((await players[0]!.t.approve(t.id, pending.id)).status).toBe(403);
    expect(ok(await organizer.t.approve(t.id, pending.id)).status).toBe("confirmed");
    ok(await organizer.api.me.block(players[1]!.id));
    expect((await players[1]!.t.register(t.id)).status).toBe(403);
    const rejected = ok(await players[2]!.t.register(t.id));
    expect(ok(await organizer.t.reject(t.id, rejected.id)).status).toBe("rejected");
    // A rejected entrant's place is free again.
    expect(ok(await players[2]!.t.register(t.id)).status).toBe("pending");
    ok(await organizer.t.cancel(t.id));
    await waitFor(() => eventsOf("tournament.cancelled", t.id).length === 1);
    expect((eventsOf("tournament.cancelled", t.id)[0]!.payload as { memberIds: string[] }).memberIds.sort()).toEqual(
      [players[0]!.id, players[2]!.id].sort(),
    );
    expect((await organizer.t.start(t.id)).status).toBe(409);
  });

  it("teams: a captain registers a roster within the size limits; no player is on two teams", async () => {
    const t = ok(
      await organizer.t.create(tournamentInput({ mode: "team", teamSizeMin: 2, teamSizeMax: 3, maxEntrants: 4 })),
    );
    ok(await organizer.t.openRegistration(t.id));
    const [captain, mate, other, third] = [players[3]!, players[4]!, players[5]!, players[0]!];
    expect((await captain.t.register(t.id, { teamName: "Solo" })).status).toBe(400);
    expect((await captain.t.register(t.id, { roster: [mate.id] })).status).toBe(400);
    expect((await captain.t.register(t.id, { teamName: "Ghosts", roster: ["nobody-here"] })).status).toBe(400);
    expect((await captain.t.register(t.id, { teamName: "Crowd", roster: [mate.id, other.id, third.id] })).status).toBe(
      400,
    );
    const team = ok(await captain.t.register(t.id, { teamName: "<i>Owls</i>", roster: [mate.id] }));
    expect(team).toMatchObject({ teamName: "Owls", roster: [mate.id], status: "confirmed" });
    expect((await other.t.register(t.id, { teamName: "Hawks", roster: [mate.id] })).status).toBe(409);
    expect((await mate.t.register(t.id, { teamName: "Mine", roster: [third.id] })).status).toBe(409);
  });
});
