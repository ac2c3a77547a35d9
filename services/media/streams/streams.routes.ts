import type { RouteTable } from "../../edge/api/route-table";

/** Live streams: public listing and status, owner-only health, title/category, ingest and end. */
export const STREAMS_ROUTES: RouteTable = {
  routes: [
    {
      method: "GET",
      path: "/streams/live",
      action: "streams.live",
      auth: "optional",
      summary: "Live streams now (filter by category, language; sort by viewers or recent)",
    },
    {
      method: "GET",
      path: "/streams/channels/:channelId",
      action: "streams.channelStatus",
      auth: "optional",
      summary: "A channel's live status and signed playback URL",
    },
    {
      method: "GET",
      path: "/streams/channels/:channelId/health",
      action: "streams.health",
      auth: "required",
      summary: "Stream health for the channel owner (bitrate, fps, keyframe interval, dropped frames)",
    },
    {
      method: "PATCH",
      path: "/streams/channels/:channelId",
      action: "streams.update",
      auth: "required",
      summary: "Change the live stream's title or category (owner)",
    },
    {
      method: "POST",
      path: "/streams/channels/:channelId/ingest",
      action: "streams.ingest",
      auth: "required",
      summary: "Where the owner's encoder pushes; on AWS this provisions and starts the MediaLive input and channel",
    },
    {
      method: "POST",
      path: "/streams/channels/:channelId/end",
      action: "streams.end",
      auth: "required",
      summary: "End the live session now (owner or admin)",
    },
  ],
};
