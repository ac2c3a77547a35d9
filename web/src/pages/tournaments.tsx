import type { TournamentStatus } from "../api/schemas";
import { api, describeError } from "../api/http";
import { hasRole } from "../api/session";
import { EmptyTile } from "../components/cards";
import { Notice } from "../components/form";
import { LoadMore } from "../components/load-more";
import { hueOf } from "../lib/format";
import { useCursorList } from "../lib/use-cursor-list";
import type { PageProps } from "../router";
import { statusLabel } from "./tournament-parts";

const FILTERS: Array<{ id: string; label: string; status?: TournamentStatus }> = [
  { id: "all", label: "All" },
  { id: "open", label: "Registration open", status: "registration_open" },
  { id: "live", label: "Live", status: "running" },
  { id: "done", label: "Completed", status: "completed" },
];

/** Tournaments by status, newest start first, cursor-paged. */
export default function Tournaments({ query }: PageProps) {
  const filter = FILTERS.find((f) => f.id === query.get("status")) ?? FILTERS[0];
  const list = useCursorList(
    (cursor, signal) =>
      api("get /api/v1/tournaments", {
        query: { status: filter?.status, limit: 24, ...(cursor ? { cursor } : {}) },
        signal,
      }),
    [filter?.id],
  );
  const items = list.items ?? [];

  return (
    <div class="page">
      <div class="section-head">
        <h1>Tournaments</h1>
        {hasRole("organizer") && (
          <a class="btn primary" href="/tournaments/new">
            New tournament
          </a>
        )}
      </div>
      <nav class="chips" aria-label="Filter tournaments">
        {FILTERS.map((f) => (
          <a
            key={f.id}
            class="chip"
            href={`/tournaments?status=${f.id}`}
            aria-current={f.id === filter?.id ? "page" : undefined}
          >
            {f.label}
          </a>
        ))}
      </nav>
      {list.error ? <Notice kind="error">{describeError(list.error)}</Notice> : null}
      {list.items && items.length === 0 && <EmptyTile>No tournaments here yet.</EmptyTile>}
      <div class="grid">
        {items.map((t) => (
          <article class="card" key={t.id}>
            <a class="thumb" href={`/tournaments/${encodeURIComponent(t.id)}`} aria-label={t.name}>
              <div class="art" style={{ "--hue": String(hueOf(t.game)) }} aria-hidden="true">
                <span>{t.game.slice(0, 3).toUpperCase()}</span>
              </div>
              {t.status === "running" && <span class="pill live">LIVE</span>}
              <span class="pill viewers">
                {t.confirmedCount}/{t.maxEntrants}
              </span>
            </a>
            <div class="card-body">
              <h2 class="card-title">
                <a href={`/tournaments/${encodeURIComponent(t.id)}`}>{t.name}</a>
              </h2>
              <p class="card-meta">
                {t.game} · {statusLabel(t.status)} · {new Date(t.startsAt).toLocaleDateString()}
              </p>
            </div>
          </article>
        ))}
      </div>
      {list.items && !list.error && <LoadMore list={list} label="More tournaments" />}
    </div>
  );
}
