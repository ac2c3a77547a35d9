import { generateKeyPairSync, verify } from "node:crypto";
import { MediaLiveClient } from "@aws-sdk/client-medialive";
import { parseLadder } from "../../../../lib/media/hls-ladder";
import { AwsMediaProvider } from "../../../../services/media/streams/aws-media-provider";
import type { AwsProviderOptions } from "../../../../services/media/streams/aws-provider-options";
import type { ProviderCallbacks, PublishStarted } from "../../../../services/media/streams/media-provider";
import { MediaLiveStandIn } from "./medialive-standin";

describe("AwsMediaProvider", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  let standIn: MediaLiveStandIn;
  let provider: AwsMediaProvider;
  let endpointUrl: string;
  const started: PublishStarted[] = [];
  const stopped: string[] = [];

  const providerOptions = (endpoint: string): AwsProviderOptions => ({
    client: new MediaLiveClient({
      region: "eu-west-1",
      endpoint,
      credentials: { accessKeyId: "AKIATEST", secretAccessKey: "test-secret" },
    }),
    bucket: "arena-media-test",
    roleArn: "arn:aws:iam::123456789012:role/MediaLiveAccessRole",
    inputCidrs: ["198.51.100.0/24"],
    cloudfront: {
      domain: "d111111abcdef8.cloudfront.net",
      keyPairId: "K2JCJMDEHXQW5F",
      privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    },
    urlTtlS: 600,
    ladder: parseLadder("720p:2800,480p:1400,360p:800"),
    segmentSeconds: 2,
    pollIntervalMs: 60_000, // the test drives pollOnce() itself
    stopTimeoutMs: 5000,
    stopPollMs: 20,
    log: { info: () => undefined, warn: () => undefined },
  });

  const callbacks: ProviderCallbacks = {
    authorizeStreamKey: async () => null,
    publishStarted: async (event) => {
      started.push(event);
      return { sessionId: event.sessionId as string, resumed: false };
    },
    publishStopped: (event) => stopped.push(event.sessionId),
    healthSampled: () => undefined,
  };

  beforeAll(async () => {
    standIn = new MediaLiveStandIn();
    endpointUrl = await standIn.start();
    provider = new AwsMediaProvider(providerOptions(endpointUrl));
    await provider.start(callbacks);
  });

  afterAll(async () => {
    await provider.stop();
    await standIn.stop();
  });

  it("provisions a MediaLive input and channel, syncs state by polling, and tears down (local endpoint standing in for MediaLive)", async () => {
    const endpoint = await provider.ingestEndpoint({ channelId: "chan-1", ownerId: "user-1" });
    expect(endpoint.url).toBe("rtmp://203.0.113.10:1935/live");
    expect(endpoint.streamName).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // Asking again while provisioned returns the same endpoint, no new resources.
    expect(await provider.ingestEndpoint({ channelId: "chan-1", ownerId: "user-1" })).toEqual(endpoint);
    expect(standIn.operations()).toEqual([
      "GET /prod/channels",
      "POST /prod/inputSecurityGroups",
      "POST /prod/inputs",
      "POST /prod/channels",
      "POST /prod/channels/ch-*/start",
    ]);

    const [, sg, input, channel] = standIn.requests;
    expect(sg?.body).toMatchObject({ whitelistRules: [{ cidr: "198.51.100.0/24" }] });
    expect(input?.body).toMatchObject({
      type: "RTMP_PUSH",
      destinations: [{ streamName: `live/${endpoint.streamName}` }],
      inputSecurityGroups: ["sg-1"],
    });
    const channelBody = channel?.body as {
      channelClass: string;
      roleArn: string;
      destinations: { id: string; settings: { url: string }[] }[];
      encoderSettings: {
        outputGroups: { name: string; outputs: unknown[] }[];
        videoDescriptions: { height: number }[];
      };
    };
    expect(channelBody.channelClass).toBe("SINGLE_PIPELINE");
    expect(channelBody.roleArn).toBe("arn:aws:iam::123456789012:role/MediaLiveAccessRole");
    const sessionId = /^arena-(.+)$/.exec((channel?.body as { name: string }).name)?.[1] as string;
    expect(channelBody.destinations.map((d) => d.settings[0]?.url)).toEqual([
      `s3ssl://arena-media-test/live/${sessionId}/master`,
      `s3ssl://arena-media-test/recordings/${sessionId}/source`,
    ]);
    expect(channelBody.encoderSettings.videoDescriptions.map((v) => v.height)).toEqual([720, 480, 360, 1080]);
    expect(channelBody.encoderSettings.outputGroups.map((g) => [g.name, g.outputs.length])).toEqual([
      ["live", 3],
      ["recording", 1],
    ]);

    // STARTING is not live yet; RUNNING is.
    await provider.pollOnce();
    expect(started).toHaveLength(0);
    const mlChannelId = [...standIn.channels.keys()][0] as string;
    standIn.settle(mlChannelId);
    await provider.pollOnce();
    expect(started).toEqual([{ channelId: "chan-1", ownerId: "user-1", connectionId: mlChannelId, sessionId }]);
    await provider.pollOnce();
    expect(started).toHaveLength(1);

    // The channel stops (owner stopped it or input loss made an operator stop it): broadcaster gone.
    provider.dropPublisher(sessionId);
    await new Promise<void>((resolve) => setImmediate(resolve));
    await waitForState(standIn, mlChannelId, "STOPPING");
    await provider.pollOnce();
    expect(stopped).toEqual([sessionId]);

    const recording = await provider.endSession(sessionId);
    expect(recording).toEqual({ storageKey: `recordings/${sessionId}/source.m3u8`, durationS: null });
    expect(standIn.channels.get(mlChannelId)?.state).toBe("DELETED");
    expect(standIn.inputs.size).toBe(0);
    expect(standIn.operations().slice(-4)).toEqual([
      "POST /prod/channels/ch-*/stop",
      "GET /prod/channels/ch-*",
      "DELETE /prod/channels/ch-*",
      "DELETE /prod/inputs/in-*",
    ]);
    expect(await provider.endSession(sessionId)).toBeNull();
  });

  it("adopts the MediaLive channels it created after a restart, by their tags (local endpoint standing in for MediaLive)", async () => {
    const endpoint = await provider.ingestEndpoint({ channelId: "chan-2", ownerId: "user-2" });
    const newest = [...standIn.channels.values()].pop();
    const sessionId = (newest?.body.tags as Record<string, string>)["arena:session"] as string;
    expect(newest?.body.tags).toEqual({
      "arena:session": sessionId,
      "arena:channel": "chan-2",
      "arena:owner": "user-2",
    });
    const mlChannelId = [...standIn.channels.keys()].pop() as string;
    standIn.settle(mlChannelId);

    // A new process: nothing in memory, same AWS account.
    const restarted = new AwsMediaProvider(providerOptions(endpointUrl));
    const before = standIn.requests.length;
    await restarted.start(callbacks);
    expect(await restarted.ingestEndpoint({ channelId: "chan-2", ownerId: "user-2" })).toEqual(endpoint);
    expect(standIn.operations().slice(before)).toEqual(["GET /prod/channels", "GET /prod/inputs/in-*"]);
    started.length = 0;
    await restarted.pollOnce();
    expect(started).toEqual([{ channelId: "chan-2", ownerId: "user-2", connectionId: mlChannelId, sessionId }]);
    expect(await restarted.endSession(sessionId)).toEqual({
      storageKey: `recordings/${sessionId}/source.m3u8`,
      durationS: null,
    });
    expect(standIn.channels.get(mlChannelId)?.state).toBe("DELETED");
    await restarted.stop();
  });

  it("signs CloudFront playback URLs with a custom policy over the session folder (generated key pair)", () => {
    const nowS = 1_800_000_000;
    const url = new URL(provider.playbackUrl("sess-1", nowS));
    expect(`${url.origin}${url.pathname}`).toBe("https://d111111abcdef8.cloudfront.net/live/sess-1/master.m3u8");
    expect(url.searchParams.get("Key-Pair-Id")).toBe("K2JCJMDEHXQW5F");
    const fromCloudFrontBase64 = (s: string) =>
      Buffer.from(s.replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/"), "base64");
    const policyBytes = fromCloudFrontBase64(url.searchParams.get("Policy") as string);
    const policy = JSON.parse(policyBytes.toString("utf8")) as {
      Statement: { Resource: string; Condition: { DateLessThan: { "AWS:EpochTime": number } } }[];
    };
    expect(policy.Statement[0]?.Resource).toBe("https://d111111abcdef8.cloudfront.net/live/sess-1/*");
    expect(policy.Statement[0]?.Condition.DateLessThan["AWS:EpochTime"]).toBe(nowS + 600);
    const signature = fromCloudFrontBase64(url.searchParams.get("Signature") as string);
    expect(verify("RSA-SHA1", policyBytes, publicKey, signature)).toBe(true);
    const tampered = Buffer.from(policyBytes.toString("utf8").replace(String(nowS + 600), String(nowS + 99999)));
    expect(verify("RSA-SHA1", tampered, publicKey, signature)).toBe(false);
  });

  it("issues CloudFront signed cookies for the session's rendition prefix with the URL's policy (generated key pair)", () => {
    const nowS = 1_800_000_000;
    const cookies = provider.playbackCookies("sess-1", nowS);
    expect(cookies).toMatchObject({
      domain: "d111111abcdef8.cloudfront.net",
      path: "/live/sess-1/",
      expiresAt: new Date((nowS + 600) * 1000).toISOString(),
    });
    expect(Object.keys(cookies.values).sort()).toEqual([
      "CloudFront-Key-Pair-Id",
      "CloudFront-Policy",
      "CloudFront-Signature",
    ]);
    expect(cookies.values["CloudFront-Key-Pair-Id"]).toBe("K2JCJMDEHXQW5F");
    const fromCloudFrontBase64 = (s: string) =>
      Buffer.from(s.replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/"), "base64");
    const policyBytes = fromCloudFrontBase64(cookies.values["CloudFront-Policy"] as string);
    const policy = JSON.parse(policyBytes.toString("utf8")) as {
      Statement: { Resource: string; Condition: { DateLessThan: { "AWS:EpochTime": number } } }[];
    };
    // Segments and variant playlists (relative URIs, no query string) are under the cookie's resource.
    expect(policy.Statement[0]?.Resource).toBe("https://d111111abcdef8.cloudfront.net/live/sess-1/*");
    expect(policy.Statement[0]?.Condition.DateLessThan["AWS:EpochTime"]).toBe(nowS + 600);
    const signature = fromCloudFrontBase64(cookies.values["CloudFront-Signature"] as string);
    expect(verify("RSA-SHA1", policyBytes, publicKey, signature)).toBe(true);
    // The URL and the cookies carry the same grant.
    expect(new URL(provider.playbackUrl("sess-1", nowS)).searchParams.get("Policy")).toBe(
      cookies.values["CloudFront-Policy"],
    );
    const other = provider.playbackCookies("sess-2", nowS);
    expect(
      verify("RSA-SHA1", policyBytes, publicKey, fromCloudFrontBase64(other.values["CloudFront-Signature"] as string)),
    ).toBe(false);
  });

  it("provisions once for concurrent requests of one channel, and removes half-provisioned resources when MediaLive fails (local endpoint standing in for MediaLive)", async () => {
    const creates = () => standIn.requests.filter((r) => r.method === "POST" && r.path === "/prod/channels").length;
    const before = creates();
    const [a, b] = await Promise.all([
      provider.ingestEndpoint({ channelId: "chan-3", ownerId: "user-3" }),
      provider.ingestEndpoint({ channelId: "chan-3", ownerId: "user-3" }),
    ]);
    expect(a).toEqual(b);
    expect(creates()).toBe(before + 1);

    const inputsBefore = standIn.inputs.size;
    const liveChannels = () => [...standIn.channels.values()].filter((c) => c.state !== "DELETED").length;
    const channelsBefore = liveChannels();
    standIn.failNext = /^POST \/prod\/channels$/;
    await expect(provider.ingestEndpoint({ channelId: "chan-4", ownerId: "user-4" })).rejects.toThrow();
    expect(standIn.inputs.size).toBe(inputsBefore);
    expect(standIn.operations().slice(-2)).toEqual(["POST /prod/channels", "DELETE /prod/inputs/in-*"]);

    // StartChannel failing: the created (IDLE) channel and its input are deleted too.
    standIn.failNext = /^POST \/prod\/channels\/[^/]+\/start$/;
    await expect(provider.ingestEndpoint({ channelId: "chan-5", ownerId: "user-5" })).rejects.toThrow();
    expect(liveChannels()).toBe(channelsBefore);
    expect(standIn.inputs.size).toBe(inputsBefore);
    expect(standIn.operations().slice(-3)).toEqual([
      "POST /prod/channels/ch-*/start",
      "DELETE /prod/channels/ch-*",
      "DELETE /prod/inputs/in-*",
    ]);
    // Nothing is left half-provisioned in memory either: the next request provisions afresh.
    expect((await provider.ingestEndpoint({ channelId: "chan-5", ownerId: "user-5" })).url).toBe(
      "rtmp://203.0.113.10:1935/live",
    );
    expect(liveChannels()).toBe(channelsBefore + 1);
  });
});

async function waitForState(standIn: MediaLiveStandIn, channelId: string, state: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (standIn.channels.get(channelId)?.state !== state) {
    if (Date.now() > deadline) throw new Error(`channel never reached ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
