import type { RouteTable } from "./route-table";
import { statusRoutes } from "../platform/status/status.routes";
import { chatRoutes } from "../media/chat/chat.routes";

/**
 * Every HTTP route of Arena. Each service folder exports its table from
 * `<svc>.routes.ts`; add ONE import line and ONE array entry per service.
 */
export const ROUTE_TABLES: RouteTable[] = [statusRoutes, chatRoutes];
