import { routeTable } from "../../edge/api/route-table";
import { SCHEDULE_PAGE, SEGMENT, SEGMENT_DELETED, SEGMENTS } from "./schedules.responses";

const S = "/channels/:channelId/schedule";

/**
 * /api/v1/channels/:channelId/schedule*: a channel's stream schedule. Only
 * the channel owner (or an admin) writes; the schedules service checks it.
 */
export const schedulesRoutes = routeTable({
  routes: [
    {
      method: "GET",
      path: S,
      action: "schedules.get",
      response: SCHEDULE_PAGE,
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
      response: SEGMENTS,
      auth: "optional",
      summary: "The segments of a channel's schedule (single and weekly)",
    },
    {
      method: "POST",
      path: `${S}/segments`,
      action: "schedules.createSegment",
      response: SEGMENT,
      auth: "required",
      status: 201,
      summary: "Add a segment (channel owner)",
    },
    {
      method: "PATCH",
      path: `${S}/segments/:segmentId`,
      action: "schedules.updateSegment",
      response: SEGMENT,
      auth: "required",
      summary: "Change, cancel or restore a segment or single occurrences (channel owner)",
    },
    {
      method: "DELETE",
      path: `${S}/segments/:segmentId`,
      action: "schedules.removeSegment",
      response: SEGMENT_DELETED,
      auth: "required",
      summary: "Delete a segment (channel owner)",
    },
  ],
});
