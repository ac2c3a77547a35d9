import type { ScheduleItem } from "../api/schemas";
import { api } from "../api/http";
import { useAsync } from "../lib/use-async";

/** "Tue 3 Dec, 20:00–22:00" in the viewer's own zone and language. */
export function formatSlot(item: Pick<ScheduleItem, "startAt" | "endAt">): string {
  const start = new Date(item.startAt);
  const end = new Date(item.endAt);
  const day = start.toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
  const time = (d: Date) => d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  return `${day}, ${time(start)}–${time(end)}`;
}

export function icsUrl(channelId: string): string {
  return `/api/v1/channels/${encodeURIComponent(channelId)}/schedule.ics`;
}

/** The channel's next occurrences (cancelled ones struck through) and its iCalendar feed. */
export function ChannelSchedule({ channelId }: { channelId: string }) {
  const schedule = useAsync(
    (signal) => api("get /api/v1/channels/{channelId}/schedule", { path: { channelId }, query: { limit: 6 }, signal }),
    [channelId],
  );
  const items = schedule.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section class="panel section-gap" aria-labelledby="schedule-title" data-testid="channel-schedule">
      <div class="section-head">
        <h2 id="schedule-title">Schedule</h2>
        <a href={icsUrl(channelId)} rel="external" download="schedule.ics" data-testid="schedule-ics">
          Add to calendar (iCal)
        </a>
      </div>
      <ol class="list schedule-list">
        {items.map((item) => (
          <li key={item.id} class={item.cancelled ? "cancelled" : undefined}>
            <div>
              <strong>{item.title}</strong>
              {item.category && <span class="muted"> · {item.category}</span>}
              {item.recurring && <span class="status-tag">weekly</span>}
            </div>
            <span>
              {item.cancelled ? <span class="status-tag failed">cancelled</span> : null}{" "}
              <time dateTime={item.startAt}>{formatSlot(item)}</time>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
