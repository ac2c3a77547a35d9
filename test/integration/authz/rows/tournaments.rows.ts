/**
 * tournaments: the organizer (the owner here holds the organizer role) and
 * admins run a tournament; any signed-in user registers; an entrant
 * withdraws (or the organizer removes them) and checks in alone; the two
 * sides of a match report it (the organizer overrides instead). The
 * moderator of another channel is an organizer too (of other tournaments:
 * refused on the owner's). In the running fixture the other user is side A
 * and the moderator of another channel side B.
 */
import { ok, type ApiResponse } from "../../../helpers/api-client";
import type { GuardHarness } from "../guard-harness";
import { actorIndex, anyUser, only, read, type GuardRow } from "../route-guard";

const input = (name = "Guard Cup") => ({
  name,
  game: "Arena Fighters",
  format: "single_elimination",
  maxEntrants: 8,
  startsAt: new Date(Date.now() + 86_400_000).toISOString(),
});

/** A tournament with a check-in window (open-check-in refuses one without). */
const checkIn = () => ({
  checkInOpensAt: new Date(Date.now() + 3_600_000).toISOString(),
  checkInClosesAt: new Date(Date.now() + 7_200_000).toISOString(),
});

const t = (id: string) => `/tournaments/${id}`;
const tournament = (h: GuardHarness, id: string) => () => read(h.users.admin.api, t(id));
const entrants = (h: GuardHarness, id: string) => () => read(h.users.admin.api, `${t(id)}/entrants?limit=100`);
const bracket = (h: GuardHarness, id: string) => () => read(h.users.admin.api, `${t(id)}/bracket`);

const created = (res: ApiResponse<unknown>): { id: string } => {
  if (res.status !== 200 && res.status !== 201) ok(res, 201);
  return res.body as { id: string };
};

/** The owner's tournament: a draft, or open for registration (optionally with approval). */
async function newTournament(h: GuardHarness, open = true, extra: Record<string, unknown> = {}): Promise<string> {
  const id = created(await h.users.owner.api.request("POST", "/tournaments", { ...input(), ...extra })).id;
  if (open) ok(await h.users.owner.api.request("POST", `${t(id)}/open-registration`, {}));
  return id;
}

/** An open tournament the other user registered for (pending when approval is required). */
async function withEntrant(
  h: GuardHarness,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; entrantId: string }> {
  const id = await newTournament(h, true, extra);
  const entrantId = created(await h.users.otherUser.api.request("POST", `${t(id)}/entrants`, {})).id;
  return { id, entrantId };
}

/** A running tournament: the other user (side A) against the moderator of another channel (side B). */
async function running(h: GuardHarness): Promise<{ id: string; entrantA: string; matchId: string }> {
  const id = await newTournament(h);
  const entrantA = created(await h.users.otherUser.api.request("POST", `${t(id)}/entrants`, {})).id;
  created(await h.users.moderatorOfOtherChannel.api.request("POST", `${t(id)}/entrants`, {}));
  ok(await h.users.owner.api.request("POST", `${t(id)}/start`, {}));
  const view = ok(await h.users.admin.api.request("GET", `${t(id)}/bracket`)) as { matches: Array<{ id: string }> };
  const matchId = view.matches[0]?.id;
  if (!matchId) throw new Error("the running tournament has no match");
  return { id, entrantA, matchId };
}

/** The organizer or an admin: everyone else 403. */
const organizer = (status = 200) => only({ owner: status, admin: status });
/** Sides: the other user (A) and the moderator of another channel (B). */
const sides = { ...only({ otherUser: 200, moderatorOfOtherChannel: 200 }) };

export const tournamentsRows: GuardRow[] = [
  {
    route: "POST /tournaments",
    note: "the organizer role (the owner and the moderator of another channel here) or an admin",
    expect: { ...organizer(201), moderatorOfOtherChannel: 201 },
    attempt: async (h) => ({
      bodyFor: (actor) => input(`Guard Cup ${actorIndex(actor)}`),
      state: () => read(h.users.admin.api, "/tournaments?limit=100"),
    }),
  },
  {
    route: "PATCH /tournaments/:id",
    expect: organizer(),
    attempt: async (h) => {
      const id = await newTournament(h);
      return { params: { id }, bodyFor: (a) => ({ name: `Renamed ${actorIndex(a)}` }), state: tournament(h, id) };
    },
  },
  {
    route: "POST /tournaments/:id/open-registration",
    note: "a draft: others get the 404 a read of it answers (a 403 would confirm the id exists)",
    expect: only({ owner: 200, admin: 200 }, 404),
    attempt: async (h) => {
      const id = await newTournament(h, false);
      return { params: { id }, body: {}, state: tournament(h, id) };
    },
  },
  {
    route: "POST /tournaments/:id/open-check-in",
    expect: organizer(),
    attempt: async (h) => {
      const id = await newTournament(h, true, checkIn());
      return { params: { id }, body: {}, state: tournament(h, id) };
    },
  },
  {
    route: "POST /tournaments/:id/start",
    expect: organizer(),
    attempt: async (h) => {
      const id = await newTournament(h);
      created(await h.users.otherUser.api.request("POST", `${t(id)}/entrants`, {}));
      created(await h.users.moderatorOfOtherChannel.api.request("POST", `${t(id)}/entrants`, {}));
      return { params: { id }, body: {}, state: tournament(h, id) };
    },
  },
  {
    route: "POST /tournaments/:id/cancel",
    expect: organizer(),
    attempt: async (h) => {
      const id = await newTournament(h);
      return { params: { id }, body: {}, state: tournament(h, id) };
    },
  },
  {
    route: "POST /tournaments/:id/entrants",
    note: "an open tournament: any signed-in user registers",
    expect: anyUser(201),
    attempt: async (h) => {
      const id = await newTournament(h);
      return { params: { id }, body: {}, state: entrants(h, id) };
    },
  },
  {
    route: "DELETE /tournaments/:id/entrants/:entrantId",
    note: "the other user's entry: they withdraw it, the organizer (or an admin) removes it",
    expect: only({ otherUser: 200, owner: 200, admin: 200 }),
    attempt: async (h) => {
      const { id, entrantId } = await withEntrant(h);
      return { params: { id, entrantId }, state: entrants(h, id) };
    },
  },
  {
    route: "POST /tournaments/:id/entrants/:entrantId/approve",
    note: "a pending entry: not its own player",
    expect: organizer(),
    attempt: async (h) => {
      const { id, entrantId } = await withEntrant(h, { requiresApproval: true });
      return { params: { id, entrantId }, body: {}, state: entrants(h, id) };
    },
  },
  {
    route: "POST /tournaments/:id/entrants/:entrantId/reject",
    expect: organizer(),
    attempt: async (h) => {
      const { id, entrantId } = await withEntrant(h, { requiresApproval: true });
      return { params: { id, entrantId }, body: {}, state: entrants(h, id) };
    },
  },
  {
    route: "POST /tournaments/:id/entrants/:entrantId/check-in",
    note: "check-in open: the player alone, not even the organizer",
    expect: only({ otherUser: 200 }),
    attempt: async (h) => {
      const { id, entrantId } = await withEntrant(h, checkIn());
      ok(await h.users.owner.api.request("POST", `${t(id)}/open-check-in`, {}));
      return { params: { id, entrantId }, body: {}, state: entrants(h, id) };
    },
  },
  {
    route: "PUT /tournaments/:id/entrants/:entrantId/rating",
    expect: organizer(),
    attempt: async (h) => {
      const { id, entrantId } = await withEntrant(h);
      return { params: { id, entrantId }, bodyFor: (a) => ({ rating: 1500 + actorIndex(a) }), state: entrants(h, id) };
    },
  },
  {
    route: "POST /tournaments/:id/entrants/:entrantId/disqualify",
    expect: organizer(),
    attempt: async (h) => {
      const { id, entrantA } = await running(h);
      return { params: { id, entrantId: entrantA }, body: {}, state: entrants(h, id) };
    },
  },
  {
    route: "POST /tournaments/:id/matches/:matchId/report",
    note: "the two sides of the match; the organizer overrides instead",
    expect: sides,
    attempt: async (h) => {
      const { id, matchId } = await running(h);
      return { params: { id, matchId }, body: { scoreA: 2, scoreB: 0 }, state: bracket(h, id) };
    },
  },
  {
    route: "POST /tournaments/:id/matches/:matchId/override",
    expect: organizer(),
    attempt: async (h) => {
      const { id, matchId } = await running(h);
      return { params: { id, matchId }, body: { winner: "b" }, state: bracket(h, id) };
    },
  },
  {
    route: "POST /tournaments/:id/matches/:matchId/no-show",
    expect: organizer(),
    attempt: async (h) => {
      const { id, matchId } = await running(h);
      return { params: { id, matchId }, body: { side: "a" }, state: bracket(h, id) };
    },
  },
  {
    route: "PUT /tournaments/:id/matches/:matchId/schedule",
    expect: organizer(),
    attempt: async (h) => {
      const { id, matchId } = await running(h);
      return {
        params: { id, matchId },
        bodyFor: (a) => ({ scheduledAt: new Date(Date.now() + (2 + actorIndex(a)) * 3_600_000).toISOString() }),
        state: bracket(h, id),
      };
    },
  },
  {
    route: "PUT /tournaments/:id/matches/:matchId/channel",
    note: "the owner's channel on a match of the owner's tournament",
    expect: organizer(),
    attempt: async (h) => {
      const { id, matchId } = await running(h);
      return { params: { id, matchId }, body: { channelId: h.channelId }, state: bracket(h, id) };
    },
  },
];
