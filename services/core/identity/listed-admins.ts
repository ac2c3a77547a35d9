/**
 * ARENA_ADMINS: the first admin of a fresh install without the REPL. A listed
 * username (or email, for entries with an @) gets the admin role when that
 * account registers, and at every boot if it already exists. Unlisting never
 * removes the role (an admin removes it through the API). Whoever registers a
 * listed name first gets admin, so list accounts that exist, or register them
 * yourself before the install is public.
 */
import type { Role } from "../../../lib/auth/auth-user";
import { usesExternalIssuer } from "../../../lib/auth/issuer";
import { getConfig } from "../../../lib/config";
import { changeRoles } from "./accounts";
import type { IdentityThis } from "./identity.context";
import { announceRoles } from "./roles-changed";

/** Entries are lower-cased (config); accounts store username and email lower-cased. */
export function isListedAdmin(admins: readonly string[], account: { email: string; username: string }): boolean {
  return admins.some((entry) => (entry.includes("@") ? entry === account.email : entry === account.username));
}

const withAdmin = (roles: Role[]): Role[] => (roles.includes("admin") ? roles : [...roles, "admin"]);

/** At boot: makes every listed account that exists an admin; returns the usernames that changed. */
export async function grantListedAdmins(svc: IdentityThis): Promise<string[]> {
  const config = getConfig();
  const admins = config.auth.admins;
  if (admins.length === 0) return [];
  if (usesExternalIssuer(config)) {
    svc.logger.warn("ARENA_ADMINS is ignored with OIDC_ISSUER set: give the admin role in the identity provider");
    return [];
  }
  const granted: string[] = [];
  for (const entry of admins) {
    const account = await svc.stores.accounts.findOne(entry.includes("@") ? { email: entry } : { username: entry });
    if (!account) continue; // gets it when it registers
    const result = await changeRoles(svc.stores.accounts, account.id, withAdmin);
    if (!result?.changed) continue;
    // Nodes already running may hold this account's roles from before the restart.
    announceRoles(svc, result.account);
    granted.push(account.username);
  }
  if (granted.length > 0) svc.logger.info(`ARENA_ADMINS: ${granted.join(", ")} now admin`);
  return granted;
}
