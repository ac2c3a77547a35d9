/**
 * Typed REST client for /api/v1/tournaments (and the channel/VOD reads),
 * over the shared ApiClient: `tournamentsApi(api).register(id)`. Every call
 * resolves to `{ status, body }`; specs assert refusals as much as successes.
 */
import type { ApiClient, ErrorBody, ApiResponse } from "./api-client";
import type {
  BracketView,
  MatchPage,
  ScheduleView,
  StandingView,
} from "../../services/content/tournaments/bracket-read";
import type { ChannelMatch } from "../../services/content/tournaments/match-admin";
import type { EntrantPage } from "../../services/content/tournaments/registration-actions";
import type { TournamentPage } from "../../services/content/tournaments/tournament-read";
import type {
  ChapterView,
  EntrantView,
  MatchView,
  TournamentView,
} from "../../services/content/tournaments/tournament.types";

type R<T> = Promise<ApiResponse<T | ErrorBody>>;
const enc = encodeURIComponent;
const query = (q: Record<string, string | number>): string =>
  new URLSearchParams(Object.entries(q).map(([k, v]): [string, string] => [k, String(v)])).toString();

export function tournamentsApi(api: ApiClient) {
  const t = (id: string) => `/tournaments/${enc(id)}`;
  const e = (id: string, entrantId: string) => `${t(id)}/entrants/${enc(entrantId)}`;
  const m = (id: string, matchId: string) => `${t(id)}/matches/${enc(matchId)}`;
  return {
    list: (q: Record<string, string | number> = {}): R<TournamentPage> =>
      api.request("GET", `/tournaments?${query(q)}`),
    create: (input: Record<string, unknown>): R<TournamentView> => api.request("POST", "/tournaments", input),
    get: (id: string): R<TournamentView> => api.request("GET", t(id)),
    update: (id: string, patch: Record<string, unknown>): R<TournamentView> => api.request("PATCH", t(id), patch),
    openRegistration: (id: string): R<TournamentView> => api.request("POST", `${t(id)}/open-registration`, {}),
    openCheckIn: (id: string): R<TournamentView> => api.request("POST", `${t(id)}/open-check-in`, {}),
    start: (id: string, body: { seedOrder?: string[] } = {}): R<TournamentView> =>
      api.request("POST", `${t(id)}/start`, body),
    cancel: (id: string): R<TournamentView> => api.request("POST", `${t(id)}/cancel`, {}),
    register: (id: string, body: { teamName?: string; roster?: string[] } = {}): R<EntrantView> =>
      api.request("POST", `${t(id)}/entrants`, body),
    entrants: (id: string, q: Record<string, string | number> = {}): R<EntrantPage> =>
      api.request("GET", `${t(id)}/entrants?${query(q)}`),
    withdraw: (id: string, entrantId: string): R<EntrantView> => api.request("DELETE", e(id, entrantId)),
    approve: (id: string, entrantId: string): R<EntrantView> => api.request("POST", `${e(id, entrantId)}/approve`, {}),
    reject: (id: string, entrantId: string): R<EntrantView> => api.request("POST", `${e(id, entrantId)}/reject`, {}),
    checkIn: (id: string, entrantId: string): R<EntrantView> => api.request("POST", `${e(id, entrantId)}/check-in`, {}),
    setRating: (id: string, entrantId: string, rating: number | null): R<EntrantView> =>
      api.request("PUT", `${e(id, entrantId)}/rating`, { rating }),
    disqualify: (id: string, entrantId: string): R<{ entrantId: string; status: string; matches: MatchView[] }> =>
      api.request("POST", `${e(id, entrantId)}/disqualify`, {}),
    bracket: (id: string): R<BracketView> => api.request("GET", `${t(id)}/bracket`),
    matches: (id: string, q: Record<string, string | number> = {}): R<MatchPage> =>
      api.request("GET", `${t(id)}/matches?${query(q)}`),
    standings: (id: string): R<{ items: StandingView[] }> => api.request("GET", `${t(id)}/standings`),
    schedule: (id: string): R<ScheduleView> => api.request("GET", `${t(id)}/schedule`),
    report: (id: string, matchId: string, scoreA: number, scoreB: number): R<MatchView> =>
      api.request("POST", `${m(id, matchId)}/report`, { scoreA, scoreB }),
    override: (
      id: string,
      matchId: string,
      body: { scoreA?: number; scoreB?: number; winner?: "a" | "b" | "draw" },
    ): R<MatchView> => api.request("POST", `${m(id, matchId)}/override`, body),
    noShow: (id: string, matchId: string, side: "a" | "b"): R<MatchView> =>
      api.request("POST", `${m(id, matchId)}/no-show`, { side }),
    scheduleMatch: (id: string, matchId: string, scheduledAt: string | null): R<MatchView> =>
      api.request("PUT", `${m(id, matchId)}/schedule`, { scheduledAt }),
    assignChannel: (id: string, matchId: string, channelId: string | null): R<MatchView> =>
      api.request("PUT", `${m(id, matchId)}/channel`, { channelId }),
    channelMatch: (channelId: string): R<ChannelMatch> =>
      api.request("GET", `/channels/${enc(channelId)}/tournament-match`),
    chapters: (videoId: string): R<{ items: ChapterView[] }> => api.request("GET", `/videos/${enc(videoId)}/chapters`),
    /** The iCalendar feed, as text with its headers. */
    async ics(id: string): Promise<{ status: number; text: string; contentType: string | null }> {
      // The client's fetch, so a checking fetch (test/helpers/response-check.ts) sees the feed too.
      const res = await api.fetchImpl(`${api.baseUrl}/api/v1${t(id)}/schedule.ics`, {
        headers: api.token ? { authorization: `Bearer ${api.token}` } : {},
      });
      return { status: res.status, text: await res.text(), contentType: res.headers.get("content-type") };
    },
  };
}

export type TournamentsApi = ReturnType<typeof tournamentsApi>;

/** The body of a 2xx answer, or a thrown error showing what came back. */
export function ok<T>(res: ApiResponse<T | ErrorBody>): T {
  if (res.status < 200 || res.status > 299)
    throw new Error(`expected 2xx, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as T;
}
