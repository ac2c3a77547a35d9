import { registerNav } from "../nav";
import { registerRoute } from "../router";

/** Analytics (services/engagement/analytics): the creator's charts and the admin overview. uPlot loads with these pages only. */
registerRoute({ pattern: "/analytics", title: "Channel analytics", load: () => import("../pages/analytics") });
registerRoute({
  pattern: "/admin/analytics",
  title: "Platform analytics",
  load: () => import("../pages/admin-analytics"),
});
registerNav({ id: "analytics", label: "Analytics", href: "/analytics", order: 55, audience: "signed-in" });
registerNav({
  id: "admin-analytics",
  label: "Platform",
  href: "/admin/analytics",
  order: 90,
  audience: "signed-in",
  roles: ["admin"],
});
