import { registerNav } from "../nav";
import { registerRoute } from "../router";

/** The blog (services/content/blog): site and channel blogs, posts with comments, a markdown editor. */
registerRoute({ pattern: "/blog", title: "Blog", load: () => import("../pages/blog") });
registerRoute({ pattern: "/blog/write", title: "Write", load: () => import("../pages/blog-write") });
registerRoute({ pattern: "/blog/:blog", title: "Blog", load: () => import("../pages/blog") });
registerRoute({ pattern: "/blog/:blog/:slug", title: "Post", load: () => import("../pages/post") });
registerNav({ id: "blog", label: "Blog", href: "/blog", order: 30, audience: "everyone" });
