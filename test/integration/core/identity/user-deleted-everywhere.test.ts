import { randomUUID } from "node:crypto";
import type { Service, ServiceSchema } from "moleculer";
import { DELETED_USER_ID } from "../../../../lib/auth/deleted-user";
import BlogService, { type BlogThis } from "../../../../services/content/blog/blog.service";
import TournamentsService from "../../../../services/content/tournaments/tournaments.service";
import type { TournamentsThis } from "../../../../services/content/tournaments/tournaments.context";
import type { ChannelsThis } from "../../../../services/core/channels/channels.service";
import type { IdentityThis } from "../../../../services/core/identity/identity.service";
import type { UsersThis } from "../../../../services/core/users/users.service";
import ChatService from "../../../../services/media/chat/chat.service";
import type { ChatThis } from "../../../../services/media/chat/chat.context";
import StreamsService from "../../../../services/media/streams/streams.service";
import type { StreamsThis } from "../../../../services/media/streams/streams.context";
import VideosService, { type VideosThis } from "../../../../services/media/videos/videos.service";
import { ok } from "../../../helpers/api-client";
import { uniqueId, waitFor } from "../../../helpers/infra";
import { newUser, PASSWORD, startCore, type CoreHarness, type TestUser } from "../core-harness";

jest.setTimeout(120000);

/**
 * One user.deleted, every service that holds user data: each one's store is
 * read back after the deletion (and after a replay of the event).
 */
describe("GET /me/export and user.deleted across every service (one broker, real Postgres, local storage)", () => {
  let h: CoreHarness;
  const svc = <T>(name: string) => h.broker.getLocalService(name) as Service as T;

  beforeAll(async () => {
    h = await startCore({ RTMP_PORT: "0" }, [
      ChatService,
      { name: "streams", mixins: [StreamsService as unknown as ServiceSchema] } as ServiceSchema,
      { name: "videos", mixins: [VideosService as unknown as ServiceSchema], settings: { processJobs: false } },
      TournamentsService as unknown as ServiceSchema,
      BlogService as unknown as ServiceSchema,
    ]);
  });
  afterAll(() => h?.stop());

  async function channelOf(user: TestUser): Promise<string> {
    const slug = uniqueId("ev").slice(0, 30).toLowerCase();
    return ok(await user.api.channels.create({ slug, title: "A channel" }), 201).channel.id;
  }

  /** What the user left in streams, chat, videos, tournaments and blog (and what others hold of them). */
  async function seed(user: TestUser, channelId: string, friend: TestUser, friendChannel: string) {
    const streams = svc<StreamsThis>("streams").stores;
    const session = await streams.sessions.insert({
      id: randomUUID(),
      channelId,
      ownerId: user.id,
      status: "ended",
      title: "t",
      category: null,
      language: "en",
      provider: "local",
      nodeId: "n",
      connectionId: null,
      startedAt: new Date(),
      disconnectedAt: null,
      endedAt: new Date(),
      durationS: 1,
      viewerCount: 0,
      peakViewers: 0,
      lastHealth: null,
      recordingKey: null,
    });
    await streams.healthSamples.insert({
      id: randomUUID(),
      sessionId: session.id,
      channelId,
      at: new Date(),
      bitrateKbps: 1,
      fps: 30,
      keyframeIntervalS: 2,
      droppedFrames: 0,
      width: 1,
      height: 1,
    });

    const chat = svc<ChatThis>("chat").stores;
    const line = { channelId: friendChannel, username: user.username, badges: ["vip"], text: "hi", sentAt: new Date() };
    await chat.messages.insert({ id: randomUUID(), userId: user.id, deleted: false, ...line });
    await chat.messages.insert({ id: randomUUID(), userId: user.id, deleted: false, ...line, channelId });

    const videosSvc = svc<VideosThis>("videos");
    const asUser = { meta: { user: { id: user.id, username: user.username, roles: ["viewer", "creator"] } } };
    const asFriend = { meta: { user: { id: friend.id, username: friend.username, roles: ["viewer", "creator"] } } };
    const video = await h.broker.call<{ id: string }, object>(
      "videos.create",
      { channelId, title: "Mine", visibility: "public" },
      asUser,
    );
    const friendVideo = await h.broker.call<{ id: string }, object>(
      "videos.create",
      { channelId: friendChannel, title: "Theirs", visibility: "public" },
      asFriend,
    );
    await videosSvc.stores.videos.updateById(video.id, { origin: "upload", sourceKey: `uploads/${video.id}/source` });
    await videosSvc.storage.put(`uploads/${video.id}/source`, Buffer.from("source"));
    await videosSvc.storage.put(`vod/${video.id}/master.m3u8`, Buffer.from("#EXTM3U\n"));
    const comment = {
      channelId: friendChannel,
      authorName: user.username,
      parentId: null,
      rootId: null,
      depth: 0,
      status: "visible" as const,
      editedAt: null,
      removedBy: null,
      replyCount: 0,
    };
    await videosSvc.stores.comments.insert({
      id: randomUUID(),
      videoId: friendVideo.id,
      authorId: user.id,
      body: "nice",
      ...comment,
    });
    await videosSvc.stores.videos.increment(friendVideo.id, "commentCount", 1);

    const tournaments = svc<TournamentsThis>("tournaments").stores;
    const tournamentIds: Record<"open" | "running", string> = { open: randomUUID(), running: randomUUID() };
    for (const [status, id] of [
      ["registration_open", tournamentIds.open],
      ["running", tournamentIds.running],
    ] as const) {
      await tournaments.tournaments.insert({
        id,
        organizerId: friend.id,
        name: "Cup",
        game: "chess",
        format: "single_elimination",
        status,
        mode: "solo",
        maxEntrants: 8,
        startsAt: new Date(),
      } as never);
      const entrantId = randomUUID();
      await tournaments.entrants.insert({
        id: entrantId,
        tournamentId: id,
        userId: user.id,
        displayName: user.username,
        status: "confirmed",
        registrationNo: 1,
      } as never);
      await tournaments.members.insert({
        id: `${id}:${user.id}`,
        tournamentId: id,
        userId: user.id,
        entrantId,
      } as never);
    }

    const blog = svc<BlogThis>("blog").stores;
    const postId = randomUUID();
    await blog.posts.insert({
      id: postId,
      blogId: `channel:${channelId}`,
      channelId,
      authorId: user.id,
      authorName: user.username,
      slug: uniqueId("p").toLowerCase(),
      renderedWith: "1",
      status: "published",
      kind: "news",
      title: "Post",
      changedAt: new Date(),
    } as never);
    return { videoId: video.id, friendVideoId: friendVideo.id, tournamentIds, postId };
  }

  async function checkEverywhere(user: TestUser, channelId: string, seeded: Awaited<ReturnType<typeof seed>>) {
    const streams = svc<StreamsThis>("streams").stores;
    const chat = svc<ChatThis>("chat").stores;
    const videosSvc = svc<VideosThis>("videos");
    const tournaments = svc<TournamentsThis>("tournaments").stores;
    const blog = svc<BlogThis>("blog").stores;
    await waitFor(
      async () =>
        (await streams.sessions.count({ ownerId: user.id })) === 0 &&
        (await chat.messages.count({ userId: user.id })) === 0 &&
        (await videosSvc.stores.videos.count({ ownerId: user.id })) === 0 &&
        (await videosSvc.stores.comments.count({ authorId: user.id })) === 0 &&
        (await tournaments.members.count({ userId: user.id })) === 0 &&
        (await tournaments.entrants.count({ userId: user.id })) === 0 &&
        (await blog.posts.count({ authorId: user.id })) === 0 &&
        !(await svc<UsersThis>("users").stores.profiles.findById(user.id)) &&
        (await svc<ChannelsThis>("channels").stores.channels.count({ ownerId: user.id })) === 0,
      { what: "every service to drop the user's data", timeoutMs: 20000 },
    );
    // streams: sessions and their health samples.
    expect(await streams.healthSamples.count({ channelId })).toBe(0);
    // chat: the deleted channel's room is gone; the user's lines elsewhere stay, without an author.
    expect(await chat.messages.count({ channelId })).toBe(0);
    const lines = await chat.messages.find({ query: { userId: DELETED_USER_ID } });
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.every((l) => l.username === "[deleted]" && l.badges.length === 0)).toBe(true);
    // videos: the video and its files; a comment on another's video keeps its place, without text or author.
    expect(await videosSvc.stores.videos.findById(seeded.videoId)).toBeNull();
    expect(await videosSvc.storage.list(`uploads/${seeded.videoId}/`)).toEqual([]);
    expect(await videosSvc.storage.list(`vod/${seeded.videoId}/`)).toEqual([]);
    const [left] = await videosSvc.stores.comments.find({ query: { videoId: seeded.friendVideoId } });
    expect(left).toMatchObject({ authorId: DELETED_USER_ID, body: "", status: "deleted" });
    expect((await videosSvc.stores.videos.findById(seeded.friendVideoId))?.commentCount).toBe(0);
    // tournaments: the open registration is gone, the running bracket keeps an anonymous entrant.
    expect(await tournaments.entrants.count({ tournamentId: seeded.tournamentIds.open })).toBe(0);
    const [kept] = await tournaments.entrants.find({ query: { tournamentId: seeded.tournamentIds.running } });
    expect(kept).toMatchObject({ userId: DELETED_USER_ID, displayName: "[deleted]" });
    // blog: the user's post.
    expect(await blog.posts.findById(seeded.postId)).toBeNull();
  }

  it("DELETE /me: streams, chat, videos (and files), tournaments and blog drop or anonymize the user's data", async () => {
    const [doomed, friend] = await Promise.all([newUser(h, "evd"), newUser(h, "evf")]);
    const [channelId, friendChannel] = await Promise.all([channelOf(doomed), channelOf(friend)]);
    const seeded = await seed(doomed, channelId, friend, friendChannel);

    // GET /me/export first: one section per service, each with what was just seeded, no secrets.
    const res = await doomed.api.request<{ userId: string; services: Record<string, Record<string, unknown>> }>(
      "GET",
      "/me/export",
    );
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const archive = ok(res);
    expect(archive.userId).toBe(doomed.id);
    expect(Object.keys(archive.services).sort()).toEqual(
      ["blog", "channels", "chat", "identity", "streams", "tournaments", "users", "videos"].sort(),
    );
    const { services } = archive;
    expect(services.identity.account).toMatchObject({ id: doomed.id, email: doomed.email });
    expect(services.users.profile).toMatchObject({ id: doomed.id });
    expect(services.channels.channels).toEqual([expect.objectContaining({ id: channelId })]);
    expect(services.streams.sessions).toHaveLength(1);
    expect(services.chat.messages).toHaveLength(2);
    expect(services.videos.videos).toEqual([expect.objectContaining({ id: seeded.videoId })]);
    expect(services.videos.comments).toHaveLength(1);
    expect(services.tournaments.entries).toHaveLength(2);
    expect(services.blog.posts).toEqual([expect.objectContaining({ id: seeded.postId })]);
    const text = JSON.stringify(archive);
    for (const secret of ["passwordHash", "streamKeyHash", "totpSecretEnc"]) expect(text).not.toContain(secret);
    // Another user cannot read someone's section.
    await expect(
      h.broker.call(
        "videos.exportUserData",
        { userId: doomed.id },
        { meta: { user: { id: friend.id, username: friend.username, roles: ["viewer"] } } },
      ),
    ).rejects.toMatchObject({ code: 403 });
    expect((await h.api.request("GET", "/me/export")).status).toBe(401);

    ok(await doomed.api.me.delete(PASSWORD));
    await checkEverywhere(doomed, channelId, seeded);

    // A replay of the deletion finds nothing more to do, and fails nowhere.
    const identity = svc<IdentityThis>("identity");
    await identity.publishDurable("user.deleted", {
      userId: doomed.id,
      username: doomed.username,
      deletedBy: "self",
      deletedAt: new Date().toISOString(),
    });
    await identity.relayOutbox();
    await checkEverywhere(doomed, channelId, seeded);
  });
});
