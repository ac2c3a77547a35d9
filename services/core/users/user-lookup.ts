import { NotFoundError } from "../../../lib/errors";
import type { UsersThis } from "./users.context";
import type { UserDoc } from "./users.entities";

/** A user by id, or 404. */
export async function loadUser(svc: UsersThis, id: string): Promise<UserDoc> {
  const user = await svc.stores.profiles.findById(id);
  if (!user) throw new NotFoundError("User", id);
  return user;
}
