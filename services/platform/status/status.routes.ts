import type { RouteTable } from "../../edge/api/route-table";

export const statusRoutes: RouteTable = {
  routes: [
    {
      method: "GET",
      path: "/status",
      action: "status.get",
      auth: "none",
      summary: "Version and node of the serving status service",
    },
  ],
};
