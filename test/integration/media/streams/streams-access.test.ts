import { ok } from "../../../helpers/api-client";
import { waitFor } from "../../../helpers/infra";
import type { ChannelLiveStatus } from "../../../../services/media/streams/stream-sessions";
import type { TestUser } from "../../core/core-harness";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { recoverOrphanedSessions } from "../../../../services/media/streams/session-lifecycle";
import type { StreamsThis } from "../../../../services/media/streams/streams.context";
import { pushTestPattern, type RtmpPush } from "./rtmp-push";
import { startStreamsWithChannel, type StreamsHarness } from "./streams-harness";

jest.setTimeout(90000);

/** Every streams route's 400/401/403/404, and key rotation cutting a live broadcaster off. */
describe("streams routes: params, auth, ownership; rotated keys", () => {
  let h: StreamsHarness;
  let alice: TestUser;
  let bob: TestUser;
  let channelId: string;
  let streamKey: string;
  const pushes: RtmpPush[] = [];

  beforeAll(async () => {
    ({ h, alice, bob, channelId, streamKey } = await startStreamsWithChannel());
  });

  afterAll(async () => {
    await Promise.all(pushes.map((p) => p.stop()));
    await h?.stop();
  });

  it("answers 400/401/403/404 as documented and changes nothing", async () => {
    expect((await bob.api.request("GET", "/streams/live?sort=loudest")).status).toBe(400);
    expect((await bob.api.request("GET", "/streams/live?limit=1000")).status).toBe(400);
    expect((await bob.api.request("GET", "/streams/channels/bad%20id")).status).toBe(400);
    expect(ok(await h.api.request<ChannelLiveStatus>("GET", `/streams/channels/${channelId}`))).toEqual({
      channelId,
      live: false,
      session: null,
      playbackUrl: null,
      playbackCookies: null,
    });
    expect((await h.api.request("GET", `/streams/channels/${channelId}/health`)).status).toBe(401);
    expect((await alice.api.request("GET", `/streams/channels/${channelId}/health`)).status).toBe(404);
    expect((await h.api.request("PATCH", `/streams/channels/${channelId}`, { title: "x" })).status).toBe(401);
    expect((await alice.api.request("PATCH", `/streams/channels/${channelId}`, { title: "Offline edit" })).status).toBe(
      404,
    );
    expect((await bob.api.request("POST", `/streams/channels/${channelId}/ingest`, {})).status).toBe(403);
    const ingest = ok(
      await alice.api.request<{ url: string; streamName: string | null; provider: string }>(
        "POST",
        `/streams/channels/${channelId}/ingest`,
        {},
      ),
    );
    expect(ingest).toEqual({ url: h.rtmpUrl(), streamName: null, provider: "local" });
    expect((await bob.api.request("POST", `/streams/channels/${channelId}/end`, {})).status).toBe(404);
    expect(
      (await alice.api.request("POST", "/streams/channels/00000000-0000-0000-0000-000000000000/ingest", {})).status,
    ).toBe(404);
    expect(h.events).toHaveLength(0);
    // Every route is in the OpenAPI document the gateway builds from the tables and params.
    const openapi = (await (await fetch(`${h.base}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(["/api/v1/streams/live", "/api/v1/streams/channels/{channelId}/health"]),
    );
    expect(Object.keys(openapi.paths).some((p) => p.startsWith("/media/"))).toBe(true);
  });

  it("drops a live broadcaster when the key is rotated, refuses the old key, and lets only the owner end a stream", async () => {
    const push = pushTestPattern(`${h.rtmpUrl()}/${streamKey}`, { seconds: 120, audio: false });
    pushes.push(push);
    await waitFor(
      async () => ok(await bob.api.request<ChannelLiveStatus>("GET", `/streams/channels/${channelId}`)).live,
      { what: "live", timeoutMs: 20000 },
    );
    expect((await bob.api.request("POST", `/streams/channels/${channelId}/end`, {})).status).toBe(403);

    const rotated = ok(await alice.api.channels.rotateStreamKey(channelId));
    expect(rotated.streamKey).not.toBe(streamKey);
    // The broadcaster is cut off (ffmpeg sees the connection drop).
    await push.exited;
    const retry = pushTestPattern(`${h.rtmpUrl()}/${streamKey}`, { seconds: 5, audio: false });
    pushes.push(retry);
    expect(await retry.exited).not.toBe(0);

    // The new key works and continues the session (grace period); the owner ends it at once.
    const fresh = pushTestPattern(`${h.rtmpUrl()}/${rotated.streamKey}`, { seconds: 120, audio: false });
    pushes.push(fresh);
    await waitFor(
      async () =>
        ok(await bob.api.request<ChannelLiveStatus>("GET", `/streams/channels/${channelId}`)).session?.status ===
        "live",
      { what: "live with the new key", timeoutMs: 20000 },
    );
    expect(ok(await alice.api.request<{ ended: boolean }>("POST", `/streams/channels/${channelId}/end`, {}))).toEqual({
      ended: true,
    });
    await fresh.exited;
    await waitFor(() => h.events.some((e) => e.type === "stream.ended"), { what: "stream.ended", timeoutMs: 10000 });
    expect(h.events.filter((e) => e.type === "stream.started")).toHaveLength(1);
    expect(ok(await bob.api.request<ChannelLiveStatus>("GET", `/streams/channels/${channelId}`)).live).toBe(false);
  });
  it("ends a session left open by a node that is gone, then goes live normally", async () => {
    const streams = h.broker.getLocalService("streams") as unknown as StreamsThis;
    const orphan = await streams.stores.sessions.insert({
      channelId,
      ownerId: alice.id,
      status: "reconnecting",
      title: "Old",
      category: null,
      language: "en",
      provider: "local",
      nodeId: "node-that-crashed",
      connectionId: null,
      startedAt: new Date(Date.now() - 60_000),
      disconnectedAt: new Date(Date.now() - 30_000),
      endedAt: null,
      durationS: null,
      viewerCount: 0,
      peakViewers: 4,
      lastHealth: null,
      recordingKey: null,
    });
    const before = h.events.length;
    const rotated = ok(await alice.api.channels.rotateStreamKey(channelId));
    const push = pushTestPattern(`${h.rtmpUrl()}/${rotated.streamKey}`, { seconds: 120, audio: false });
    pushes.push(push);
    const status = await waitFor(
      async () => {
        const s = ok(await bob.api.request<ChannelLiveStatus>("GET", `/streams/channels/${channelId}`));
        return s.live && s.session?.id !== orphan.id ? s : undefined;
      },
      { what: "live in a new session", timeoutMs: 20000 },
    );
    expect(status.session?.status).toBe("live");
    expect((await streams.stores.sessions.findById(orphan.id))?.status).toBe("ended");
    await waitFor(
      () =>
        h.events
          .slice(before)
          .some((e) => e.type === "stream.ended" && (e.payload as { sessionId: string }).sessionId === orphan.id),
      { what: "orphan ended" },
    );
    await push.stop();
  });
  it("hands over a recording that a restarted node had ended but not handed over", async () => {
    const streams = h.broker.getLocalService("streams") as unknown as StreamsThis;
    const ended = await streams.stores.sessions.insert({
      channelId,
      ownerId: alice.id,
      status: "ended",
      title: "Before the crash",
      category: "fps",
      language: "en",
      provider: "local",
      nodeId: h.broker.nodeID,
      connectionId: null,
      startedAt: new Date(Date.now() - 120_000),
      disconnectedAt: new Date(Date.now() - 60_000),
      endedAt: new Date(Date.now() - 60_000),
      durationS: 60,
      viewerCount: 0,
      peakViewers: 0,
      lastHealth: null,
      recordingKey: null,
    });
    const dir = join(h.config.dataDir, "media", "recordings", ended.id);
    mkdirSync(dir, { recursive: true });
    execFileSync("ffmpeg", [
      "-hide_banner",
      "-loglevel",
      "error",
      "-f",
      "lavfi",
      "-i",
      "testsrc=size=160x90:rate=15",
      "-t",
      "2",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-f",
      "mpegts",
      join(dir, "part-0001.ts"),
    ]);
    await recoverOrphanedSessions(streams);
    await waitFor(
      () =>
        h.events.some(
          (e) => e.type === "video.source.ready" && (e.payload as { sessionId: string }).sessionId === ended.id,
        ),
      { what: "recovered handover" },
    );
    expect((await streams.stores.sessions.findById(ended.id))?.recordingKey).toBe(`recordings/${ended.id}/source.mp4`);
    // Recovery runs at every start: a handed-over session is not handed over twice.
    await recoverOrphanedSessions(streams);
    expect(
      h.events.filter(
        (e) => e.type === "video.source.ready" && (e.payload as { sessionId: string }).sessionId === ended.id,
      ),
    ).toHaveLength(1);
  });

  it("drops a live broadcaster when an admin suspends the channel, and refuses its key until lifted", async () => {
    const admin = { meta: { user: { id: "platform-admin", username: "admin", roles: ["viewer", "admin"] } } };
    const { streamKey: key } = ok(await alice.api.channels.rotateStreamKey(channelId));
    const push = pushTestPattern(`${h.rtmpUrl()}/${key}`, { seconds: 120, audio: false });
    pushes.push(push);
    await waitFor(
      async () =>
        ok(await bob.api.request<ChannelLiveStatus>("GET", `/streams/channels/${channelId}`)).session?.status ===
        "live",
      { what: "live", timeoutMs: 20000 },
    );

    await h.broker.call("channels.suspend", { id: channelId, reason: "terms of service" }, admin);
    await push.exited;
    const retry = pushTestPattern(`${h.rtmpUrl()}/${key}`, { seconds: 5, audio: false });
    pushes.push(retry);
    expect(await retry.exited).not.toBe(0);

    await h.broker.call("channels.unsuspend", { id: channelId }, admin);
    await expect(h.broker.call("channels.verifyStreamKey", { streamKey: key })).resolves.toMatchObject({ channelId });
  });
});
