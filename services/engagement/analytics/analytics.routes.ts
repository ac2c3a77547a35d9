import { typedRoute, type RouteTable } from "../../edge/api/route-table";
import type { Schema } from "../../../lib/http/response-schema";
import type { ActionName, ResultOf } from "../../../lib/contracts/actions";
import {
  ADMIN_ANALYTICS,
  CHANNEL_ANALYTICS,
  HEARTBEAT,
  STREAM_ANALYTICS,
  VIDEO_ANALYTICS,
} from "./analytics.responses";

/**
 * Dashboards (owner and admins: decided in the analytics service, which asks
 * channels who owns what), the admin overview, and the player's heartbeat.
 * `?format=csv` turns any read into a CSV download of its series (text/csv).
 */
/** A read and the body of its success: `response` has the type of the action's result. */
const read = <N extends ActionName>(path: string, action: N, summary: string, response: Schema<ResultOf<N>>) =>
  typedRoute<N>({ method: "GET", path, action, auth: "required", summary, response });

export const analyticsRoutes: RouteTable = {
  routes: [
    read(
      "/channels/:id/analytics",
      "analytics.channel",
      "A channel's analytics: series over a range and granularity, 30/90-day summaries (owner)",
      CHANNEL_ANALYTICS,
    ),
    read(
      "/streams/:id/analytics",
      "analytics.stream",
      "A live session's viewers, chat and new followers (channel owner)",
      STREAM_ANALYTICS,
    ),
    read(
      "/videos/:id/analytics",
      "analytics.video",
      "A video's views, watch time and retention curve (channel owner)",
      VIDEO_ANALYTICS,
    ),
    {
      ...read(
        "/admin/analytics",
        "analytics.admin",
        "Platform totals and series, top channels and videos (admins)",
        ADMIN_ANALYTICS,
      ),
      roles: ["admin"],
    },
    typedRoute({
      method: "POST",
      path: "/videos/:id/watch-progress",
      action: "analytics.heartbeat",
      auth: "optional",
      summary: "The player's watch-progress heartbeat (position, seconds watched), rate-limited per viewer",
      response: HEARTBEAT,
    }),
  ],
};
