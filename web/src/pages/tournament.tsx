import { useEffect, useState } from "preact/hooks";
import type { Match, Tournament } from "../api/schemas";
import { ApiError, api, describeError } from "../api/http";
import { currentUser } from "../api/session";
import { Bracket } from "../components/bracket";
import { Notice } from "../components/form";
import { useAsync } from "../lib/use-async";
import { realtime } from "../realtime/socket";
import { setTitle, type PageProps } from "../router";
import { EntrantsTab, OrganizerBar, StandingsTab, statusLabel } from "./tournament-parts";

/**
 * A tournament: bracket (kept current by the public topic `tournament:<id>`:
 * subscribe first, then fetch, then apply events with a higher version),
 * entrants with register / check-in / withdraw, standings, rules; the
 * organizer's lifecycle buttons.
 */
const TABS = ["bracket", "entrants", "standings", "rules"] as const;
type Tab = (typeof TABS)[number];

export default function TournamentPage({ params, query }: PageProps) {
  const id = params.id ?? "";
  const tab: Tab = (TABS as readonly string[]).includes(query.get("tab") ?? "") ? (query.get("tab") as Tab) : "bracket";
  const [tournament, setTournament] = useState<Tournament | null>(null);
  const [matches, setMatches] = useState<Match[]>([]);
  const [error, setError] = useState<unknown>(null);
  const me = currentUser.value;
  const entrants = useAsync(
    (signal) => api("get /api/v1/tournaments/{id}/entrants", { path: { id }, query: { limit: 100 }, signal }),
    [id, tournament?.confirmedCount, tournament?.waitlistCount, tournament?.status],
  );
  const mine = new Set(
    (entrants.data?.items ?? [])
      .filter((e) => e.userId === me?.id || (me && e.roster.includes(me.id)))
      .map((e) => e.id),
  );

  const mergeMatches = (incoming: Match[]) =>
    setMatches((current) => {
      const byId = new Map(current.map((m) => [m.id, m]));
      for (const m of incoming) if ((byId.get(m.id)?.version ?? -1) < m.version) byId.set(m.id, m);
      return [...byId.values()];
    });

  const loadBracket = async () => {
    try {
      const bracket = await api("get /api/v1/tournaments/{id}/bracket", { path: { id } });
      setTournament(bracket.tournament);
      mergeMatches(bracket.matches);
    } catch (err) {
      setError(err);
    }
  };

  useEffect(() => {
    setTournament(null);
    setMatches([]);
    // Subscribe before fetching, so no change falls between the two.
    const stop = realtime.subscribe(`tournament:${id}`, (frame) => {
      if (frame.type !== "event") return;
      if (frame.event === "tournament.updated") setTournament(frame.data as Tournament);
      else if (frame.event === "bracket.created") void loadBracket();
      else if (frame.event === "matches.updated") mergeMatches((frame.data as { matches: Match[] }).matches);
    });
    void loadBracket();
    return stop;
  }, [id]);
  useEffect(() => {
    if (tournament) setTitle(tournament.name);
  }, [tournament?.name]);

  if (error)
    return (
      <div class="empty">
        <h1>{error instanceof ApiError && error.status === 404 ? "Tournament not found" : "Could not load"}</h1>
        <p class="muted">{describeError(error)}</p>
        <a class="btn" href="/tournaments">
          All tournaments
        </a>
      </div>
    );
  if (!tournament) return <div class="page-loading" aria-busy="true" aria-label="Loading" />;
  const t = tournament;
  const champion = t.championEntrantId
    ? (entrants.data?.items.find((e) => e.id === t.championEntrantId)?.displayName ?? null)
    : null;

  return (
    <div class="page">
      <p class="crumbs">
        <a href="/tournaments">Tournaments</a> / {t.game}
      </p>
      <div class="section-head">
        <div>
          <h1>{t.name}</h1>
          <p class="watch-meta">
            <span class={`status-tag ${t.status === "running" ? "live" : ""}`} data-testid="tournament-status">
              {statusLabel(t.status)}
            </span>
            <span>{t.format.replace(/_/g, " ")}</span>
            <span>
              {t.confirmedCount}/{t.maxEntrants} entrants
              {t.waitlistCount ? ` (+${t.waitlistCount} waitlisted)` : ""}
            </span>
            <span>starts {new Date(t.startsAt).toLocaleString([], { dateStyle: "medium", timeStyle: "short" })}</span>
          </p>
        </div>
        <a class="btn ghost" href={`/api/v1/tournaments/${encodeURIComponent(t.id)}/schedule.ics`} rel="external">
          Add to calendar
        </a>
      </div>
      {champion && (
        <Notice kind="ok">
          Champion: <strong>{champion}</strong>
        </Notice>
      )}
      {me && (me.id === t.organizerId || me.roles.includes("admin")) && (
        <OrganizerBar tournament={t} onChange={(next) => setTournament(next)} />
      )}
      <nav class="tabs" aria-label="Tournament sections">
        {TABS.map((name) => (
          <a key={name} href={`?tab=${name}`} aria-current={name === tab ? "page" : undefined}>
            {name[0]?.toUpperCase() + name.slice(1)}
          </a>
        ))}
      </nav>
      {tab === "bracket" && (
        <Bracket tournament={t} matches={matches} mine={mine} onUpdated={(m) => mergeMatches([m])} />
      )}
      {tab === "entrants" && (
        <EntrantsTab
          tournament={t}
          entrants={entrants.data?.items ?? []}
          error={entrants.error}
          onChange={() => entrants.reload()}
        />
      )}
      {tab === "standings" && <StandingsTab tournamentId={t.id} version={matches.length + sumVersions(matches)} />}
      {tab === "rules" && (
        <div class="panel">
          <p class="description">{t.rules || "No rules published yet."}</p>
        </div>
      )}
    </div>
  );
}

const sumVersions = (matches: Match[]): number => matches.reduce((sum, m) => sum + m.version, 0);
