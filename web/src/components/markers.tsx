import { useState } from "preact/hooks";
import { api, describeError } from "../api/http";
import { formatDuration } from "../lib/format";
import { useAsync } from "../lib/use-async";
import { Notice } from "./form";

/**
 * Stream markers for the broadcaster and the channel's moderators: "mark
 * now" with an optional description; each marker becomes a chapter of the
 * recording. The list shows this channel's recent markers.
 */
export function StreamMarkers({ channelId, live }: { channelId: string; live: boolean }) {
  const markers = useAsync(
    (signal) => api("get /api/v1/channels/{channelId}/markers", { path: { channelId }, query: { limit: 10 }, signal }),
    [channelId],
  );
  const [note, setNote] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const add = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const description = String(new FormData(form).get("description") ?? "").trim();
    setBusy(true);
    try {
      const m = await api("post /api/v1/channels/{channelId}/markers", {
        path: { channelId },
        body: description ? { description } : {},
      });
      setNote({ kind: "ok", text: `Marker at ${formatDuration(m.offsetS)}.` });
      form.reset();
      markers.reload();
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    } finally {
      setBusy(false);
    }
  };
  const remove = async (markerId: string) => {
    try {
      await api("delete /api/v1/channels/{channelId}/markers/{markerId}", { path: { channelId, markerId } });
      markers.reload();
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    }
  };
  const items = markers.data?.items ?? [];
  if (!live && items.length === 0) return null;
  return (
    <section class="panel section-gap" aria-labelledby="markers-title" data-testid="stream-markers">
      <h2 id="markers-title">Stream markers</h2>
      {note && <Notice kind={note.kind}>{note.text}</Notice>}
      {live && (
        <form class="row" onSubmit={add}>
          <label class="sr-only" for="marker-description">
            Marker description
          </label>
          <input
            id="marker-description"
            name="description"
            maxLength={140}
            placeholder="What just happened? (optional)"
          />
          <button class="btn" type="submit" disabled={busy}>
            Add marker
          </button>
        </form>
      )}
      {items.length > 0 && (
        <ol class="list">
          {items.map((m) => (
            <li key={m.id} data-testid="marker">
              <span>
                <span class="mono">{formatDuration(m.offsetS)}</span>{" "}
                {m.description || <em class="muted">no description</em>}
              </span>
              <button
                class="linklike"
                onClick={() => void remove(m.id)}
                aria-label={`Remove marker at ${formatDuration(m.offsetS)}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
