import { typedRoute, type RouteSpec, type RouteTable } from "../../edge/api/route-table";
import type { Schema } from "../../../lib/http/response-schema";
import type { ActionName, ResultOf } from "../../../lib/contracts/actions";
import { CLIP, CLIP_PAGE, CLIP_PLAYBACK, DELETED, MARKER, MARKER_PAGE } from "./clips.responses";

/** A route and the body of its success: `response` has the type of the action's result. */
const route = <N extends ActionName>(
  method: RouteSpec["method"],
  path: string,
  action: N,
  auth: RouteSpec["auth"],
  summary: string,
  response: Schema<ResultOf<N>>,
): RouteSpec => typedRoute<N>({ method, path, action, auth, summary, response });

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
        CLIP,
      ),
      status: 201,
    },
    route(
      "GET",
      "/clips",
      "clips.list",
      "optional",
      "Ready clips, newest first (per channel; cursor pages)",
      CLIP_PAGE,
    ),
    route(
      "GET",
      "/clips/:id",
      "clips.get",
      "optional",
      "A clip and its status (unfinished ones: the clipper only)",
      CLIP,
    ),
    route(
      "GET",
      "/clips/:id/playback",
      "clips.playback",
      "optional",
      "Signed MP4 URL of a ready clip; counts a view",
      CLIP_PLAYBACK,
    ),
    route(
      "DELETE",
      "/clips/:id",
      "clips.remove",
      "required",
      "Delete a clip (clipper, channel owner, moderators)",
      DELETED,
    ),
    {
      ...route(
        "POST",
        "/channels/:channelId/markers",
        "clips.createMarker",
        "required",
        "Mark the live stream now (broadcaster, moderators); a chapter of the VOD",
        MARKER,
      ),
      status: 201,
    },
    route(
      "GET",
      "/channels/:channelId/markers",
      "clips.listMarkers",
      "required",
      "Stream markers (staff)",
      MARKER_PAGE,
    ),
    route(
      "DELETE",
      "/channels/:channelId/markers/:markerId",
      "clips.removeMarker",
      "required",
      "Remove a stream marker (broadcaster, moderators)",
      DELETED,
    ),
  ],
};
