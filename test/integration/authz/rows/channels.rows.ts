/**
 * channels: settings, stream key, moderators, VIPs, suspension. Only the
 * owner (and an admin where the service allows it) changes the owner's
 * channel; its page and chat policy are read back through the API.
 */
import { ok } from "../../../helpers/api-client";
import { uniqueId } from "../../../helpers/infra";
import type { GuardHarness } from "../guard-harness";
import { only, read, type GuardRow } from "../route-guard";

/** The channel's public page and chat policy, as its owner reads them. */
function channelState(h: GuardHarness, channelId = h.channelId): () => Promise<unknown> {
  return async () => ({
    channel: await read(h.users.owner.api, `/channels/${channelId}`),
    policy: await read(h.users.owner.api, `/channels/${channelId}/chat-policy`),
  });
}

/** A fresh user for the moderator and VIP lists. */
const someone = (h: GuardHarness) => h.newTarget("tgt");

export const channelsRows: GuardRow[] = [
  {
    route: "POST /channels",
    note: "one channel per user: the owner's second one is refused, anyone else's first one is theirs",
    expect: { ...only({}), otherUser: 201, admin: 201, owner: 409, moderator: 201, moderatorOfOtherChannel: 201 },
    changes: [],
    attempt: async (h) => ({
      bodyFor: () => ({ slug: uniqueId("nc").toLowerCase(), title: "New channel" }),
      state: async () => ({
        owned: await read(h.anonymous, `/channels?ownerId=${h.users.owner.id}`),
        mine: await channelState(h)(),
      }),
    }),
  },
  {
    route: "PATCH /channels/:id",
    expect: only({ owner: 200, admin: 200 }),
    attempt: async (h, actor) => ({
      params: { id: h.channelId },
      body: { title: `Title by ${actor}`, tags: [actor.toLowerCase().slice(0, 10)] },
      state: channelState(h),
    }),
  },
  {
    route: "PUT /channels/:id/suspension",
    expect: only({ admin: 200 }),
    attempt: async (h) => ({ params: { id: h.channelId }, body: { reason: "spam" }, state: channelState(h) }),
  },
  {
    route: "DELETE /channels/:id/suspension",
    expect: only({ admin: 200 }),
    attempt: async (h) => {
      ok(await h.users.admin.api.request("PUT", `/channels/${h.channelId}/suspension`, { reason: "spam" }));
      return { params: { id: h.channelId }, state: channelState(h) };
    },
  },
  {
    route: "POST /channels/:id/stream-key",
    expect: only({ owner: 200, admin: 200 }),
    attempt: async (h) => {
      // The key is shown once and stored hashed: whether the current one still verifies is the state.
      const key = ok(await h.users.owner.api.channels.rotateStreamKey(h.channelId)).streamKey;
      const valid = () =>
        h.broker.call("channels.verifyStreamKey", { streamKey: key }).then(
          () => true,
          () => false,
        );
      return {
        params: { id: h.channelId },
        state: async () => ({ valid: await valid(), page: await channelState(h)() }),
      };
    },
  },
  {
    route: "PUT /channels/:id/moderators/:userId",
    expect: only({ owner: 200, admin: 200 }),
    attempt: async (h) => ({ params: { id: h.channelId, userId: await someone(h) }, state: channelState(h) }),
  },
  {
    route: "DELETE /channels/:id/moderators/:userId",
    expect: only({ owner: 200, admin: 200 }),
    attempt: async (h) => {
      const userId = await someone(h);
      ok(await h.users.owner.api.channels.addModerator(h.channelId, userId));
      return { params: { id: h.channelId, userId }, state: channelState(h) };
    },
  },
  {
    route: "PUT /channels/:id/vips/:userId",
    expect: only({ owner: 200, admin: 200 }),
    attempt: async (h) => ({ params: { id: h.channelId, userId: await someone(h) }, state: channelState(h) }),
  },
  {
    route: "DELETE /channels/:id/vips/:userId",
    expect: only({ owner: 200, admin: 200 }),
    attempt: async (h) => {
      const userId = await someone(h);
      ok(await h.users.owner.api.channels.addVip(h.channelId, userId));
      return { params: { id: h.channelId, userId }, state: channelState(h) };
    },
  },
];
