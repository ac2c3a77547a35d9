import { useState } from "preact/hooks";
import type { Channel, SegmentView } from "../api/schemas";
import { ApiError, api, describeError } from "../api/http";
import { Field, formValues, Notice } from "../components/form";
import { formatSlot, icsUrl } from "../components/schedule";
import { useAsync } from "../lib/use-async";
import "../components/community.css";

type Note = { kind: "ok" | "error"; text: string } | null;

/** `datetime-local` value → ISO instant (the browser's zone). */
function localToIso(value: string): string {
  return new Date(value).toISOString();
}

const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/**
 * The creator's schedule editor: single and weekly segments (a weekly one
 * keeps its wall-clock time in the creator's zone), cancel or restore a whole
 * segment or one occurrence, delete. The upcoming list is what viewers see.
 */
export function ScheduleTab({ channel }: { channel: Channel }) {
  const channelId = channel.id;
  const segments = useAsync(
    (signal) => api("get /api/v1/channels/{channelId}/schedule/segments", { path: { channelId }, signal }),
    [channelId],
  );
  const upcoming = useAsync(
    (signal) => api("get /api/v1/channels/{channelId}/schedule", { path: { channelId }, query: { limit: 20 }, signal }),
    [channelId],
  );
  const [note, setNote] = useState<Note>(null);
  const reload = () => {
    segments.reload();
    upcoming.reload();
  };
  const patch = async (
    segment: SegmentView,
    body: { cancelled?: boolean; cancelOccurrences?: string[]; restoreOccurrences?: string[] },
    done: string,
  ) => {
    try {
      await api("patch /api/v1/channels/{channelId}/schedule/segments/{segmentId}", {
        path: { channelId, segmentId: segment.id },
        body,
      });
      setNote({ kind: "ok", text: done });
      reload();
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    }
  };
  const remove = async (segment: SegmentView) => {
    if (!confirm(`Delete "${segment.title}" from the schedule?`)) return;
    try {
      await api("delete /api/v1/channels/{channelId}/schedule/segments/{segmentId}", {
        path: { channelId, segmentId: segment.id },
      });
      setNote({ kind: "ok", text: `"${segment.title}" is deleted.` });
      reload();
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    }
  };
  const bySegment = new Map(segments.data?.items.map((s) => [s.id, s]));

  return (
    <>
      <NewSegment channelId={channelId} onCreated={reload} />
      {note && <Notice kind={note.kind}>{note.text}</Notice>}
      <section class="panel" aria-labelledby="segments-title">
        <div class="section-head">
          <h2 id="segments-title">Segments</h2>
          <a href={icsUrl(channelId)} rel="external" download="schedule.ics">
            iCalendar feed
          </a>
        </div>
        {segments.error && <Notice kind="error">{describeError(segments.error)}</Notice>}
        {segments.data?.items.length === 0 && <p class="muted">Nothing scheduled yet.</p>}
        <ul class="list" data-testid="segments">
          {segments.data?.items.map((s) => (
            <li key={s.id} data-testid="segment">
              <div class="segment-row">
                <strong>{s.title}</strong>
                <span class="muted">
                  {s.recurring ? "weekly from " : ""}
                  {new Date(s.startAt).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })} ·{" "}
                  {s.durationMin} min{s.category ? ` · ${s.category}` : ""}
                  {s.recurring ? ` · ${s.timezone}` : ""}
                </span>
                {s.cancelled && <span class="status-tag failed">cancelled</span>}
              </div>
              <div class="row">
                <button
                  class="btn small"
                  onClick={() =>
                    void patch(
                      s,
                      { cancelled: !s.cancelled },
                      s.cancelled ? `"${s.title}" is back on.` : `"${s.title}" is cancelled.`,
                    )
                  }
                >
                  {s.cancelled ? "Restore segment" : "Cancel segment"}
                </button>
                <button class="btn small danger" onClick={() => void remove(s)}>
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ul>
      </section>
      <section class="panel" aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">Coming up</h2>
        {upcoming.data?.items.length === 0 && <p class="muted">No upcoming streams.</p>}
        <ol class="list schedule-list" data-testid="upcoming">
          {upcoming.data?.items.map((item) => {
            const segment = bySegment.get(item.segmentId);
            // One occurrence of a weekly segment can be skipped on its own; a single one is cancelled whole.
            const single = segment?.recurring && !segment.cancelled;
            return (
              <li key={item.id} class={item.cancelled ? "cancelled" : undefined}>
                <span>
                  <strong>{item.title}</strong> <time dateTime={item.startAt}>{formatSlot(item)}</time>
                </span>
                {single && segment && (
                  <button
                    class="linklike"
                    onClick={() =>
                      void patch(
                        segment,
                        item.cancelled ? { restoreOccurrences: [item.startAt] } : { cancelOccurrences: [item.startAt] },
                        item.cancelled ? "That stream is back on." : "That stream is skipped.",
                      )
                    }
                  >
                    {item.cancelled ? "Restore this one" : "Skip this one"}
                  </button>
                )}
              </li>
            );
          })}
        </ol>
      </section>
    </>
  );
}

function NewSegment({ channelId, onCreated }: { channelId: string; onCreated(): void }) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const v = formValues(e);
    setBusy(true);
    setErrors({});
    try {
      await api("post /api/v1/channels/{channelId}/schedule/segments", {
        path: { channelId },
        body: {
          title: v.title ?? "",
          ...(v.category ? { category: v.category } : {}),
          startAt: localToIso(v.startAt ?? ""),
          durationMin: Number(v.durationMin),
          recurring: v.recurring === "on",
          timezone: browserZone(),
        },
      });
      form.reset();
      onCreated();
    } catch (err) {
      setErrors(err instanceof ApiError ? { ...err.fieldErrors(), _: describeError(err) } : { _: describeError(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="panel form" onSubmit={submit} aria-labelledby="new-segment-title">
      <h2 id="new-segment-title">Schedule a stream</h2>
      {errors._ && <Notice kind="error">{errors._}</Notice>}
      <Field id="s-title" label="Title" error={errors.title}>
        <input id="s-title" name="title" required maxLength={140} />
      </Field>
      <div class="row">
        <Field id="s-start" label="Starts" error={errors.startAt}>
          <input id="s-start" name="startAt" type="datetime-local" required />
        </Field>
        <Field id="s-duration" label="Duration (minutes)" error={errors.durationMin}>
          <input
            id="s-duration"
            name="durationMin"
            type="number"
            min={5}
            max={1440}
            step={5}
            defaultValue="120"
            required
          />
        </Field>
        <Field id="s-category" label="Category" error={errors.category}>
          <input id="s-category" name="category" maxLength={64} />
        </Field>
      </div>
      <label class="check">
        <input type="checkbox" name="recurring" id="s-recurring" /> Every week at this time ({browserZone()})
      </label>
      <div class="row end">
        <button class="btn primary" type="submit" disabled={busy}>
          Add to schedule
        </button>
      </div>
    </form>
  );
}
