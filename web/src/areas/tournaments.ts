import { registerNav } from "../nav";
import { registerRoute } from "../router";

/** Tournaments (services/content/tournaments): list, create (organizers), a tournament with its live bracket. */
registerRoute({ pattern: "/tournaments", title: "Tournaments", load: () => import("../pages/tournaments") });
registerRoute({ pattern: "/tournaments/new", title: "New tournament", load: () => import("../pages/tournament-new") });
registerRoute({ pattern: "/tournaments/:id", title: "Tournament", load: () => import("../pages/tournament") });
registerRoute({ pattern: "/channel/:id", title: "Channel", load: () => import("../pages/channel-by-id") });
registerNav({ id: "tournaments", label: "Tournaments", href: "/tournaments", order: 20, audience: "everyone" });
