/**
 * moderation's part of GET /me/export: the reports the user filed (their own
 * reason and text, and what came of them), the actions they took as a
 * moderator, and the actions taken on them (without who took them: a
 * moderator's identity is not the reported user's data).
 */
import type { ArenaContext } from "../../../lib/contracts";
import { assertSelfOrAdmin, type UserDataParams } from "../../../lib/contracts/user-data";
import type { ModerationThis } from "./moderation.context";
import type { ModerationUserData } from "./moderation.contract";
import { toAuditView } from "./report-view";

export async function exportUserData(
  svc: ModerationThis,
  ctx: ArenaContext<UserDataParams>,
): Promise<ModerationUserData> {
  assertSelfOrAdmin(ctx);
  const { userId } = ctx.params;
  const entries = await svc.stores.entries.find({ query: { reporterId: userId }, sort: ["createdAt"] });
  const reports = new Map(
    (await svc.stores.reports.findByIds([...new Set(entries.map((e) => e.reportId))])).map((r) => [r.id, r]),
  );
  const taken = await svc.stores.audit.find({ query: { actorId: userId }, sort: ["createdAt"] });
  const received = await svc.stores.audit.find({ query: { targetUserId: userId }, sort: ["createdAt"] });
  return {
    reportsFiled: entries.map((e) => {
      const report = reports.get(e.reportId);
      return {
        reportId: e.reportId,
        targetKind: report?.targetKind ?? null,
        targetId: report?.targetId ?? null,
        reason: e.reason,
        text: e.text,
        filedAt: e.createdAt,
        status: report?.status ?? null,
        outcome: report?.action ?? null,
      };
    }),
    actionsTaken: taken.map(toAuditView),
    actionsReceived: received.map((row) => {
      const { actorId: _actor, ...view } = toAuditView(row);
      return view;
    }),
  };
}
