import "../discovery.css";
import { registerRoute } from "../router";

/**
 * Search (services/content/search): the results page the header's search box
 * opens, and public profiles, where people found by search land (with their
 * role badges from GET /users/:userId/roles).
 */
registerRoute({ pattern: "/search", title: "Search", load: () => import("../pages/search") });
registerRoute({ pattern: "/u/:id", title: "Profile", load: () => import("../pages/profile") });
