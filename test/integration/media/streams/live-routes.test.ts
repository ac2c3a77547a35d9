/**
 * PATCH /streams/channels/:id while live, through the real gateway, streams
 * and channels services on PostgreSQL. The session is opened the way the
 * ingest opens it (the provider's publishStarted callback), no ffmpeg needed.
 */
import { ok } from "../../../helpers/api-client";
import { waitFor } from "../../../helpers/infra";
import { ingestCallbacks } from "../../../../services/media/streams/session-lifecycle";
import type { StreamsThis } from "../../../../services/media/streams/streams.context";
import type { ChannelLiveStatus, PublicSession } from "../../../../services/media/streams/stream-sessions";
import { newUser, type CoreHarness, type TestUser } from "../../core/core-harness";
import { createChannel, startStreams, type StreamsHarness } from "./streams-harness";

jest.setTimeout(60000);

describe("streams routes: channel status, title/category update while live (real gateway, channels, Postgres)", () => {
  let h: StreamsHarness;
  let alice: TestUser;
  let channelId: string;

  beforeAll(async () => {
    h = await startStreams();
    alice = await newUser(h as unknown as CoreHarness, "alice");
    channelId = (
      await createChannel(alice.api, { slug: `upd-${Date.now().toString(36)}`, title: "Before", category: "fps" })
    ).channel.id;
    const svc = h.broker.getLocalService("streams") as unknown as StreamsThis;
    await ingestCallbacks(svc).publishStarted({ channelId, ownerId: alice.id, connectionId: "conn-1" });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('answers a channel\'s status, and 404 for a channel that does not exist rather than "offline"', async () => {
    const status = ok(await alice.api.request<ChannelLiveStatus>("GET", `/streams/channels/${channelId}`));
    expect(status).toMatchObject({ channelId, live: true });
    expect(status.playbackUrl).toContain(`/media/live/${status.session?.id}/master.m3u8?`);
    const missing = await alice.api.request("GET", "/streams/channels/no-such-channel");
    expect(missing.status).toBe(404);
  });

  it("keeps titles and categories plain text, like channel titles, and refuses markup-only values", async () => {
    const updated = ok(
      await alice.api.request<PublicSession>("PATCH", `/streams/channels/${channelId}`, {
        title: "<b>Ranked</b> <script>alert(1)</script>grind",
        category: "<i>moba</i>",
      }),
    );
    expect(updated).toMatchObject({ title: "Ranked grind", category: "moba" });
    const refused = await alice.api.request("PATCH", `/streams/channels/${channelId}`, {
      title: "<img src=x onerror=alert(1)>",
    });
    expect(refused.status).toBe(400);
    const listed = ok(await alice.api.request<{ items: PublicSession[] }>("GET", "/streams/live?category=moba"));
    expect(listed.items.map((s) => s.title)).toEqual(["Ranked grind"]);
  });

  it("carries the change to the channel, so its page and the next session show it", async () => {
    ok(
      await alice.api.request<PublicSession>("PATCH", `/streams/channels/${channelId}`, {
        title: "Late night scrims",
        category: "tactics",
      }),
    );
    await waitFor(
      async () => {
        const channel = ok(await alice.api.channels.get(channelId));
        return channel.title === "Late night scrims" && channel.category === "tactics";
      },
      { what: "channel title/category follow stream.updated" },
    );
    // The broadcast ends; the next publish opens a new session, which takes its title from the channel.
    const svc = h.broker.getLocalService("streams") as unknown as StreamsThis;
    const ended = ok(await alice.api.request<ChannelLiveStatus>("GET", `/streams/channels/${channelId}`));
    ok(await alice.api.request("POST", `/streams/channels/${channelId}/end`));
    await waitFor(
      async () => !ok(await alice.api.request<ChannelLiveStatus>("GET", `/streams/channels/${channelId}`)).live,
      { what: "the first session to end" },
    );
    await ingestCallbacks(svc).publishStarted({ channelId, ownerId: alice.id, connectionId: "conn-2" });
    const next = ok(await alice.api.request<ChannelLiveStatus>("GET", `/streams/channels/${channelId}`));
    expect(next.session?.id).not.toBe(ended.session?.id);
    expect(next.session).toMatchObject({ title: "Late night scrims", category: "tactics" });
  });
});
