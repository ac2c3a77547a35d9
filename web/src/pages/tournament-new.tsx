import { useState } from "preact/hooks";
import type { TournamentFormat } from "../api/schemas";
import { ApiError, api, describeError } from "../api/http";
import { hasRole } from "../api/session";
import { Field, formValues, Notice } from "../components/form";
import { navigate } from "../router";

/** Organizers create a tournament (a draft: registration opens from its page). */
export default function NewTournament() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  if (!hasRole("organizer"))
    return (
      <div class="empty">
        <h1>Organizers only</h1>
        <p class="muted">Creating tournaments needs the organizer role; an admin can grant it.</p>
      </div>
    );
  const submit = async (e: Event) => {
    e.preventDefault();
    const v = formValues(e);
    setErrors({});
    try {
      const t = await api("post /api/v1/tournaments", {
        body: {
          name: v.name ?? "",
          game: v.game ?? "",
          format: (v.format ?? "single_elimination") as TournamentFormat,
          maxEntrants: Number(v.maxEntrants),
          startsAt: new Date(v.startsAt ?? "").toISOString(),
          rules: v.rules ?? "",
        },
      });
      navigate(`/tournaments/${encodeURIComponent(t.id)}`);
    } catch (err) {
      setErrors(err instanceof ApiError ? { ...err.fieldErrors(), _: describeError(err) } : { _: describeError(err) });
    }
  };
  return (
    <div class="page narrow">
      <form class="panel form" onSubmit={submit}>
        <h1>New tournament</h1>
        {errors._ && <Notice kind="error">{errors._}</Notice>}
        <Field id="t-name" label="Name" error={errors.name}>
          <input id="t-name" name="name" required maxLength={120} />
        </Field>
        <Field id="t-game" label="Game" error={errors.game}>
          <input id="t-game" name="game" required maxLength={80} />
        </Field>
        <Field id="t-format" label="Format" error={errors.format}>
          <select id="t-format" name="format">
            <option value="single_elimination">Single elimination</option>
            <option value="double_elimination">Double elimination</option>
            <option value="round_robin">Round robin</option>
            <option value="swiss">Swiss</option>
          </select>
        </Field>
        <Field id="t-max" label="Maximum entrants" error={errors.maxEntrants}>
          <input id="t-max" name="maxEntrants" type="number" min="2" max="4096" defaultValue="16" required />
        </Field>
        <Field id="t-start" label="Starts at" error={errors.startsAt}>
          <input id="t-start" name="startsAt" type="datetime-local" required />
        </Field>
        <Field id="t-rules" label="Rules" error={errors.rules}>
          <textarea id="t-rules" name="rules" maxLength={20000} />
        </Field>
        <div class="row end">
          <button class="btn primary" type="submit">
            Create draft
          </button>
        </div>
      </form>
    </div>
  );
}
