import type { RouteTable } from "../../edge/api/route-table";
import { MEDIA_CONTENT_TYPES } from "./media-files";

/** Signed media: no bearer token, the URL's grant is the auth (checked by delivery.serve). */
export const DELIVERY_ROUTES: RouteTable = {
  basePath: "/media",
  routes: [
    {
      method: "GET",
      path: "/:path*",
      action: "delivery.serve",
      auth: "none",
      rateLimitBucket: "media",
      byteRanges: true,
      summary: "Signed, expiring media file (HLS playlist/segment, MP4, thumbnail)",
      responseTypes: [...new Set(Object.values(MEDIA_CONTENT_TYPES))],
    },
  ],
};
