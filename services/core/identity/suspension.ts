/**
 * Account suspension (admins, directly or acting on an abuse report through
 * the moderation service, which keeps the audit log). A suspended user
 * cannot log in or refresh and their sessions end at once; nothing they
 * published is deleted. The state change and its durable event commit
 * together (outbox); channels stop the user's broadcasts and search hides
 * their content when they handle it. Lifting it reverses both.
 */
import { usesExternalIssuer } from "../../../lib/auth/issuer";
import { requireRole } from "../../../lib/auth/ownership";
import { getConfig } from "../../../lib/config";
import { callAction, type ActionContext } from "../../../lib/contracts";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../../lib/errors";
import { toPlainText } from "../../../lib/text/plain-text";
import type { IdentityThis } from "./identity.context";
import type { SuspensionDoc } from "./identity.entities";
import { mails, sendMail } from "./account-mail";
import { revokeSessions } from "./session-revocation";
import "../users/users.contract";

export interface SuspensionStatus {
  userId: string;
  suspended: boolean;
  reason: string | null;
  reportId: string | null;
  suspendedAt: string | null;
  suspendedBy: string | null;
  liftedAt: string | null;
  version: number;
}

/** What consumers that missed user.suspended / user.unsuspended need to catch up: the state and its version. */
export interface SuspensionState {
  userId: string;
  suspended: boolean;
  version: number;
}

/** Internal (search's reindex): users without a suspension ever are left out (nothing to catch up on). */
export async function suspensionStates(
  svc: IdentityThis,
  ctx: ActionContext<"identity.suspensions">,
): Promise<{ items: SuspensionState[] }> {
  const docs = await svc.stores.suspensions.findByIds(ctx.params.userIds);
  return { items: docs.map((d) => ({ userId: d.id, suspended: d.active, version: d.version })) };
}

export function toSuspensionStatus(userId: string, doc: SuspensionDoc | null): SuspensionStatus {
  return {
    userId,
    suspended: doc?.active ?? false,
    reason: doc?.active ? doc.reason : null,
    reportId: doc?.active ? doc.reportId : null,
    suspendedAt: doc?.active ? doc.suspendedAt.toISOString() : null,
    suspendedBy: doc?.active ? doc.suspendedBy : null,
    liftedAt: doc?.liftedAt ? doc.liftedAt.toISOString() : null,
    version: doc?.version ?? 0,
  };
}

/** The refusal a suspended account gets at login; says why (the user is entitled to know). */
export async function assertNotSuspended(svc: IdentityThis, userId: string): Promise<void> {
  const doc = await svc.stores.suspensions.findById(userId);
  if (doc?.active) throw new ForbiddenError(`This account is suspended: ${doc.reason}`);
}

export async function isSuspended(svc: IdentityThis, userId: string): Promise<boolean> {
  return (await svc.stores.suspensions.findById(userId))?.active === true;
}

/** The user must exist: a local account, or (Keycloak) an Arena profile; an admin is not suspended. */
async function assertSuspendable(svc: IdentityThis, ctx: ActionContext<"identity.suspendUser">): Promise<void> {
  const account = await svc.stores.accounts.findById(ctx.params.userId);
  if (account) {
    if (account.roles.includes("admin")) throw new ForbiddenError("Remove the admin role before suspending an admin");
    return;
  }
  if (!usesExternalIssuer(getConfig())) throw new NotFoundError("User", ctx.params.userId);
  await callAction(ctx, "users.get", { id: ctx.params.userId });
}

/** Suspends a user; suspending a suspended user changes nothing and publishes nothing. */
export async function suspendUser(
  svc: IdentityThis,
  ctx: ActionContext<"identity.suspendUser">,
): Promise<SuspensionStatus> {
  const admin = requireRole(ctx, "admin");
  const { userId } = ctx.params;
  if (userId === admin.id)
    throw new ValidationError("An admin cannot suspend themself", [{ field: "userId", message: "self" }]);
  const reason = toPlainText(ctx.params.reason).trim().slice(0, 500);
  if (!reason) throw new ValidationError("Say why", [{ field: "reason", message: "required" }]);
  await assertSuspendable(svc, ctx);
  const now = new Date();
  const doc = await svc.db.transaction(async () => {
    const current = await svc.stores.suspensions.findById(userId);
    if (current?.active) return current;
    const next = {
      active: true,
      reason,
      suspendedBy: admin.id,
      reportId: ctx.params.reportId ?? null,
      suspendedAt: now,
      liftedAt: null,
      liftedBy: null,
      version: (current?.version ?? 0) + 1,
    };
    if (!current) await svc.stores.suspensions.insert({ id: userId, ...next });
    // Conditional on the version read: of two concurrent changes one wins, the other is told to retry.
    else if ((await svc.stores.suspensions.updateMany({ id: userId, version: current.version }, next)) !== 1)
      throw new ConflictError("The suspension changed meanwhile; try again");
    await svc.publishDurable("user.suspended", {
      userId,
      reason,
      reportId: next.reportId,
      suspendedAt: now.toISOString(),
      version: next.version,
    });
    // The user can no longer log in to read anything: they are told by mail (durable outbox, same transaction).
    const account = await svc.stores.accounts.findById(userId);
    if (account) await sendMail(svc, mails.suspended(account, reason));
    return { ...current, id: userId, ...next } as SuspensionDoc;
  });
  // Every session ends now, not when its access token expires (gateways refuse them on this broadcast).
  const ids = await svc.sessionManager.revokeAllOfUser(userId, "account suspended");
  await revokeSessions(svc, ids, "account suspended");
  svc.logger.info(`Account ${userId} suspended by ${admin.id}`);
  return toSuspensionStatus(userId, doc);
}

/** Lifts a suspension; lifting a user who is not suspended changes nothing. */
export async function unsuspendUser(
  svc: IdentityThis,
  ctx: ActionContext<"identity.unsuspendUser">,
): Promise<SuspensionStatus> {
  const admin = requireRole(ctx, "admin");
  const { userId } = ctx.params;
  const now = new Date();
  const doc = await svc.db.transaction(async () => {
    const current = await svc.stores.suspensions.findById(userId);
    if (!current?.active) return current;
    const next = { active: false, liftedAt: now, liftedBy: admin.id, version: current.version + 1 };
    if ((await svc.stores.suspensions.updateMany({ id: userId, version: current.version }, next)) !== 1)
      throw new ConflictError("The suspension changed meanwhile; try again");
    await svc.publishDurable("user.unsuspended", { userId, unsuspendedAt: now.toISOString(), version: next.version });
    const account = await svc.stores.accounts.findById(userId);
    if (account) await sendMail(svc, mails.reinstated(account));
    return { ...current, ...next };
  });
  if (!doc && !(await svc.stores.accounts.findById(userId)) && !usesExternalIssuer(getConfig()))
    throw new NotFoundError("User", userId);
  if (doc && !doc.active && doc.liftedAt === now) svc.logger.info(`Account ${userId} reinstated by ${admin.id}`);
  return toSuspensionStatus(userId, doc);
}

/** Admins: whether a user is suspended, and why. */
export async function getSuspension(
  svc: IdentityThis,
  ctx: ActionContext<"identity.suspension">,
): Promise<SuspensionStatus> {
  requireRole(ctx, "admin");
  return toSuspensionStatus(ctx.params.userId, await svc.stores.suspensions.findById(ctx.params.userId));
}
