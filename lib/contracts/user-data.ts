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
import type { ActionName, ResultOf } from "./actions";

export const USER_DATA_PARAMS = { userId: ID } as const;
export interface UserDataParams {
  userId: string;
}

/**
 * A service's part of the archive: named lists of the user's records, or one
 * record, or null when it holds none (stored shapes, secrets left out). Each
 * service declares its own section type, field by field (`BlogUserData`,
 * ...), as its `exportUserData` result; the export's response schema lists
 * the same fields, so a field renamed in an export fails the typecheck.
 * This is the shape every such section has (checked below).
 */
export type UserDataSection = Record<string, UserDataRecord[] | UserDataRecord | null>;
/** One stored record as JSON (an object; its fields are the owning service's). */
export type UserDataRecord = object;

export const USER_DATA_ACTION_SUFFIX = ".exportUserData";
export type UserDataAction = Extract<ActionName, `${string}.exportUserData`>;

/**
 * The services whose `exportUserData` makes up the archive, by name: the
 * export's response schema lists one optional section per name (a service
 * not deployed is absent). The check below fails the typecheck when a
 * service declares the action without being listed here, or the reverse.
 */
export const USER_DATA_SERVICES = [
  "blog",
  "channels",
  "chat",
  "clips",
  "identity",
  "moderation",
  "schedules",
  "streams",
  "tournaments",
  "users",
  "videos",
] as const;
export type UserDataService = (typeof USER_DATA_SERVICES)[number];
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const USER_DATA_SERVICES_COMPLETE: SameSet<
  `${UserDataService}${typeof USER_DATA_ACTION_SUFFIX}`,
  UserDataAction
> = true;

/** What `<service>.exportUserData` answers, by service: its declared section type. */
export type UserDataSections = {
  [S in UserDataService]: ResultOf<Extract<`${S}${typeof USER_DATA_ACTION_SUFFIX}`, ActionName>>;
};
/** Fails the typecheck when a service declares a section that is not named lists of records (or one record). */
export const USER_DATA_SECTIONS_ARE_RECORDS: UserDataSections[UserDataService] extends UserDataSection ? true : false =
  true;

/**
 * A stored record without the fields a section leaves out (our bookkeeping, credentials, another user's
 * identity). A section names them once in a const list and types its records `Omit<Doc, (typeof LIST)[number]>`,
 * so what the type promises and what is dropped at run time come from the same list.
 */
export function withoutFields<T extends object, K extends keyof T>(record: T, fields: readonly K[]): Omit<T, K> {
  const kept = { ...record };
  for (const field of fields) delete kept[field];
  return kept;
}

export function isUserDataService(name: string): name is UserDataService {
  return (USER_DATA_SERVICES as readonly string[]).includes(name);
}

export function assertSelfOrAdmin(ctx: Context<UserDataParams, ArenaMeta>): void {
  const user = requireUser(ctx);
  if (user.id !== ctx.params.userId && !user.roles.includes("admin"))
    throw new ForbiddenError("Only the user themself may export their data");
}
