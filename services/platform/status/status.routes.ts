import { s } from "../../../lib/http/response-schema";
import { routeTable } from "../../edge/api/route-table";
import type { StatusResult } from "./status.contract";

export const STATUS = s.named(
  "Status",
  s.object<StatusResult>()({ version: s.string(), nodeId: s.string(), uptimeS: s.number() }),
);

export const statusRoutes = routeTable({
  routes: [
    {
      method: "GET",
      path: "/status",
      action: "status.get",
      response: STATUS,
      auth: "none",
      summary: "Version and node of the serving status service",
    },
  ],
});
