import { generateKeyPairSync } from "node:crypto";
import { waitFor } from "../../../helpers/infra";
import { ok } from "../../../helpers/api-client";
import type { ChannelLiveStatus } from "../../../../services/media/streams/stream-sessions";
import { newUser, type CoreHarness, type TestUser } from "../../core/core-harness";
import { MediaLiveStandIn } from "./medialive-standin";
import { createChannel, startStreams, type StreamsHarness } from "./streams-harness";

jest.setTimeout(60000);

/**
 * MEDIA_PROVIDER=aws through the whole service: the SDK talks to a local
 * endpoint standing in for MediaLive (AWS_ENDPOINT_URL_MEDIALIVE, the SDK's
 * own override), everything else is real.
 */
describe("streams service with MEDIA_PROVIDER=aws (local endpoint standing in for MediaLive)", () => {
  const standIn = new MediaLiveStandIn();
  const savedEnv = { ...process.env };
  let h: StreamsHarness;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    process.env.AWS_ENDPOINT_URL_MEDIALIVE = await standIn.start();
    process.env.AWS_ACCESS_KEY_ID = "AKIATEST";
    process.env.AWS_SECRET_ACCESS_KEY = "test-secret";
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    h = await startStreams({
      MEDIA_PROVIDER: "aws",
      AWS_REGION: "eu-west-1",
      S3_BUCKET: "arena-media-test",
      CLOUDFRONT_DOMAIN: "dtest.cloudfront.net",
      CLOUDFRONT_KEY_PAIR_ID: "KTESTKEYPAIR",
      CLOUDFRONT_PRIVATE_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      MEDIALIVE_ROLE_ARN: "arn:aws:iam::123456789012:role/MediaLiveAccessRole",
    });
    alice = await newUser(h as unknown as CoreHarness, "alice");
    bob = await newUser(h as unknown as CoreHarness, "bob");
  });

  afterAll(async () => {
    await h?.stop();
    await standIn.stop();
    process.env = savedEnv;
  });

  it("provisions MediaLive on the owner's request, goes live when the channel runs, signs CloudFront playback, and hands over the S3 recording", async () => {
    const { channel } = await createChannel(alice.api, {
      slug: `alice-${Date.now().toString(36)}`,
      title: "Cloud plays",
      category: "fps",
    });
    expect((await bob.api.request("POST", `/streams/channels/${channel.id}/ingest`, {})).status).toBe(403);
    const ingest = ok(
      await alice.api.request<{ url: string; streamName: string; provider: string }>(
        "POST",
        `/streams/channels/${channel.id}/ingest`,
        {},
      ),
    );
    expect(ingest).toMatchObject({ url: "rtmp://203.0.113.10:1935/live", provider: "aws" });
    expect(ingest.streamName).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(ok(await bob.api.request<ChannelLiveStatus>("GET", `/streams/channels/${channel.id}`))).toMatchObject({
      live: false,
      playbackUrl: null,
      playbackCookies: null,
    });

    const [mlChannelId, fake] = [...standIn.channels.entries()][0] ?? ["", { body: {} }];
    const sessionId = (fake.body.tags as Record<string, string>)["arena:session"] as string;
    standIn.settle(mlChannelId); // MediaLive reaches RUNNING
    const status = await waitFor(
      async () => {
        const s = ok(await bob.api.request<ChannelLiveStatus>("GET", `/streams/channels/${channel.id}`));
        return s.live ? s : undefined;
      },
      { what: "live once the MediaLive channel runs", timeoutMs: 10000 },
    );
    expect(status.session?.id).toBe(sessionId);
    const playback = new URL(status.playbackUrl as string);
    expect(`${playback.origin}${playback.pathname}`).toBe(`https://dtest.cloudfront.net/live/${sessionId}/master.m3u8`);
    expect([...playback.searchParams.keys()].sort()).toEqual(["Key-Pair-Id", "Policy", "Signature"]);
    // Relative segment URIs lose the query string: signed cookies for the session's folder come alongside.
    expect(status.playbackCookies).toMatchObject({ domain: "dtest.cloudfront.net", path: `/live/${sessionId}/` });
    expect(status.playbackCookies?.values["CloudFront-Policy"]).toBe(playback.searchParams.get("Policy"));
    expect(Object.keys(status.playbackCookies?.values ?? {}).sort()).toEqual([
      "CloudFront-Key-Pair-Id",
      "CloudFront-Policy",
      "CloudFront-Signature",
    ]);
    await waitFor(
      () =>
        h.events.some(
          (e) => e.type === "stream.started" && (e.payload as { sessionId: string }).sessionId === sessionId,
        ),
      { what: "stream.started" },
    );

    ok(await alice.api.request("POST", `/streams/channels/${channel.id}/end`, {}));
    await waitFor(() => h.events.some((e) => e.type === "video.source.ready"), {
      what: "video.source.ready",
      timeoutMs: 20000,
    });
    expect(h.events.find((e) => e.type === "video.source.ready")?.payload).toMatchObject({
      sessionId,
      storageKey: `recordings/${sessionId}/source.m3u8`,
      title: "Cloud plays",
    });
    expect(standIn.channels.get(mlChannelId)?.state).toBe("DELETED");
    expect(standIn.inputs.size).toBe(0);
    expect(ok(await bob.api.request<ChannelLiveStatus>("GET", `/streams/channels/${channel.id}`)).live).toBe(false);
  });
});
