import "./areas/blog";
import "./areas/tournaments";
import "./areas/analytics";
import "./areas/notifications";
import "./areas/search";
import "./areas/community";
import { registerNav } from "./nav";
import * as home from "./pages/home";
import { registerRoute } from "./router";

/**
 * Every page and header link. A new area (notifications, tournaments, blog,
 * analytics, search) adds its own module with `registerRoute`/`registerNav`
 * calls and one import line here, once its service exists.
 */
// The home page ships in the entry chunk: it is where most visits start.
registerRoute({ pattern: "/", title: "", load: () => Promise.resolve(home) });
registerRoute({ pattern: "/category/:name", title: "Category", load: () => import("./pages/category") });
registerRoute({ pattern: "/c/:slug", title: "Channel", load: () => import("./pages/channel") });
registerRoute({ pattern: "/v/:id", title: "Video", load: () => import("./pages/video") });
registerRoute({ pattern: "/login", title: "Log in", load: () => import("./pages/login") });
registerRoute({ pattern: "/register", title: "Create an account", load: () => import("./pages/register") });
registerRoute({ pattern: "/account", title: "Account", load: () => import("./pages/account") });
registerRoute({ pattern: "/account/:tab", title: "Account", load: () => import("./pages/account") });
registerRoute({ pattern: "/dashboard", title: "Creator dashboard", load: () => import("./pages/dashboard") });
registerRoute({ pattern: "/dashboard/:tab", title: "Creator dashboard", load: () => import("./pages/dashboard") });

registerNav({ id: "browse", label: "Browse", href: "/", order: 10, audience: "everyone" });
registerNav({ id: "dashboard", label: "Creator dashboard", href: "/dashboard", order: 50, audience: "signed-in" });
