/**
 * Every /tournaments operation called for real, each answer checked against
 * the status and body schema the OpenAPI document declares (issue 9).
 */
import type { Context, ServiceSchema } from "moleculer";
import type { EntrantView, MatchView } from "../../../../services/content/tournaments/tournament.types";
import { ApiClient } from "../../../helpers/api-client";
import { ResponseCheck } from "../../../helpers/response-check";
import { ok, tournamentsApi } from "../../../helpers/tournaments-api";
import { startTournaments, tournamentInput, type Actor, type TournamentsHarness } from "./tournaments-harness";

/** videos.get stand-in: the chapters route asks the videos service whether the caller may see the video. */
const videosStandIn: ServiceSchema = {
  name: "videos",
  actions: { get: { handler: (ctx: Context<{ id: string }>) => ({ id: ctx.params.id }) } },
};

let h: TournamentsHarness;
let check: ResponseCheck;

beforeAll(async () => {
  h = await startTournaments({ extraServices: [videosStandIn] });
  check = await ResponseCheck.load(h.base);
});
afterAll(async () => {
  await h?.stop();
});

/** An actor whose tournaments calls go through the checking fetch. */
async function checkedActor(prefix: string, role?: "organizer"): Promise<Actor> {
  const actor = await h.actor(prefix, role);
  return { ...actor, t: tournamentsApi(new ApiClient(h.base, actor.token, check.fetch)) };
}

describe("tournaments responses match the OpenAPI document", () => {
  it("answers every operation with its declared status and body", async () => {
    const organizer = await checkedActor("org", "organizer");
    const players = await Promise.all([0, 1, 2, 3, 4].map((i) => checkedActor(`p${i}`)));
    const anon = tournamentsApi(new ApiClient(h.base, undefined, check.fetch));
    const channelId = ok(await organizer.api.channels.create({ slug: `doc${Date.now()}`, title: "Stage" })).channel.id;

    const t = ok(
      await organizer.t.create(
        tournamentInput({
          maxEntrants: 4,
          requiresApproval: true,
          checkInOpensAt: new Date(Date.now() + 3_600_000).toISOString(),
        }),
      ),
    );
    ok(await organizer.t.update(t.id, { rules: "Best of 3" }));
    ok(await organizer.t.openRegistration(t.id));
    const entrants: EntrantView[] = [];
    for (const p of players) entrants.push(ok(await p.t.register(t.id)));
    for (const e of entrants.slice(0, 4)) ok(await organizer.t.approve(t.id, e.id));
    ok(await organizer.t.reject(t.id, entrants[4]!.id));
    ok(await anon.entrants(t.id));
    ok(await organizer.t.openCheckIn(t.id));
    for (const [i, p] of players.slice(0, 4).entries()) ok(await p.t.checkIn(t.id, entrants[i]!.id));
    ok(await organizer.t.setRating(t.id, entrants[0]!.id, 1500));
    ok(await organizer.t.start(t.id));
    ok(await anon.get(t.id));
    ok(await anon.list());

    const bracket = ok(await anon.bracket(t.id));
    const ready = bracket.matches.filter((m) => m.status === "ready");
    expect(ready).toHaveLength(2);
    const [first, second] = ready as [MatchView, MatchView];
    const sideOf = (m: MatchView, i: 0 | 1) => players[entrants.findIndex((e) => e.id === m.sides[i].entrantId)]!;
    ok(await organizer.t.scheduleMatch(t.id, first.id, new Date(Date.now() + 3_600_000).toISOString()));
    ok(await organizer.t.assignChannel(t.id, first.id, channelId));
    ok(await anon.channelMatch(channelId));
    // First semi: the sides disagree, the organizer decides.
    ok(await sideOf(first, 0).t.report(t.id, first.id, 2, 1));
    ok(await sideOf(first, 1).t.report(t.id, first.id, 1, 2));
    ok(await organizer.t.override(t.id, first.id, { scoreA: 2, scoreB: 1 }));
    // Second semi: one side is disqualified and forfeits.
    ok(await organizer.t.disqualify(t.id, String(second.sides[1].entrantId)));
    const final = ok(await anon.matches(t.id)).items.find((m) => m.status === "ready" && m.round === 2);
    expect(final).toBeDefined();
    ok(await organizer.t.noShow(t.id, final!.id, "b"));
    ok(await anon.standings(t.id));
    ok(await anon.schedule(t.id));
    expect((await anon.ics(t.id)).status).toBe(200);
    ok(await anon.chapters("some-video"));

    // A second tournament: withdrawn before it starts, then cancelled.
    const other = ok(await organizer.t.create(tournamentInput()));
    ok(await organizer.t.openRegistration(other.id));
    const entrant = ok(await players[0]!.t.register(other.id));
    ok(await players[0]!.t.withdraw(other.id, entrant.id));
    ok(await organizer.t.cancel(other.id));
    expect((await anon.get("00000000-0000-4000-8000-000000000000")).status).toBe(404);

    expect(check.violationsOf("tournaments.")).toEqual([]);
    expect(check.unanswered("tournaments.")).toEqual([]);
  });
});
