import { useState } from "preact/hooks";
import type { Entrant, Tournament, TournamentStatus } from "../api/schemas";
import { api, describeError } from "../api/http";
import { currentUser } from "../api/session";
import { Notice } from "../components/form";
import { useAsync } from "../lib/use-async";
import { navigate } from "../router";

/** The tournament page's tabs and the organizer's controls. */
export function statusLabel(status: TournamentStatus): string {
  return {
    draft: "draft",
    registration_open: "registration open",
    check_in: "check-in",
    running: "live",
    completed: "completed",
    cancelled: "cancelled",
  }[status];
}

export function OrganizerBar({ tournament: t, onChange }: { tournament: Tournament; onChange(t: Tournament): void }) {
  const [error, setError] = useState<string | null>(null);
  const run = async (what: () => Promise<Tournament>) => {
    setError(null);
    try {
      onChange(await what());
    } catch (err) {
      setError(describeError(err));
    }
  };
  const path = { id: t.id };
  return (
    <div class="panel row" role="group" aria-label="Organizer controls">
      <strong>Organizer</strong>
      {t.status === "draft" && (
        <button
          class="btn primary"
          onClick={() => void run(() => api("post /api/v1/tournaments/{id}/open-registration", { path }))}
        >
          Open registration
        </button>
      )}
      {t.status === "registration_open" && t.checkInOpensAt && (
        <button
          class="btn"
          onClick={() => void run(() => api("post /api/v1/tournaments/{id}/open-check-in", { path }))}
        >
          Open check-in
        </button>
      )}
      {(t.status === "check_in" || (t.status === "registration_open" && !t.checkInOpensAt)) && (
        <button
          class="btn primary"
          onClick={() => void run(() => api("post /api/v1/tournaments/{id}/start", { path, body: {} }))}
        >
          Start
        </button>
      )}
      {!["completed", "cancelled"].includes(t.status) && (
        <button
          class="btn danger"
          onClick={() =>
            confirm("Cancel this tournament?") && void run(() => api("post /api/v1/tournaments/{id}/cancel", { path }))
          }
        >
          Cancel tournament
        </button>
      )}
      {error && (
        <span class="error-text" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

interface EntrantsProps {
  tournament: Tournament;
  entrants: Entrant[];
  error: unknown;
  onChange(): void;
}

export function EntrantsTab({ tournament: t, entrants, error, onChange }: EntrantsProps) {
  const me = currentUser.value;
  const [note, setNote] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const mine = entrants.find((e) => e.userId === me?.id && ["pending", "confirmed", "waitlisted"].includes(e.status));
  const organizer = me && (me.id === t.organizerId || me.roles.includes("admin"));
  const run = async (what: () => Promise<unknown>, done: string) => {
    setNote(null);
    try {
      await what();
      setNote({ kind: "ok", text: done });
      onChange();
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    }
  };
  const register = (e: Event) => {
    e.preventDefault();
    const teamName = String(new FormData(e.currentTarget as HTMLFormElement).get("teamName") ?? "").trim();
    void run(
      () =>
        api("post /api/v1/tournaments/{id}/entrants", {
          path: { id: t.id },
          body: t.mode === "team" ? { teamName } : {},
        }),
      "You're registered.",
    );
  };

  return (
    <div class="panel">
      {note && <Notice kind={note.kind}>{note.text}</Notice>}
      {error ? <Notice kind="error">{describeError(error)}</Notice> : null}
      {!me && ["registration_open", "check_in"].includes(t.status) && (
        <p>
          <a href={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in</a> to register.
        </p>
      )}
      {me && !mine && t.status === "registration_open" && (
        <form class="row" onSubmit={register}>
          {t.mode === "team" && (
            <label class="field">
              Team name
              <input name="teamName" required maxLength={60} />
            </label>
          )}
          <button class="btn primary" type="submit">
            Register{t.confirmedCount >= t.maxEntrants ? " (waitlist)" : ""}
          </button>
        </form>
      )}
      {mine && (
        <div class="row">
          <span>
            You are <strong>{mine.status}</strong>
            {mine.waitlistPosition ? ` (#${mine.waitlistPosition} on the waitlist)` : ""}
            {mine.checkedIn ? ", checked in" : ""}.
          </span>
          {t.status === "check_in" && !mine.checkedIn && (
            <button
              class="btn primary"
              onClick={() =>
                void run(
                  () =>
                    api("post /api/v1/tournaments/{id}/entrants/{entrantId}/check-in", {
                      path: { id: t.id, entrantId: mine.id },
                    }),
                  "Checked in.",
                )
              }
            >
              Check in
            </button>
          )}
          {["registration_open", "check_in"].includes(t.status) && (
            <button
              class="btn"
              onClick={() =>
                void run(
                  () =>
                    api("delete /api/v1/tournaments/{id}/entrants/{entrantId}", {
                      path: { id: t.id, entrantId: mine.id },
                    }),
                  "You withdrew.",
                )
              }
            >
              Withdraw
            </button>
          )}
        </div>
      )}
      <table class="table" data-testid="entrants">
        <thead>
          <tr>
            <th scope="col">Seed</th>
            <th scope="col">Entrant</th>
            <th scope="col">Status</th>
            <th scope="col">Checked in</th>
            {organizer && <th scope="col">Organizer</th>}
          </tr>
        </thead>
        <tbody>
          {entrants.map((e) => (
            <tr key={e.id}>
              <td>{e.seed ?? "—"}</td>
              <td>{e.teamName ?? e.displayName}</td>
              <td>
                {e.status}
                {e.waitlistPosition ? ` #${e.waitlistPosition}` : ""}
              </td>
              <td>{e.checkedIn ? "yes" : "no"}</td>
              {organizer && (
                <td>
                  {e.status === "pending" && (
                    <button
                      class="btn small"
                      onClick={() =>
                        void run(
                          () =>
                            api("post /api/v1/tournaments/{id}/entrants/{entrantId}/approve", {
                              path: { id: t.id, entrantId: e.id },
                            }),
                          "Approved.",
                        )
                      }
                    >
                      Approve
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {entrants.length === 0 && <p class="muted">Nobody has registered yet.</p>}
    </div>
  );
}

export function StandingsTab({ tournamentId, version }: { tournamentId: string; version: number }) {
  const standings = useAsync(
    (signal) => api("get /api/v1/tournaments/{id}/standings", { path: { id: tournamentId }, signal }),
    [tournamentId, version],
  );
  if (standings.error) return <Notice kind="error">{describeError(standings.error)}</Notice>;
  const rows = standings.data?.items ?? [];
  if (rows.length === 0) return <p class="muted">Standings appear once matches are played.</p>;
  const points = rows.some((r) => r.points !== null);
  return (
    <div class="panel">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Entrant</th>
            <th scope="col">W</th>
            <th scope="col">L</th>
            <th scope="col">D</th>
            {points && <th scope="col">Points</th>}
            {points && <th scope="col">Buchholz</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.entrantId}>
              <td>{r.rank}</td>
              <td>{r.name}</td>
              <td>{r.wins}</td>
              <td>{r.losses}</td>
              <td>{r.draws}</td>
              {points && <td>{r.points ?? "—"}</td>}
              {points && <td>{r.buchholz ?? "—"}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `/channel/:id`: links that only know a channel id (bracket matches on stream) land on its page. */
export function ChannelById({ id }: { id: string }) {
  useAsync(
    async (signal) => {
      const channel = await api("get /api/v1/channels/{id}", { path: { id }, signal });
      navigate(`/c/${encodeURIComponent(channel.slug)}`, { replace: true });
    },
    [id],
  );
  return <div class="page-loading" aria-busy="true" aria-label="Loading" />;
}
