/**
 * The personal-data export contract (GET /me/export). Every service that
 * holds data of a user offers `<service>.exportUserData` with these params
 * and a JSON section as result, declared in its ActionMap entry; the
 * exporter finds them in the registry, so a new service joins the archive
 * by declaring the action. Only the user themself or an admin may call it.
 */
import type { Context } from "moleculer";
import type { ArenaMeta } from "../auth/auth-user";
import { requireUser } from "../auth/ownership";
import { ForbiddenError } from "../errors";
import { ID } from "../validation";
import type { ActionName } from "./actions";

export const USER_DATA_PARAMS = { userId: ID } as const;
export interface UserDataParams {
  userId: string;
}

/** A service's part of the archive: named lists of the user's records (stored shapes, secrets left out). */
export type UserDataSection = Record<string, unknown>;

export const USER_DATA_ACTION_SUFFIX = ".exportUserData";
export type UserDataAction = Extract<ActionName, `${string}.exportUserData`>;

export function assertSelfOrAdmin(ctx: Context<UserDataParams, ArenaMeta>): void {
  const user = requireUser(ctx);
  if (user.id !== ctx.params.userId && !user.roles.includes("admin"))
    throw new ForbiddenError("Only the user themself may export their data");
}
