/**
 * Acting on a report: dismiss it, delete the content, time out or ban its
 * author in the channel's chat, suspend the channel, or suspend the account
 * of the reported user (or of the content's author). Each action is done
 * by the service that owns what it touches, called with the moderator's own
 * context (so that service checks their rights again), and recorded in the
 * audit log with who and why. The first action resolves the report and
 * tells its reporters the outcome (report.resolved, durable, same
 * transaction as the audit row).
 */
import { callAction } from "../../../lib/contracts";
import { ForbiddenError, ValidationError } from "../../../lib/errors";
import { toPlainText } from "../../../lib/text/plain-text";
import "../identity/identity.contract";
import type { ModerationContext, ModerationThis } from "./moderation.context";
import { isAdmin } from "./report-access";
import { loadHandledReport } from "./report-actions";
import { toReportView } from "./report-view";
import type { ModerationAction, ReportDoc, ReportView } from "./report.types";

export interface ActParams {
  id: string;
  action: ModerationAction;
  reason: string;
  durationS?: number;
}

const ADMIN_ONLY: readonly ModerationAction[] = ["suspend_channel", "suspend_account"];

function invalid(message: string): ValidationError {
  return new ValidationError(message, [{ field: "action", message }]);
}

/** Carries the action out in the owning service; returns details for the audit row. */
async function perform(
  svc: ModerationThis,
  ctx: ModerationContext<ActParams>,
  r: ReportDoc,
  reason: string,
): Promise<Record<string, unknown>> {
  const { action } = ctx.params;
  switch (action) {
    case "dismiss":
      return {};
    case "delete_content":
      if (r.targetKind === "comment" && r.contextId) {
        await callAction(ctx, "videos.deleteComment", { videoId: r.contextId, id: r.targetId });
        return { videoId: r.contextId };
      }
      if (r.targetKind === "chat_message" && r.channelId) {
        await callAction(ctx, "chat.deleteMessage", { channelId: r.channelId, messageId: r.targetId });
        return {};
      }
      if (r.targetKind === "video") {
        await callAction(ctx, "videos.remove", { id: r.targetId });
        return {};
      }
      throw invalid(`A ${r.targetKind} report has no content to delete`);
    case "timeout":
    case "ban": {
      if (!r.channelId || !r.targetUserId || r.targetKind === "user" || r.targetKind === "channel")
        throw invalid("Timeouts and bans apply to the author of a chat message, comment, video or stream");
      if (action === "ban") {
        await callAction(ctx, "chat.moderate", {
          channelId: r.channelId,
          command: { action: "ban", userId: r.targetUserId, reason },
        });
        return { userId: r.targetUserId };
      }
      const durationS = Math.min(ctx.params.durationS ?? 600, svc.settings.maxTimeoutS);
      await callAction(ctx, "chat.moderate", {
        channelId: r.channelId,
        command: { action: "timeout", userId: r.targetUserId, durationS, reason },
      });
      return { userId: r.targetUserId, durationS };
    }
    case "suspend_channel":
      if (!r.channelId) throw invalid("The report is not about a channel's content");
      await callAction(ctx, "channels.suspend", { id: r.channelId, reason });
      return {};
    case "suspend_account": {
      const userId = r.targetKind === "user" ? r.targetId : r.targetUserId;
      if (!userId) throw invalid("The report names no account to suspend");
      const status = await callAction(ctx, "identity.suspendUser", { userId, reason, reportId: r.id });
      return { userId, version: status.version };
    }
  }
}

export async function actOnReport(svc: ModerationThis, ctx: ModerationContext<ActParams>): Promise<ReportView> {
  const report = await loadHandledReport(svc, ctx, ctx.params.id);
  const user = ctx.meta.user!;
  if (ADMIN_ONLY.includes(ctx.params.action) && !isAdmin(user))
    throw new ForbiddenError("Only admins suspend channels and accounts");
  const reason = toPlainText(ctx.params.reason).trim().slice(0, 500);
  if (!reason) throw new ValidationError("Say why", [{ field: "reason", message: "required" }]);
  const details = await perform(svc, ctx, report, reason);
  const now = new Date();
  await svc.db.transaction(async () => {
    await svc.stores.audit.insert({
      reportId: report.id,
      actorId: user.id,
      action: ctx.params.action,
      targetKind: report.targetKind,
      targetId: report.targetId,
      channelId: report.channelId,
      targetUserId: report.targetUserId,
      reason,
      details,
    });
    // Only the first action resolves the report (and notifies its reporters).
    const resolved = await svc.stores.reports.updateMany(
      { id: report.id, status: "open" },
      { status: "resolved", action: ctx.params.action, resolvedBy: user.id, resolvedAt: now, resolutionReason: reason },
    );
    if (resolved !== 1) return;
    const entries = await svc.stores.entries.find({ query: { reportId: report.id }, limit: 1000 });
    await svc.publishDurable("report.resolved", {
      reportId: report.id,
      targetKind: report.targetKind,
      targetId: report.targetId,
      channelId: report.channelId,
      action: ctx.params.action,
      reporterIds: entries.map((e) => e.reporterId),
      resolvedAt: now.toISOString(),
    });
  });
  const fresh = (await svc.stores.reports.findById(report.id)) ?? report;
  return toReportView(fresh, await svc.stores.entries.find({ query: { reportId: report.id } }));
}
