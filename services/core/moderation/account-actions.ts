/**
 * Admins suspend and reinstate accounts directly (not from a report): the
 * identity service does it (and checks the caller is an admin again), this
 * service records it in the audit log with who and why. A request that
 * changes nothing (already suspended, not suspended) writes no audit row.
 */
import { requireRole } from "../../../lib/auth/ownership";
import { callAction } from "../../../lib/contracts";
import { ValidationError } from "../../../lib/errors";
import { toPlainText } from "../../../lib/text/plain-text";
import type { SuspensionStatus } from "../identity/suspension";
import type { ModerationContext, ModerationThis } from "./moderation.context";
import type { AuditAction } from "./report.types";
import "../identity/identity.contract";

export interface AccountActionParams {
  userId: string;
  reason: string;
}

function reasonOf(raw: string): string {
  const reason = toPlainText(raw).trim().slice(0, 500);
  if (!reason) throw new ValidationError("Say why", [{ field: "reason", message: "required" }]);
  return reason;
}

async function audit(
  svc: ModerationThis,
  actorId: string,
  action: AuditAction,
  reason: string,
  status: SuspensionStatus,
): Promise<void> {
  await svc.stores.audit.insert({
    reportId: null,
    actorId,
    action,
    targetKind: "user",
    targetId: status.userId,
    channelId: null,
    targetUserId: status.userId,
    reason,
    details: { version: status.version },
  });
}

export async function suspendAccount(
  svc: ModerationThis,
  ctx: ModerationContext<AccountActionParams>,
): Promise<SuspensionStatus> {
  const admin = requireRole(ctx, "admin");
  const reason = reasonOf(ctx.params.reason);
  const before = await callAction(ctx, "identity.suspension", { userId: ctx.params.userId });
  const status = await callAction(ctx, "identity.suspendUser", { userId: ctx.params.userId, reason });
  if (status.version !== before.version) await audit(svc, admin.id, "suspend_account", reason, status);
  return status;
}

export async function unsuspendAccount(
  svc: ModerationThis,
  ctx: ModerationContext<AccountActionParams>,
): Promise<SuspensionStatus> {
  const admin = requireRole(ctx, "admin");
  const reason = reasonOf(ctx.params.reason);
  const before = await callAction(ctx, "identity.suspension", { userId: ctx.params.userId });
  const status = await callAction(ctx, "identity.unsuspendUser", { userId: ctx.params.userId });
  if (status.version !== before.version) await audit(svc, admin.id, "unsuspend_account", reason, status);
  return status;
}

export async function accountSuspension(
  _svc: ModerationThis,
  ctx: ModerationContext<{ userId: string }>,
): Promise<SuspensionStatus> {
  requireRole(ctx, "admin");
  return callAction(ctx, "identity.suspension", { userId: ctx.params.userId });
}
