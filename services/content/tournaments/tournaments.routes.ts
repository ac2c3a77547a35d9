import { typedRoute, type RouteSpec, type RouteTable } from "../../edge/api/route-table";
import type { Schema } from "../../../lib/http/response-schema";
import type { ActionName, ResultOf } from "../../../lib/contracts/actions";
import * as R from "./tournaments.responses";

/**
 * /api/v1/tournaments/*, plus the two places tournaments meet other
 * resources: the match a channel is showing and the chapters of a VOD.
 * Who may do what is decided in the tournaments service (organizer or
 * admin edits, only the two sides report); the gateway only requires a token.
 */
const T = "/tournaments/:id";
const E = `${T}/entrants/:entrantId`;
const M = `${T}/matches/:matchId`;

/** Routes declare the body of their success: `response` has the type of the action's result. */
const read = <N extends ActionName>(path: string, action: N, summary: string, response: Schema<ResultOf<N>>) =>
  typedRoute<N>({ method: "GET", path, action, auth: "optional", summary, response });
const write = <N extends ActionName>(
  method: RouteSpec["method"],
  path: string,
  action: N,
  summary: string,
  response: Schema<ResultOf<N>>,
) => typedRoute<N>({ method, path, action, auth: "required", summary, response });

export const tournamentsRoutes: RouteTable = {
  routes: [
    read(
      "/tournaments",
      "tournaments.list",
      "List tournaments by start time (status, organizer, game; cursor pages)",
      R.TOURNAMENT_PAGE,
    ),
    {
      ...write("POST", "/tournaments", "tournaments.create", "Create a tournament (organizer role)", R.TOURNAMENT),
      roles: ["organizer"],
      status: 201,
    },
    read(T, "tournaments.get", "A tournament (drafts: organizer only)", R.TOURNAMENT),
    write("PATCH", T, "tournaments.update", "Edit a tournament (organizer)", R.TOURNAMENT),
    write(
      "POST",
      `${T}/open-registration`,
      "tournaments.openRegistration",
      "Open registration (organizer)",
      R.TOURNAMENT,
    ),
    write("POST", `${T}/open-check-in`, "tournaments.openCheckIn", "Open check-in (organizer)", R.TOURNAMENT),
    write(
      "POST",
      `${T}/start`,
      "tournaments.start",
      "Fix the field, seed it and build the bracket (organizer)",
      R.TOURNAMENT,
    ),
    write("POST", `${T}/cancel`, "tournaments.cancel", "Cancel the tournament (organizer)", R.TOURNAMENT),
    read(
      `${T}/entrants`,
      "tournaments.entrants",
      "Entrants in registration order, waitlist positions (cursor pages)",
      R.ENTRANT_PAGE,
    ),
    {
      ...write(
        "POST",
        `${T}/entrants`,
        "tournaments.register",
        "Register (solo, or as a team captain with a roster)",
        R.ENTRANT,
      ),
      status: 201,
    },
    write("DELETE", E, "tournaments.withdraw", "Withdraw (the player or captain; organizer)", R.ENTRANT),
    write("POST", `${E}/approve`, "tournaments.approve", "Accept a pending entrant (organizer)", R.ENTRANT),
    write("POST", `${E}/reject`, "tournaments.reject", "Refuse an entrant (organizer)", R.ENTRANT),
    write("POST", `${E}/check-in`, "tournaments.checkIn", "Check in (the player or captain)", R.ENTRANT),
    write("PUT", `${E}/rating`, "tournaments.setRating", "Set the rating rank seeding uses (organizer)", R.ENTRANT),
    write(
      "POST",
      `${E}/disqualify`,
      "tournaments.disqualify",
      "Disqualify an entrant: forfeits now and later (organizer)",
      R.DISQUALIFIED,
    ),
    read(`${T}/bracket`, "tournaments.bracket", "The whole bracket", R.BRACKET),
    read(`${T}/matches`, "tournaments.matches", "Matches by round (cursor pages)", R.MATCH_PAGE),
    read(
      `${T}/standings`,
      "tournaments.standings",
      "Standings (Swiss/round robin tie-breaks; elimination placings)",
      R.STANDINGS,
    ),
    read(`${T}/schedule`, "tournaments.schedule", "The schedule as JSON", R.SCHEDULE),
    typedRoute({
      method: "GET",
      path: `${T}/schedule.ics`,
      action: "tournaments.scheduleIcs",
      auth: "optional",
      summary: "The schedule as an iCalendar feed (text/calendar)",
      responseTypes: ["text/calendar"],
    }),
    write("POST", `${M}/report`, "tournaments.report", "Report a score (either side of the match)", R.MATCH),
    write(
      "POST",
      `${M}/override`,
      "tournaments.override",
      "Decide a match: disputes, corrections (organizer)",
      R.MATCH,
    ),
    write(
      "POST",
      `${M}/no-show`,
      "tournaments.noShow",
      "Mark a side as absent: the other side wins (organizer)",
      R.MATCH,
    ),
    write("PUT", `${M}/schedule`, "tournaments.scheduleMatch", "Move a match (organizer)", R.MATCH),
    write(
      "PUT",
      `${M}/channel`,
      "tournaments.assignChannel",
      "Show a match on a channel, or clear it (organizer)",
      R.MATCH,
    ),
    read(
      "/channels/:channelId/tournament-match",
      "tournaments.channelMatch",
      "The match a live channel is showing",
      R.CHANNEL_MATCH,
    ),
    read(
      "/videos/:videoId/chapters",
      "tournaments.videoChapters",
      "Match chapters of a VOD (start/end offsets)",
      R.CHAPTERS,
    ),
  ],
};
