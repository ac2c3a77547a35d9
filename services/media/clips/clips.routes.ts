import type { RouteSpec, RouteTable } from "../../edge/api/route-table";

const route = (
  method: RouteSpec["method"],
  path: string,
  action: string,
  auth: RouteSpec["auth"],
  summary: string,
): RouteSpec => ({ method, path, action, auth, summary });

/**
 * /api/v1/clips/* and a channel's stream markers. Who may do what is decided
 * in the clips service (channel roles come from the channels service).
 */
export const clipsRoutes: RouteTable = {
  routes: [
    {
      ...route(
        "POST",
        "/clips",
        "clips.create",
        "required",
        "Clip 5–60 s of a live channel (the last seconds) or a VOD",
      ),
      status: 201,
    },
    route("GET", "/clips", "clips.list", "optional", "Ready clips, newest first (per channel; cursor pages)"),
    route("GET", "/clips/:id", "clips.get", "optional", "A clip and its status (unfinished ones: the clipper only)"),
    route("GET", "/clips/:id/playback", "clips.playback", "optional", "Signed MP4 URL of a ready clip; counts a view"),
    route("DELETE", "/clips/:id", "clips.remove", "required", "Delete a clip (clipper, channel owner, moderators)"),
    {
      ...route(
        "POST",
        "/channels/:channelId/markers",
        "clips.createMarker",
        "required",
        "Mark the live stream now (broadcaster, moderators); a chapter of the VOD",
      ),
      status: 201,
    },
    route("GET", "/channels/:channelId/markers", "clips.listMarkers", "required", "Stream markers (staff)"),
    route(
      "DELETE",
      "/channels/:channelId/markers/:markerId",
      "clips.removeMarker",
      "required",
      "Remove a stream marker (broadcaster, moderators)",
    ),
  ],
};
