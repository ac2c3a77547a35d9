import { routeTable } from "../../edge/api/route-table";
import * as R from "./streams.responses";

/** Live streams: public listing and status, owner-only health, title/category, ingest and end. */
export const STREAMS_ROUTES = routeTable({
  routes: [
    {
      method: "GET",
      path: "/streams/live",
      action: "streams.live",
      response: R.LIVE_PAGE,
      auth: "optional",
      summary: "Live streams now (filter by category, language; sort by viewers or recent)",
    },
    {
      method: "GET",
      path: "/streams/channels/:channelId",
      action: "streams.channelStatus",
      response: R.CHANNEL_LIVE_STATUS,
      auth: "optional",
      summary: "A channel's live status and signed playback URL",
    },
    {
      method: "GET",
      path: "/streams/channels/:channelId/health",
      action: "streams.health",
      response: R.STREAM_HEALTH,
      auth: "required",
      summary: "Stream health for the channel owner (bitrate, fps, keyframe interval, dropped frames)",
    },
    {
      method: "PATCH",
      path: "/streams/channels/:channelId",
      action: "streams.update",
      response: R.LIVE_SESSION,
      auth: "required",
      summary: "Change the live stream's title or category (owner)",
    },
    {
      method: "POST",
      path: "/streams/channels/:channelId/ingest",
      action: "streams.ingest",
      response: R.INGEST,
      auth: "required",
      summary: "Where the owner's encoder pushes; on AWS this provisions and starts the MediaLive input and channel",
    },
    {
      method: "POST",
      path: "/streams/channels/:channelId/end",
      action: "streams.end",
      response: R.ENDED,
      auth: "required",
      summary: "End the live session now (owner or admin)",
    },
  ],
});
