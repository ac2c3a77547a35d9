import type { RouteTable } from "../../edge/api/route-table";

const S = "/channels/:channelId/schedule";

/**
 * /api/v1/channels/:channelId/schedule*: a channel's stream schedule. Only
 * the channel owner (or an admin) writes; the schedules service checks it.
 */
export const schedulesRoutes: RouteTable = {
  routes: [
    {
      method: "GET",
      path: S,
      action: "schedules.get",
      auth: "optional",
      summary: "Upcoming occurrences of a channel's schedule (cursor pages; ?from)",
    },
    {
      method: "GET",
      path: `${S}.ics`,
      action: "schedules.ics",
      auth: "none",
      summary: "A channel's schedule as an iCalendar feed",
      responseTypes: ["text/calendar"],
    },
    {
      method: "GET",
      path: `${S}/segments`,
      action: "schedules.segments",
      auth: "optional",
      summary: "The segments of a channel's schedule (single and weekly)",
    },
    {
      method: "POST",
      path: `${S}/segments`,
      action: "schedules.createSegment",
      auth: "required",
      status: 201,
      summary: "Add a segment (channel owner)",
    },
    {
      method: "PATCH",
      path: `${S}/segments/:segmentId`,
      action: "schedules.updateSegment",
      auth: "required",
      summary: "Change, cancel or restore a segment or single occurrences (channel owner)",
    },
    {
      method: "DELETE",
      path: `${S}/segments/:segmentId`,
      action: "schedules.removeSegment",
      auth: "required",
      summary: "Delete a segment (channel owner)",
    },
  ],
};
