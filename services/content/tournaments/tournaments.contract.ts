/**
 * The actions the tournaments service offers (name → params and result), for
 * the gateway and other services through `callAction`; tournaments.service.ts
 * is checked against it with `satisfies ServiceActions<"tournaments", TournamentsThis>`.
 */
import type { UserDataParams } from "../../../lib/contracts/user-data";
import type { BracketView, ListMatchesParams, MatchPage, ScheduleView, StandingView } from "./bracket-read";
import type { AssignChannelParams, ChannelMatch, ScheduleMatchParams } from "./match-admin";
import type { DisqualifyParams, MatchRefParams, NoShowParams, OverrideParams, ReportParams } from "./match-actions";
import type {
  EntrantPage,
  EntrantRefParams,
  ListEntrantsParams,
  RegisterParams,
  SetRatingParams,
} from "./registration-actions";
import type { StartParams } from "./start-tournament";
import type { CreateTournamentParams, UpdateTournamentParams } from "./tournament-input";
import type { ListTournamentsParams, TournamentPage } from "./tournament-read";
import type { ChapterView, EntrantDoc, EntrantView, MatchView, MemberDoc, TournamentView } from "./tournament.types";

type ById = { id: string };

/** tournaments' section of GET /me/export: the entries the user registered (or captains) and their roster places. */
export type TournamentsUserData = { entries: EntrantDoc[]; places: MemberDoc[] };

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** Internal: what tournaments holds of a user, for GET /me/export (the user or an admin). */
    "tournaments.exportUserData": { params: UserDataParams; result: TournamentsUserData };
    "tournaments.create": { params: CreateTournamentParams; result: TournamentView };
    "tournaments.update": { params: UpdateTournamentParams; result: TournamentView };
    "tournaments.get": { params: ById; result: TournamentView };
    "tournaments.list": { params: ListTournamentsParams; result: TournamentPage };
    "tournaments.openRegistration": { params: ById; result: TournamentView };
    "tournaments.openCheckIn": { params: ById; result: TournamentView };
    "tournaments.start": { params: StartParams; result: TournamentView };
    "tournaments.cancel": { params: ById; result: TournamentView };
    "tournaments.register": { params: RegisterParams; result: EntrantView };
    "tournaments.withdraw": { params: EntrantRefParams; result: EntrantView };
    "tournaments.approve": { params: EntrantRefParams; result: EntrantView };
    "tournaments.reject": { params: EntrantRefParams; result: EntrantView };
    "tournaments.checkIn": { params: EntrantRefParams; result: EntrantView };
    "tournaments.setRating": { params: SetRatingParams; result: EntrantView };
    "tournaments.entrants": { params: ListEntrantsParams; result: EntrantPage };
    "tournaments.bracket": { params: ById; result: BracketView };
    "tournaments.matches": { params: ListMatchesParams; result: MatchPage };
    "tournaments.standings": { params: ById; result: { items: StandingView[] } };
    "tournaments.schedule": { params: ById; result: ScheduleView };
    /** The schedule as text/calendar (RFC 5545). */
    "tournaments.scheduleIcs": { params: ById; result: string };
    "tournaments.report": { params: ReportParams; result: MatchView };
    "tournaments.override": { params: OverrideParams; result: MatchView };
    "tournaments.noShow": { params: NoShowParams; result: MatchView };
    "tournaments.disqualify": {
      params: DisqualifyParams;
      result: { entrantId: string; status: "disqualified"; matches: MatchView[] };
    };
    "tournaments.scheduleMatch": { params: ScheduleMatchParams; result: MatchView };
    "tournaments.assignChannel": { params: AssignChannelParams; result: MatchView };
    "tournaments.channelMatch": { params: { channelId: string }; result: ChannelMatch };
    "tournaments.videoChapters": { params: { videoId: string }; result: { items: ChapterView[] } };
  }
}

export type { MatchRefParams };
