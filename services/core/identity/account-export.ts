/**
 * GET /me/export: a JSON archive of the caller's data, one section per
 * service, gathered through each service's `<service>.exportUserData`
 * action. The exporter asks the registry which services offer it, so a new
 * service joins the archive by declaring the action; a service that is
 * down makes the export fail (503) rather than answer an incomplete archive.
 */
import type { Role } from "../../../lib/auth/auth-user";
import { requireUser } from "../../../lib/auth/ownership";
import { callAction, type ActionContext, type ArenaContext } from "../../../lib/contracts";
import {
  assertSelfOrAdmin,
  isUserDataService,
  USER_DATA_ACTION_SUFFIX,
  type UserDataAction,
  type UserDataParams,
  type UserDataSection,
  type UserDataSections,
  withoutFields,
} from "../../../lib/contracts/user-data";
import type { IdentityThis } from "./identity.context";
import { toSuspensionStatus, type SuspensionStatus } from "./suspension";

export interface AccountExport {
  userId: string;
  exportedAt: string;
  /** Service name → what it holds of the user (a service not deployed has no section). */
  services: Partial<UserDataSections>;
}

/** The account without its secrets (password hash, TOTP secrets) or lockout bookkeeping. */
export interface ExportedAccount {
  id: string;
  email: string;
  username: string;
  roles: Role[];
  mfaEnabled: boolean;
  emailVerifiedAt: Date | null;
  createdAt: Date;
}

export interface ExportedSession {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface ExportedDevice {
  userAgent: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/**
 * Left out of the exported suspension: who suspended the user (a moderator's identity is not the user's data) and
 * the row's compare-and-set version (our bookkeeping).
 */
const SUSPENSION_LEFT_OUT = ["suspendedBy", "version"] as const;

/** identity's section of GET /me/export. */
export type IdentityUserData = {
  account: ExportedAccount | null;
  sessions: ExportedSession[];
  devices: ExportedDevice[];
  suspension: Omit<SuspensionStatus, (typeof SUSPENSION_LEFT_OUT)[number]>;
};

/** identity's own section: the account (no password hash, no TOTP secrets) and its sessions. */
export async function exportUserData(svc: IdentityThis, ctx: ArenaContext<UserDataParams>): Promise<IdentityUserData> {
  assertSelfOrAdmin(ctx);
  const account = await svc.stores.accounts.findById(ctx.params.userId);
  const sessions = await svc.stores.sessions.find({ query: { userId: ctx.params.userId } });
  const devices = await svc.stores.knownDevices.find({ query: { userId: ctx.params.userId } });
  const suspension = await svc.stores.suspensions.findById(ctx.params.userId);
  return {
    account: account && {
      id: account.id,
      email: account.email,
      username: account.username,
      roles: account.roles,
      mfaEnabled: account.totpEnabled,
      emailVerifiedAt: account.emailVerifiedAt,
      createdAt: account.createdAt,
    },
    sessions: sessions.map((s) => ({
      id: s.id,
      createdAt: s.createdAt,
      expiresAt: s.expiresAt,
      revokedAt: s.revokedAt,
    })),
    devices: devices.map((d) => ({ userAgent: d.userAgent, firstSeenAt: d.createdAt, lastSeenAt: d.lastSeenAt })),
    suspension: withoutFields(toSuspensionStatus(ctx.params.userId, suspension), SUSPENSION_LEFT_OUT),
  };
}

function exportActions(svc: IdentityThis): UserDataAction[] {
  const names = svc.broker.registry
    .getActionList({ onlyAvailable: false, skipInternal: true, withEndpoints: false })
    .map((a: { name: string }) => a.name);
  return [...new Set(names)].filter((name): name is UserDataAction => name.endsWith(USER_DATA_ACTION_SUFFIX)).sort();
}

export async function exportAccount(
  svc: IdentityThis,
  ctx: ActionContext<"identity.exportAccount">,
): Promise<AccountExport> {
  const user = requireUser(ctx);
  const services: AccountExport["services"] = {};
  for (const action of exportActions(svc)) {
    const service = action.slice(0, -USER_DATA_ACTION_SUFFIX.length);
    // Every declared exporter is listed (USER_DATA_SERVICES_COMPLETE); a name that is not is no action of ours.
    // The action name is only known at run time, so is its result type; each one is its service's declared section.
    if (isUserDataService(service))
      (services as Record<string, UserDataSection>)[service] = await callAction(ctx, action, { userId: user.id });
  }
  ctx.meta.$responseHeaders = { "Content-Disposition": `attachment; filename="arena-export-${user.id}.json"` };
  return { userId: user.id, exportedAt: new Date().toISOString(), services };
}
