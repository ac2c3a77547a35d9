import { useEffect, useMemo, useState } from "preact/hooks";
import type { Channel, ChannelAnalytics, ChannelSummary } from "../api/schemas";
import { api, buildUrl, describeError, getText } from "../api/http";
import { currentUser, sessionChecked } from "../api/session";
import { Notice } from "../components/form";
import { TimeChart } from "../components/chart";
import { navigate, setTitle } from "../router";

const RANGES = [
  { id: "24h", label: "24 hours", spanMs: 86_400_000, granularity: "hour" },
  { id: "7d", label: "7 days", spanMs: 7 * 86_400_000, granularity: "hour" },
  { id: "30d", label: "30 days", spanMs: 30 * 86_400_000, granularity: "day" },
  { id: "90d", label: "90 days", spanMs: 90 * 86_400_000, granularity: "day" },
] as const;

/** The creator's analytics: viewers, chat, followers and VOD over a range, with 30/90-day summaries and CSV. */
export default function AnalyticsPage() {
  const user = currentUser.value;
  const [channel, setChannel] = useState<Channel | null | undefined>(undefined);
  const [rangeId, setRangeId] = useState<(typeof RANGES)[number]["id"]>("7d");
  const [data, setData] = useState<ChannelAnalytics | null>(null);
  const [error, setError] = useState<string | null>(null);
  const range = RANGES.find((r) => r.id === rangeId)!;
  const query = useMemo(() => {
    const to = new Date();
    return {
      from: new Date(to.getTime() - range.spanMs).toISOString(),
      to: to.toISOString(),
      granularity: range.granularity,
    };
  }, [rangeId]);

  useEffect(() => setTitle("Channel analytics"), []);
  useEffect(() => {
    if (sessionChecked.value && !user)
      navigate(`/login?next=${encodeURIComponent(location.pathname)}`, { replace: true });
  }, [sessionChecked.value, user]);
  useEffect(() => {
    if (!user) return;
    api("get /api/v1/channels", { query: { ownerId: user.id, limit: 1 } })
      .then((page) => setChannel(page.items[0] ?? null))
      .catch((err: unknown) => setError(describeError(err)));
  }, [user?.id]);
  useEffect(() => {
    if (!channel) return;
    setData(null);
    api("get /api/v1/channels/{id}/analytics", { path: { id: channel.id }, query })
      .then(setData)
      .catch((err: unknown) => setError(describeError(err)));
  }, [channel?.id, query]);

  if (error)
    return (
      <div class="page">
        <Notice kind="error">{error}</Notice>
      </div>
    );
  if (channel === null)
    return (
      <div class="page narrow">
        <Notice kind="warn">Create your channel on the creator dashboard first.</Notice>
      </div>
    );
  if (!user || !channel) return <div class="page-loading" aria-busy="true" aria-label="Loading" />;
  const c = data?.series.columns;
  const csv = buildUrl(`/api/v1/channels/{id}/analytics`, { id: channel.id }, { ...query, format: "csv" });
  return (
    <div class="page" style={{ maxWidth: "1100px" }}>
      <div class="section-head">
        <h1>Analytics · {channel.title}</h1>
        <nav class="tabs" aria-label="Range">
          {RANGES.map((r) => (
            <a
              key={r.id}
              href="#"
              aria-current={r.id === rangeId ? "page" : undefined}
              onClick={(e) => (e.preventDefault(), setRangeId(r.id))}
            >
              {r.label}
            </a>
          ))}
        </nav>
      </div>
      {data && (
        <>
          <div
            style={{
              display: "grid",
              gridTemplateColumns: "repeat(auto-fit, minmax(320px, 1fr))",
              gap: "1rem",
              marginBottom: "1rem",
            }}
          >
            <Summary title="Last 30 days" s={data.summary.last30Days} followers={data.followerCount} />
            <Summary title="Last 90 days" s={data.summary.last90Days} followers={data.followerCount} />
          </div>
          <TimeChart
            title="Viewers"
            time={data.series.time}
            series={[
              { label: "average", values: c!.avgViewers!, color: "#7c5cff" },
              { label: "peak", values: c!.peakViewers!, color: "#ff6b9a" },
            ]}
          />
          <TimeChart
            title="Chat"
            time={data.series.time}
            series={[
              { label: "messages", values: c!.chatMessages!, color: "#3ecf8e" },
              { label: "unique chatters", values: c!.uniqueChatters!, color: "#f5a623" },
            ]}
          />
          <TimeChart
            title="Followers"
            time={data.series.time}
            series={[{ label: "followers", values: c!.followers!, color: "#4aa8ff" }]}
          />
          <TimeChart
            title="Videos"
            time={data.series.time}
            series={[
              { label: "views", values: c!.videoViews!, color: "#ff9f43" },
              { label: "watch minutes", values: c!.vodWatchMinutes!, color: "#9b59b6" },
            ]}
          />
          <p class="muted">
            Unique counts under the platform's minimum group size are not shown.{" "}
            <button
              class="linklike"
              data-testid="analytics-csv"
              onClick={() => void downloadCsv(csv, rangeId).catch((err: unknown) => setError(describeError(err)))}
            >
              Download CSV
            </button>
          </p>
        </>
      )}
      {!data && <div class="page-loading" aria-busy="true" aria-label="Loading" />}
    </div>
  );
}

function Summary({ title, s, followers }: { title: string; s: ChannelSummary; followers: number }) {
  return (
    <section class="panel">
      <h2>{title}</h2>
      <dl class="summary-stats">
        <dt>Hours streamed</dt>
        <dd>{s.hoursStreamed}</dd>
        <dt>Average viewers</dt>
        <dd>{s.avgViewers ?? "–"}</dd>
        <dt>Peak viewers</dt>
        <dd>{s.peakViewers ?? "–"}</dd>
        <dt>Minutes watched live</dt>
        <dd>{Math.round(s.minutesWatchedLive)}</dd>
        <dt>Chat messages</dt>
        <dd>{s.chatMessages}</dd>
        <dt>New followers (net)</dt>
        <dd>
          {s.netFollowers >= 0 ? "+" : ""}
          {s.netFollowers} · {followers} now
        </dd>
        <dt>Video views</dt>
        <dd>{s.videoViews}</dd>
        <dt>VOD watch minutes</dt>
        <dd>{Math.round(s.vodWatchMinutes)}</dd>
      </dl>
    </section>
  );
}

/** The series as a CSV file: fetched with the session (a bare link would have no token), saved through a blob URL. */
async function downloadCsv(url: string, range: string): Promise<void> {
  const blob = new Blob([await getText(url)], { type: "text/csv" });
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = `channel-analytics-${range}.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
