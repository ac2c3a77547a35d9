import { registerNav } from "../nav";
import { registerRoute } from "../router";

/**
 * Account links and community pages: the pages the identity mails link to
 * (verify-email, reset-password) and forgot-password; clips; the reports
 * review queue. The schedule (channel page, dashboard tab), clip and marker
 * buttons and report actions live inside the pages they belong to.
 */
const links = () => import("../pages/account-links");
registerRoute({
  pattern: "/verify-email",
  title: "Confirm your email",
  load: () => links().then((m) => ({ default: m.VerifyEmail })),
});
registerRoute({
  pattern: "/forgot-password",
  title: "Forgot your password",
  load: () => links().then((m) => ({ default: m.ForgotPassword })),
});
registerRoute({
  pattern: "/reset-password",
  title: "Choose a new password",
  load: () => links().then((m) => ({ default: m.ResetPassword })),
});
registerRoute({ pattern: "/clip/:id", title: "Clip", load: () => import("../pages/clip") });
registerRoute({ pattern: "/moderation", title: "Reports", load: () => import("../pages/moderation") });
registerNav({
  id: "moderation",
  label: "Reports",
  href: "/moderation",
  order: 85,
  audience: "signed-in",
  roles: ["admin"],
});
