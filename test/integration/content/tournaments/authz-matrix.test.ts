/**
 * Every mutating tournaments route, called by everyone who must be refused:
 * anonymous (401), a user with no part in it, another organizer, the
 * players (403, except where the route is theirs). State is read back after
 * every refused call and must be unchanged. Then the allowed actors
 * (organizer, admin, the two sides) succeed. Table-driven: route, actor,
 * expected status.
 */
import type { ApiResponse } from "../../../helpers/api-client";
import { ok, type TournamentsApi } from "../../../helpers/tournaments-api";
import { startTournaments, tournamentInput, type Actor, type TournamentsHarness } from "./tournaments-harness";

type ActorName = "anonymous" | "outsider" | "otherOrganizer" | "playerA" | "playerB";

interface MatrixRoute {
  name: string;
  call(api: TournamentsApi): Promise<ApiResponse<unknown>>;
  /** Expected status per actor; an actor not listed gets 403 (anonymous: 401); 0 = allowed, not tested here. */
  expected?: Partial<Record<ActorName, number>>;
}

let h: TournamentsHarness;
let organizer: Actor;
let admin: Actor;
const actors = {} as Record<ActorName, TournamentsApi>;
let openId: string;
let pendingId: string;
let runningId: string;
let entrantA: string;
let entrantB: string;
let matchId: string;
let channelId: string;

beforeAll(async () => {
  h = await startTournaments();
  organizer = await h.actor("org", "organizer");
  admin = await h.actor("adm", "admin");
  const otherOrganizer = await h.actor("org2", "organizer");
  const [outsider, a, b, c] = await h.actors("m", 4);
  Object.assign(actors, {
    anonymous: h.anonymous,
    outsider: outsider!.t,
    otherOrganizer: otherOrganizer.t,
    playerA: a!.t,
    playerB: b!.t,
  });
  channelId = ok(await organizer.api.channels.create({ slug: `tv${Date.now()}`, title: "Tournament TV" })).channel.id;
  // An open tournament with approval: c's registration waits.
  openId = ok(await organizer.t.create(tournamentInput({ requiresApproval: true }))).id;
  ok(await organizer.t.openRegistration(openId));
  pendingId = ok(await c!.t.register(openId)).id;
  // A running one: a v b, one ready match.
  runningId = ok(await organizer.t.create(tournamentInput())).id;
  ok(await organizer.t.openRegistration(runningId));
  entrantA = ok(await a!.t.register(runningId)).id;
  entrantB = ok(await b!.t.register(runningId)).id;
  ok(await organizer.t.start(runningId));
  matchId = ok(await h.anonymous.bracket(runningId)).matches[0]!.id;
});
afterAll(async () => {
  await h?.stop();
});

async function snapshot(): Promise<unknown> {
  const s = h.tournaments.stores;
  const strip = <T extends { updatedAt: Date }>(rows: T[]) =>
    rows.map(({ updatedAt: _u, ...rest }) => rest).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  return {
    tournaments: strip(await s.tournaments.find({})),
    entrants: strip(await s.entrants.find({})),
    members: strip(await s.members.find({})),
    matches: strip(await s.matches.find({})),
  };
}

const ROUTES: MatrixRoute[] = [
  { name: "POST /tournaments", call: (t) => t.create(tournamentInput()), expected: { otherOrganizer: 0 } },
  { name: "PATCH /tournaments/:id", call: (t) => t.update(openId, { name: "Hijacked" }) },
  { name: "POST /tournaments/:id/open-check-in", call: (t) => t.openCheckIn(openId) },
  { name: "POST /tournaments/:id/open-registration", call: (t) => t.openRegistration(openId) },
  { name: "POST /tournaments/:id/start", call: (t) => t.start(openId) },
  { name: "POST /tournaments/:id/cancel", call: (t) => t.cancel(openId) },
  {
    name: "POST /tournaments/:id/entrants",
    call: (t) => t.register(openId),
    // Anyone logged in may register: only the anonymous refusal is about rights.
    expected: { outsider: 0, otherOrganizer: 0, playerA: 0, playerB: 0 },
  },
  { name: "DELETE /tournaments/:id/entrants/:entrantId", call: (t) => t.withdraw(openId, pendingId) },
  { name: "POST …/entrants/:entrantId/approve", call: (t) => t.approve(openId, pendingId) },
  { name: "POST …/entrants/:entrantId/reject", call: (t) => t.reject(openId, pendingId) },
  { name: "PUT …/entrants/:entrantId/rating", call: (t) => t.setRating(openId, pendingId, 2000) },
  { name: "POST …/entrants/:entrantId/check-in", call: (t) => t.checkIn(openId, pendingId) },
  {
    name: "POST …/entrants/:entrantId/disqualify",
    call: (t) => t.disqualify(runningId, entrantA),
  },
  {
    name: "POST …/matches/:matchId/report",
    call: (t) => t.report(runningId, matchId, 2, 0),
    expected: { playerA: 0, playerB: 0 },
  },
  { name: "POST …/matches/:matchId/override", call: (t) => t.override(runningId, matchId, { winner: "b" }) },
  { name: "POST …/matches/:matchId/no-show", call: (t) => t.noShow(runningId, matchId, "a") },
  {
    name: "PUT …/matches/:matchId/schedule",
    call: (t) => t.scheduleMatch(runningId, matchId, new Date(Date.now() + 7_200_000).toISOString()),
  },
  { name: "PUT …/matches/:matchId/channel", call: (t) => t.assignChannel(runningId, matchId, channelId) },
];

describe("authorization matrix over every mutating tournaments route (real gateway, real Postgres)", () => {
  const ACTORS: ActorName[] = ["anonymous", "outsider", "otherOrganizer", "playerA", "playerB"];
  for (const route of ROUTES) {
    for (const actor of ACTORS) {
      const expected = route.expected?.[actor] ?? (actor === "anonymous" ? 401 : 403);
      if (expected === 0) continue;
      it(`${route.name} as ${actor} → ${expected}, nothing changes`, async () => {
        const before = await snapshot();
        const res = await route.call(actors[actor]);
        expect({ status: res.status, body: res.body }).toMatchObject({ status: expected });
        expect(await snapshot()).toEqual(before);
      });
    }
  }

  it("the organizer, an admin and the two sides succeed where the matrix refused others", async () => {
    ok(await organizer.t.update(openId, { name: "Renamed" }));
    ok(await admin.t.setRating(openId, pendingId, 1800));
    ok(await admin.t.approve(openId, pendingId));
    ok(await organizer.t.scheduleMatch(runningId, matchId, new Date(Date.now() + 3_600_000).toISOString()));
    ok(await organizer.t.assignChannel(runningId, matchId, channelId));
    expect(ok(await actors.playerA.report(runningId, matchId, 2, 0)).reporting).toBe("awaiting_confirmation");
    expect(ok(await actors.playerB.report(runningId, matchId, 2, 0)).status).toBe("completed");
    expect(ok(await h.anonymous.get(runningId))).toMatchObject({ status: "completed", championEntrantId: entrantA });
    expect(entrantB).not.toBe(entrantA);
    ok(await admin.t.cancel(openId));
  });
});
