import type { Service } from "moleculer";
import type { ChannelsThis } from "../../../../services/core/channels/channels.service";
import type { IdentityThis } from "../../../../services/core/identity/identity.service";
import type { UsersThis } from "../../../../services/core/users/users.service";
import { ok } from "../../../helpers/api-client";
import { uniqueId, waitFor } from "../../../helpers/infra";
import { newUser, PASSWORD, startCore, type CoreHarness, type TestUser } from "../core-harness";

jest.setTimeout(90000);

/** DELETE /me and the admin delete on the core slice: identity, users and channels after user.deleted. */
describe("account deletion (identity, users, channels; real gateway, real Postgres)", () => {
  let h: CoreHarness;
  const svc = <T>(name: string) => h.broker.getLocalService(name) as Service as T;

  beforeAll(async () => {
    h = await startCore();
  });
  afterAll(() => h?.stop());

  async function channelOf(user: TestUser): Promise<string> {
    return ok(
      await user.api.channels.create({ slug: uniqueId("del").slice(0, 30).toLowerCase(), title: "Doomed" }),
      201,
    ).channel.id;
  }

  async function nothingLeftOf(userId: string, channelId: string): Promise<void> {
    await waitFor(
      async () =>
        !(await svc<UsersThis>("users").stores.profiles.findById(userId)) &&
        !(await svc<ChannelsThis>("channels").stores.channels.findById(channelId)),
      { what: "the user's profile and channel to go" },
    );
    const users = svc<UsersThis>("users").stores;
    const channels = svc<ChannelsThis>("channels").stores;
    expect(await svc<IdentityThis>("identity").stores.accounts.findById(userId)).toBeNull();
    expect(await users.follows.count({ userId })).toBe(0);
    expect(await users.blocks.count({ userId })).toBe(0);
    expect(await users.blocks.count({ blockedUserId: userId })).toBe(0);
    expect(await channels.members.count({ userId })).toBe(0);
    expect(await channels.members.count({ channelId })).toBe(0);
    expect(await channels.channels.count({ ownerId: userId })).toBe(0);
  }

  it("DELETE /me needs the password; then the account, profile, follows, blocks and channel are gone", async () => {
    const [doomed, friend, other] = await Promise.all([newUser(h, "dme"), newUser(h, "dfr"), newUser(h, "dot")]);
    const doomedChannel = await channelOf(doomed);
    const friendChannel = await channelOf(friend);
    ok(await doomed.api.channels.follow(friendChannel));
    ok(await other.api.channels.follow(doomedChannel));
    ok(await doomed.api.me.block(other.id));
    ok(await other.api.me.block(doomed.id));
    ok(await friend.api.channels.addModerator(friendChannel, doomed.id));
    await waitFor(async () => ok(await h.api.channels.get(friendChannel)).followerCount === 1, { what: "follow" });

    expect((await h.api.me.delete(PASSWORD)).status).toBe(401);
    expect((await doomed.api.me.delete("wrong-password-123")).status).toBe(401);
    expect((await doomed.api.request("DELETE", "/me", {})).status).toBe(400);
    expect((await doomed.api.me.get()).status).toBe(200);

    expect(ok(await doomed.api.me.delete(PASSWORD))).toEqual({ userId: doomed.id, deleted: true });
    // Its sessions end at once, the login goes with the account.
    expect((await doomed.api.me.get()).status).toBe(401);
    expect((await h.api.auth.refresh(doomed.refreshToken)).status).toBe(401);
    expect((await h.api.auth.login({ login: doomed.email, password: PASSWORD })).status).toBe(401);

    await nothingLeftOf(doomed.id, doomedChannel);
    expect((await h.api.users.get(doomed.id)).status).toBe(404);
    expect((await h.api.channels.get(doomedChannel)).status).toBe(404);
    // Follower counts converge (channel.unfollowed), the other user's follow of the deleted channel went with it.
    await waitFor(async () => ok(await h.api.channels.get(friendChannel)).followerCount === 0, { what: "unfollow" });
    await waitFor(async () => ok(await other.api.me.get()).followingCount === 0, { what: "followingCount" });
    expect(ok(await other.api.me.following()).items).toEqual([]);
    expect(ok(await other.api.me.blocks()).items).toEqual([]);
    const policy = await h.broker.call<{ moderatorIds: string[] }, { channelId: string }>("channels.getChatPolicy", {
      channelId: friendChannel,
    });
    expect(policy.moderatorIds).not.toContain(doomed.id);

    // The username and email are free again.
    ok(await h.api.auth.register({ email: doomed.email, username: doomed.username, password: PASSWORD }), 201);
  });

  it("user.deleted handled twice changes nothing more (idempotent handlers)", async () => {
    const doomed = await newUser(h, "dtw");
    const channelId = await channelOf(doomed);
    ok(await doomed.api.me.delete(PASSWORD));
    await nothingLeftOf(doomed.id, channelId);
    const identity = svc<IdentityThis>("identity");
    // A replay of the same deletion (a new event id: dedupe does not hide it) finds nothing to remove.
    await identity.publishDurable("user.deleted", {
      userId: doomed.id,
      username: doomed.username,
      deletedBy: "self",
      deletedAt: new Date().toISOString(),
    });
    await identity.relayOutbox();
    await nothingLeftOf(doomed.id, channelId);
  });

  it("an admin deletes another user; non-admins get 403, an unknown id 404, the admin themself 400", async () => {
    const [admin, doomed] = await Promise.all([newUser(h, "dad"), newUser(h, "dvi")]);
    const channelId = await channelOf(doomed);
    expect((await doomed.api.users.delete(admin.id)).status).toBe(403);
    await h.broker.call("identity.grantRole", { userId: admin.id, role: "admin" });
    const asAdmin = h.api.as(ok(await h.api.auth.login({ login: admin.email, password: PASSWORD })).accessToken);
    expect((await asAdmin.users.delete("00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await asAdmin.users.delete(admin.id)).status).toBe(400);
    expect(ok(await asAdmin.users.delete(doomed.id))).toEqual({ userId: doomed.id, deleted: true });
    expect((await doomed.api.me.get()).status).toBe(401);
    await nothingLeftOf(doomed.id, channelId);
    expect((await asAdmin.users.delete(doomed.id)).status).toBe(404);
  });
});
