import type { RouteTable } from "./route-table";
import { statusRoutes } from "../../platform/status/status.routes";
import { identityRoutes } from "../../core/identity/identity.routes";
import { usersRoutes } from "../../core/users/users.routes";
import { channelsRoutes } from "../../core/channels/channels.routes";
import { schedulesRoutes } from "../../core/schedules/schedules.routes";
import { moderationRoutes } from "../../core/moderation/moderation.routes";
import { chatRoutes } from "../../media/chat/chat.routes";
import { STREAMS_ROUTES } from "../../media/streams/streams.routes";
import { DELIVERY_ROUTES } from "../../media/delivery/delivery.routes";
import { videosRoutes } from "../../media/videos/videos.routes";
import { clipsRoutes } from "../../media/clips/clips.routes";
import { blogRoutes } from "../../content/blog/blog.routes";
import { tournamentsRoutes } from "../../content/tournaments/tournaments.routes";
import { notificationsRoutes } from "../../engagement/notifications/notifications.routes";
import { searchRoutes } from "../../content/search/search.routes";
import { analyticsRoutes } from "../../engagement/analytics/analytics.routes";

/**
 * Every HTTP route of Arena. Each service folder exports its table from
 * `<svc>.routes.ts`; add ONE import line and ONE array entry per service.
 */
export const ROUTE_TABLES: RouteTable[] = [
  statusRoutes,
  identityRoutes,
  usersRoutes,
  channelsRoutes,
  schedulesRoutes,
  moderationRoutes,
  chatRoutes,
  videosRoutes,
  clipsRoutes,
  blogRoutes,
  STREAMS_ROUTES,
  DELIVERY_ROUTES,
  tournamentsRoutes,
  analyticsRoutes,
  notificationsRoutes,
  searchRoutes,
];
