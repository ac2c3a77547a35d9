import type { RouteSpec, RouteTable } from "../../edge/api/route-table";

/**
 * /api/v1/tournaments/*, plus the two places tournaments meet other
 * resources: the match a channel is showing and the chapters of a VOD.
 * Who may do what is decided in the tournaments service (organizer or
 * admin edits, only the two sides report); the gateway only requires a token.
 */
const T = "/tournaments/:id";
const E = `${T}/entrants/:entrantId`;
const M = `${T}/matches/:matchId`;

const read = (path: string, action: string, summary: string): RouteSpec => ({
  method: "GET",
  path,
  action,
  auth: "optional",
  summary,
});
const write = (method: RouteSpec["method"], path: string, action: string, summary: string): RouteSpec => ({
  method,
  path,
  action,
  auth: "required",
  summary,
});

export const tournamentsRoutes: RouteTable = {
  routes: [
    read("/tournaments", "tournaments.list", "List tournaments by start time (status, organizer, game; cursor pages)"),
    {
      ...write("POST", "/tournaments", "tournaments.create", "Create a tournament (organizer role)"),
      roles: ["organizer"],
      status: 201,
    },
    read(T, "tournaments.get", "A tournament (drafts: organizer only)"),
    write("PATCH", T, "tournaments.update", "Edit a tournament (organizer)"),
    write("POST", `${T}/open-registration`, "tournaments.openRegistration", "Open registration (organizer)"),
    write("POST", `${T}/open-check-in`, "tournaments.openCheckIn", "Open check-in (organizer)"),
    write("POST", `${T}/start`, "tournaments.start", "Fix the field, seed it and build the bracket (organizer)"),
    write("POST", `${T}/cancel`, "tournaments.cancel", "Cancel the tournament (organizer)"),
    read(`${T}/entrants`, "tournaments.entrants", "Entrants in registration order, waitlist positions (cursor pages)"),
    {
      ...write("POST", `${T}/entrants`, "tournaments.register", "Register (solo, or as a team captain with a roster)"),
      status: 201,
    },
    write("DELETE", E, "tournaments.withdraw", "Withdraw (the player or captain; organizer)"),
    write("POST", `${E}/approve`, "tournaments.approve", "Accept a pending entrant (organizer)"),
    write("POST", `${E}/reject`, "tournaments.reject", "Refuse an entrant (organizer)"),
    write("POST", `${E}/check-in`, "tournaments.checkIn", "Check in (the player or captain)"),
    write("PUT", `${E}/rating`, "tournaments.setRating", "Set the rating rank seeding uses (organizer)"),
    write(
      "POST",
      `${E}/disqualify`,
      "tournaments.disqualify",
      "Disqualify an entrant: forfeits now and later (organizer)",
    ),
    read(`${T}/bracket`, "tournaments.bracket", "The whole bracket"),
    read(`${T}/matches`, "tournaments.matches", "Matches by round (cursor pages)"),
    read(`${T}/standings`, "tournaments.standings", "Standings (Swiss/round robin tie-breaks; elimination placings)"),
    read(`${T}/schedule`, "tournaments.schedule", "The schedule as JSON"),
    read(`${T}/schedule.ics`, "tournaments.scheduleIcs", "The schedule as an iCalendar feed (text/calendar)"),
    write("POST", `${M}/report`, "tournaments.report", "Report a score (either side of the match)"),
    write("POST", `${M}/override`, "tournaments.override", "Decide a match: disputes, corrections (organizer)"),
    write("POST", `${M}/no-show`, "tournaments.noShow", "Mark a side as absent: the other side wins (organizer)"),
    write("PUT", `${M}/schedule`, "tournaments.scheduleMatch", "Move a match (organizer)"),
    write("PUT", `${M}/channel`, "tournaments.assignChannel", "Show a match on a channel, or clear it (organizer)"),
    read("/channels/:channelId/tournament-match", "tournaments.channelMatch", "The match a live channel is showing"),
    read("/videos/:videoId/chapters", "tournaments.videoChapters", "Match chapters of a VOD (start/end offsets)"),
  ],
};
