import type { ServiceBroker } from "moleculer";
import { ApiClient } from "../../../../helpers/api-client";
import { newActor, PASSWORD, type Actor } from "../../../media/videos/helpers/users";
import { blogApi, type BlogApi } from "./blog-api";

export { createChannel } from "../../../media/videos/helpers/users";

export interface BlogActor extends Actor {
  blog: BlogApi;
}

export async function newBlogActor(base: string, prefix = "u"): Promise<BlogActor> {
  const actor = await newActor(base, prefix);
  return { ...actor, blog: blogApi(actor.api) };
}

/** A user granted `role` (editor, admin…), logged in again so the token carries it. */
export async function newActorWithRole(
  broker: ServiceBroker,
  base: string,
  role: "editor" | "admin",
  prefix = role.slice(0, 3),
): Promise<BlogActor> {
  const actor = await newBlogActor(base, prefix);
  await broker.call("identity.grantRole", { userId: actor.id, role });
  const login = await new ApiClient(base).auth.login({ login: `${actor.username}@example.test`, password: PASSWORD });
  if (login.status !== 200 || !("accessToken" in login.body)) throw new Error(`re-login failed: ${login.status}`);
  const api = new ApiClient(base).as(login.body.accessToken);
  return { ...actor, token: login.body.accessToken, api, blog: blogApi(api) };
}

export function anonymousBlog(base: string): BlogApi {
  return blogApi(new ApiClient(base));
}
