/** Reading profiles: public ones for anyone, the private one for the user themself or an admin. */
import { isAdmin, requireUser } from "../../../lib/auth/ownership";
import type { ActionContext } from "../../../lib/contracts";
import { ForbiddenError, NotFoundError } from "../../../lib/errors";
import { toPrivateProfile, toPublicProfile, type PrivateProfile, type PublicProfile } from "./profile";
import { loadUser } from "./user-lookup";
import type { UsersThis } from "./users.context";

export async function getUser(svc: UsersThis, ctx: ActionContext<"users.get">): Promise<PublicProfile> {
  return toPublicProfile(await loadUser(svc, ctx.params.id));
}

export async function getUserByUsername(
  svc: UsersThis,
  ctx: ActionContext<"users.getByUsername">,
): Promise<PublicProfile> {
  const user = await svc.stores.profiles.findOne({ username: ctx.params.username.toLowerCase() });
  if (!user) throw new NotFoundError("User", ctx.params.username, "username");
  return toPublicProfile(user);
}

export async function getManyUsers(svc: UsersThis, ctx: ActionContext<"users.getMany">): Promise<PublicProfile[]> {
  return (await svc.stores.profiles.findByIds(ctx.params.ids)).map(toPublicProfile);
}

export async function getPrivateProfile(
  svc: UsersThis,
  ctx: ActionContext<"users.getPrivate">,
): Promise<PrivateProfile> {
  const caller = requireUser(ctx);
  if (caller.id !== ctx.params.id && !isAdmin(caller))
    throw new ForbiddenError("Private profile data is only for its owner");
  return toPrivateProfile(await loadUser(svc, ctx.params.id));
}

export async function getOwnProfile(svc: UsersThis, ctx: ActionContext<"users.me">): Promise<PrivateProfile> {
  return toPrivateProfile(await loadUser(svc, requireUser(ctx).id));
}
