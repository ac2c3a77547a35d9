import { useState } from "preact/hooks";
import type { Match, Tournament } from "../api/schemas";
import { api, describeError } from "../api/http";

/**
 * A bracket drawn from match rows: elimination brackets as columns of rounds
 * (upper, lower, finals), group and Swiss play as rounds of pairings. The
 * signed-in player reports their own ready matches from here.
 */
const SECTIONS: Array<{ bracket: Match["bracket"]; title: string }> = [
  { bracket: "winners", title: "Upper bracket" },
  { bracket: "losers", title: "Lower bracket" },
  { bracket: "grand_final", title: "Grand final" },
  { bracket: "third_place", title: "Third place" },
  { bracket: "group", title: "Groups" },
  { bracket: "swiss", title: "Swiss rounds" },
];

export interface BracketProps {
  tournament: Tournament;
  matches: Match[];
  /** Entrant ids the viewer plays for: their ready matches get a report form. */
  mine: Set<string>;
  onUpdated(m: Match): void;
}

export function Bracket({ tournament, matches, mine, onUpdated }: BracketProps) {
  if (matches.length === 0) return <p class="muted">The bracket is drawn when the tournament starts.</p>;
  const single = tournament.format === "single_elimination";
  return (
    <div class="bracket" data-testid="bracket">
      {SECTIONS.map(({ bracket, title }) => {
        const inSection = matches.filter((m) => m.bracket === bracket);
        if (inSection.length === 0) return null;
        const rounds = [...new Set(inSection.map((m) => m.round))].sort((a, b) => a - b);
        return (
          <section key={bracket} aria-label={title}>
            {!(single && bracket === "winners") && <h3>{title}</h3>}
            <div class="rounds">
              {rounds.map((round) => (
                <div class="round" key={round}>
                  <h4>{roundName(bracket, round, rounds.length, single)}</h4>
                  <div class="round-matches">
                    {inSection
                      .filter((m) => m.round === round)
                      .sort((a, b) => (a.group ?? 0) - (b.group ?? 0) || a.position - b.position)
                      .map((m) => (
                        <MatchCard key={m.id} match={m} mine={mine} onUpdated={onUpdated} />
                      ))}
                  </div>
                </div>
              ))}
            </div>
          </section>
        );
      })}
    </div>
  );
}

function roundName(bracket: Match["bracket"], round: number, total: number, single: boolean): string {
  if (bracket === "grand_final") return round === 1 ? "Final" : "Reset";
  if (bracket === "third_place") return "Match for third";
  if (single && bracket === "winners") {
    if (round === total) return "Final";
    if (round === total - 1) return "Semi-finals";
    if (round === total - 2) return "Quarter-finals";
  }
  return `Round ${round}`;
}

function MatchCard({ match: m, mine, onUpdated }: { match: Match; mine: Set<string>; onUpdated(m: Match): void }) {
  const [reporting, setReporting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const myMatch = m.sides.some((s) => s.entrantId !== null && mine.has(s.entrantId));
  const canReport = myMatch && m.status === "ready" && m.reporting !== "closed";

  const report = async (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    try {
      const updated = await api("post /api/v1/tournaments/{id}/matches/{matchId}/report", {
        path: { id: m.tournamentId, matchId: m.id },
        body: { scoreA: Number(data.get("scoreA")), scoreB: Number(data.get("scoreB")) },
      });
      onUpdated(updated);
      setReporting(false);
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <div class={`match ${m.status}${myMatch ? " mine" : ""}`} data-testid="match" data-key={m.key}>
      {m.sides.map((side, i) => {
        const won = m.winnerEntrantId !== null && side.entrantId === m.winnerEntrantId;
        return (
          <div key={i} class={`side${won ? " won" : ""}${m.winnerEntrantId && !won ? " lost" : ""}`}>
            <span class="side-name">{side.bye ? "bye" : (side.name ?? "TBD")}</span>
            <span class="side-score">{side.score ?? (m.status === "completed" && won ? "W" : "")}</span>
          </div>
        );
      })}
      <div class="match-meta">
        {m.live && m.channelId && (
          <a class="live-badge" href={`/channel/${encodeURIComponent(m.channelId)}`}>
            LIVE
          </a>
        )}
        {m.videoId && <a href={`/v/${encodeURIComponent(m.videoId)}`}>VOD</a>}
        {m.reporting === "disputed" && <span class="status-tag failed">disputed</span>}
        {m.reporting === "awaiting_confirmation" && <span class="status-tag processing">awaiting confirmation</span>}
        {m.scheduledAt && (m.status === "ready" || m.status === "pending") && (
          <time dateTime={m.scheduledAt}>
            {new Date(m.scheduledAt).toLocaleString([], { dateStyle: "short", timeStyle: "short" })}
          </time>
        )}
        {canReport && !reporting && (
          <button class="linklike" onClick={() => setReporting(true)}>
            Report result
          </button>
        )}
      </div>
      {reporting && (
        <form class="report-form" onSubmit={report}>
          <label>
            <span class="sr-only">{m.sides[0].name ?? "Side A"} score</span>
            <input name="scoreA" type="number" min="0" max="999" required />
          </label>
          <span aria-hidden="true">–</span>
          <label>
            <span class="sr-only">{m.sides[1].name ?? "Side B"} score</span>
            <input name="scoreB" type="number" min="0" max="999" required />
          </label>
          <button class="btn small primary" type="submit">
            Send
          </button>
        </form>
      )}
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
