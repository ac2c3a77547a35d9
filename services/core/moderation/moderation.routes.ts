import { routeTable } from "../../edge/api/route-table";
import { AUDIT_PAGE, RECEIPT, REPORT, REPORT_PAGE, REPORT_REASON, SUSPENSION } from "./moderation.responses";

/** /api/v1/reports (anyone logged in files) and /api/v1/moderation/* (the review queue and audit log). */
export const moderationRoutes = routeTable({
  // The report form lists these reasons (web/src/api/schemas.ts REPORT_REASONS, generated from the document).
  schemas: [REPORT_REASON],
  routes: [
    {
      method: "POST",
      path: "/reports",
      action: "moderation.report",
      response: RECEIPT,
      auth: "required",
      summary: "Report a channel, live stream, video, comment, chat message or user",
    },
    {
      method: "GET",
      path: "/moderation/reports",
      action: "moderation.reports",
      response: REPORT_PAGE,
      auth: "required",
      summary: "Review queue (admins: all; channel moderators: their channel's chat and comments)",
    },
    {
      method: "GET",
      path: "/moderation/reports/:id",
      action: "moderation.getReport",
      response: REPORT,
      auth: "required",
      summary: "A report with its reasons",
    },
    {
      method: "POST",
      path: "/moderation/reports/:id/actions",
      action: "moderation.act",
      response: REPORT,
      auth: "required",
      summary:
        "Dismiss, delete content, timeout/ban in the channel, suspend the channel or the account (recorded with why)",
    },
    {
      method: "GET",
      path: "/moderation/users/:userId/suspension",
      action: "moderation.accountSuspension",
      response: SUSPENSION,
      auth: "required",
      roles: ["admin"],
      summary: "Whether an account is suspended, and why (admin)",
    },
    {
      method: "PUT",
      path: "/moderation/users/:userId/suspension",
      action: "moderation.suspendAccount",
      response: SUSPENSION,
      auth: "required",
      roles: ["admin"],
      summary: "Suspend an account: no login, sessions end, its channels stop broadcasting; content stays (admin)",
    },
    {
      method: "DELETE",
      path: "/moderation/users/:userId/suspension",
      action: "moderation.unsuspendAccount",
      response: SUSPENSION,
      auth: "required",
      roles: ["admin"],
      summary: "Lift an account's suspension (admin, with a reason for the audit log)",
    },
    {
      method: "GET",
      path: "/moderation/audit",
      action: "moderation.audit",
      response: AUDIT_PAGE,
      auth: "required",
      summary: "Moderation audit log (admins: all; channel moderators: their channel)",
    },
  ],
});
