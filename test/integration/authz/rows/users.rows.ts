/**
 * users: profile, preferences, blocks, follows. Every route acts on the
 * caller's own data: anyone signed in may call it, only the owner's own call
 * changes the owner's data (read back through GET /me, /me/blocks, /me/following).
 */
import { ok } from "../../../helpers/api-client";
import { uniqueId } from "../../../helpers/infra";
import type { GuardHarness } from "../guard-harness";
import { anyUser, read, type GuardRow } from "../route-guard";

const me = (h: GuardHarness) => () => read(h.users.owner.api, "/me");

async function blockedIds(h: GuardHarness): Promise<string[]> {
  const page = ok(await h.users.owner.api.me.blocks()) as { items: Array<{ user: { id: string } }> };
  return page.items.map((b) => b.user.id).sort();
}

async function followedIds(h: GuardHarness): Promise<string[]> {
  const page = ok(await h.users.owner.api.me.following({ limit: 100 })) as {
    items: Array<{ channel: { id: string } }>;
  };
  return page.items.map((f) => f.channel.id).sort();
}

/** A fresh channel of a fresh user (a follow target nobody follows yet). */
async function freshChannel(h: GuardHarness): Promise<string> {
  const user = await h.newUser("fch");
  return ok(await user.api.channels.create({ slug: uniqueId("fch").toLowerCase(), title: "Fresh" }), 201).channel.id;
}

export const usersRows: GuardRow[] = [
  {
    route: "PATCH /me",
    expect: anyUser(200),
    changes: ["owner"],
    attempt: async (h, actor) => ({ body: { displayName: `Changed by ${actor}`, bio: actor }, state: me(h) }),
  },
  {
    route: "PATCH /me/preferences",
    expect: anyUser(200),
    changes: ["owner"],
    attempt: async (h) => ({ body: { language: "fr", notifications: { email: false } }, state: me(h) }),
  },
  {
    route: "PUT /me/blocks/:userId",
    expect: anyUser(200),
    changes: ["owner"],
    attempt: async (h) => {
      return { params: { userId: await h.newTarget("blk") }, state: () => blockedIds(h) };
    },
  },
  {
    route: "DELETE /me/blocks/:userId",
    expect: anyUser(200),
    changes: ["owner"],
    attempt: async (h) => {
      const userId = await h.newTarget("blk");
      ok(await h.users.owner.api.me.block(userId));
      return { params: { userId }, state: () => blockedIds(h) };
    },
  },
  {
    route: "PUT /channels/:channelId/follow",
    expect: anyUser(200),
    changes: ["owner"],
    attempt: async (h) => ({ params: { channelId: await freshChannel(h) }, state: () => followedIds(h) }),
  },
  {
    route: "DELETE /channels/:channelId/follow",
    expect: anyUser(200),
    changes: ["owner"],
    attempt: async (h) => {
      const channelId = await freshChannel(h);
      ok(await h.users.owner.api.channels.follow(channelId));
      return { params: { channelId }, state: () => followedIds(h) };
    },
  },
];
