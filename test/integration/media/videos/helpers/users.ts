import { ApiClient } from "../../../../helpers/api-client";
import { uniqueId } from "../../../../helpers/infra";
import { videosApi, type VideosApi } from "./videos-api";

export const PASSWORD = "violet-tundra-42-kettle";

export interface Actor {
  id: string;
  username: string;
  token: string;
  api: ApiClient;
  videos: VideosApi;
}

/** A registered, logged-in user of the harness's gateway. */
export async function newActor(base: string, prefix = "u"): Promise<Actor> {
  const anon = new ApiClient(base);
  const username = uniqueId(prefix)
    .slice(0, 24)
    .replace(/[^a-zA-Z0-9_]/g, "_");
  const email = `${username}@example.test`;
  const reg = await anon.auth.register({ email, username, password: PASSWORD });
  if (reg.status !== 200 && reg.status !== 201)
    throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
  const login = await anon.auth.login({ login: email, password: PASSWORD });
  if (login.status !== 200 || !("accessToken" in login.body))
    throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  const api = anon.as(login.body.accessToken);
  return { id: login.body.user.id, username, token: login.body.accessToken, api, videos: videosApi(api) };
}

export function anonymous(base: string): { api: ApiClient; videos: VideosApi } {
  const api = new ApiClient(base);
  return { api, videos: videosApi(api) };
}

/** Creates the actor's channel; returns its id. */
export async function createChannel(actor: Actor): Promise<string> {
  const res = await actor.api.channels.create({
    slug: uniqueId("ch").toLowerCase().slice(0, 30),
    title: `${actor.username}'s channel`,
  });
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`channel create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { channel: { id: string } }).channel.id;
}
