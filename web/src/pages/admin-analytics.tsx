import { useEffect, useState } from "preact/hooks";
import type { AdminAnalytics } from "../api/schemas";
import { api, describeError } from "../api/http";
import { currentUser } from "../api/session";
import { Notice } from "../components/form";
import { TimeChart } from "../components/chart";
import { setTitle } from "../router";

/** Admins: platform totals and series over 7 days, top channels and videos. */
export default function AdminAnalyticsPage() {
  const user = currentUser.value;
  const [data, setData] = useState<AdminAnalytics | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setTitle("Platform analytics"), []);
  useEffect(() => {
    if (!user) return;
    const to = new Date();
    const from = new Date(to.getTime() - 7 * 86_400_000);
    api("get /api/v1/admin/analytics", {
      query: { from: from.toISOString(), to: to.toISOString(), granularity: "hour" },
    })
      .then(setData)
      .catch((err: unknown) => setError(describeError(err)));
  }, [user?.id]);
  if (error)
    return (
      <div class="page">
        <Notice kind="error">{error}</Notice>
      </div>
    );
  if (!data) return <div class="page-loading" aria-busy="true" aria-label="Loading" />;
  const c = data.series.columns;
  return (
    <div class="page" style={{ maxWidth: "1100px" }}>
      <h1>Platform analytics · last 7 days</h1>
      <dl class="summary-stats panel">
        {Object.entries(data.totals).map(([k, v]) => (
          <>
            <dt key={`${k}-t`}>{k.replace(/([A-Z])/g, " $1").toLowerCase()}</dt>
            <dd key={`${k}-d`}>{Math.round(v)}</dd>
          </>
        ))}
      </dl>
      <TimeChart
        title="Concurrent viewers and live channels"
        time={data.series.time}
        series={[
          { label: "viewers (avg)", values: c.concurrentViewers!, color: "#7c5cff" },
          { label: "viewers (peak)", values: c.peakConcurrentViewers!, color: "#ff6b9a" },
          { label: "live channels", values: c.liveChannels!, color: "#3ecf8e" },
        ]}
      />
      <TimeChart
        title="Activity"
        time={data.series.time}
        series={[
          { label: "chat messages", values: c.chatMessages!, color: "#f5a623" },
          { label: "video views", values: c.videoViews!, color: "#4aa8ff" },
          { label: "new users", values: c.newUsers!, color: "#9b59b6" },
          { label: "uploads", values: c.uploads!, color: "#e74c3c" },
        ]}
      />
      <div
        style={{
          display: "grid",
          gridTemplateColumns: "repeat(auto-fit, minmax(320px, 1fr))",
          gap: "1rem",
          marginBottom: "1rem",
        }}
      >
        <section class="panel">
          <h2>Top channels</h2>
          <ol>
            {data.topChannels.map((t) => (
              <li key={t.channelId}>
                <a href={t.slug ? `/c/${encodeURIComponent(t.slug)}` : `/channel/${t.channelId}`}>
                  {t.title ?? t.channelId}
                </a>{" "}
                <span class="muted">
                  {Math.round(t.viewerMinutes)} viewer-minutes · peak {t.peakViewers ?? "–"}
                </span>
              </li>
            ))}
          </ol>
        </section>
        <section class="panel">
          <h2>Top videos</h2>
          <ol>
            {data.topVideos.map((t) => (
              <li key={t.videoId}>
                <a href={`/v/${t.videoId}`}>{t.title || t.videoId}</a> <span class="muted">{t.views} views</span>
              </li>
            ))}
          </ol>
        </section>
      </div>
    </div>
  );
}
