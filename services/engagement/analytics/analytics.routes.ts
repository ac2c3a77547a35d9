import type { RouteSpec, RouteTable } from "../../edge/api/route-table";

/**
 * Dashboards (owner and admins: decided in the analytics service, which asks
 * channels who owns what), the admin overview, and the player's heartbeat.
 * `?format=csv` turns any read into a CSV download of its series (text/csv).
 */
const read = (path: string, action: string, summary: string): RouteSpec => ({
  method: "GET",
  path,
  action,
  auth: "required",
  summary,
});

export const analyticsRoutes: RouteTable = {
  routes: [
    read(
      "/channels/:id/analytics",
      "analytics.channel",
      "A channel's analytics: series over a range and granularity, 30/90-day summaries (owner)",
    ),
    read(
      "/streams/:id/analytics",
      "analytics.stream",
      "A live session's viewers, chat and new followers (channel owner)",
    ),
    read("/videos/:id/analytics", "analytics.video", "A video's views, watch time and retention curve (channel owner)"),
    {
      ...read("/admin/analytics", "analytics.admin", "Platform totals and series, top channels and videos (admins)"),
      roles: ["admin"],
    },
    {
      method: "POST",
      path: "/videos/:id/watch-progress",
      action: "analytics.heartbeat",
      auth: "optional",
      summary: "The player's watch-progress heartbeat (position, seconds watched), rate-limited per viewer",
    },
  ],
};
