/**
 * The user.roles.changed broadcast, sent after a role change has been written
 * (every writer of an account's roles goes through changeRoles, which gives
 * the change its version).
 */
import { broadcastEvent } from "../../../lib/contracts";
import type { IdentityThis } from "./identity.context";
import type { AccountDoc } from "./identity.entities";

/** Tells every holder of a role cache (chat, badges) at once; the version lets them ignore a late older change. */
export function announceRoles(svc: IdentityThis, account: Pick<AccountDoc, "id" | "roles" | "rolesVersion">): void {
  const payload = { userId: account.id, roles: account.roles, version: account.rolesVersion };
  void broadcastEvent(svc.broker, "user.roles.changed", payload).catch((err: Error) =>
    svc.logger.warn("user.roles.changed broadcast failed", err.message),
  );
}
