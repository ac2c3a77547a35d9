import { randomBytes, randomUUID } from "node:crypto";
import {
  CreateChannelCommand,
  CreateInputCommand,
  CreateInputSecurityGroupCommand,
  DeleteChannelCommand,
  DeleteInputCommand,
  DescribeChannelCommand,
  DescribeInputCommand,
  ListChannelsCommand,
  MediaLiveClient,
  StartChannelCommand,
  StopChannelCommand,
} from "@aws-sdk/client-medialive";
import { getSignedCookies, getSignedUrl } from "@aws-sdk/cloudfront-signer";
import type { ArenaConfig } from "../../../lib/config";
import { parseLadder, type Rendition } from "../../../lib/media/hls-ladder";
import type {
  IngestAuthorization,
  IngestEndpoint,
  MediaProvider,
  PlaybackCookies,
  ProviderCallbacks,
  RecordingHandover,
} from "./media-provider";
import { buildChannelRequest, TAG_CHANNEL, TAG_OWNER, TAG_SESSION } from "./medialive-channel-spec";

/**
 * Production live pipeline on AWS Elemental MediaLive. When the owner asks
 * for an ingest endpoint, a MediaLive RTMP-push input (with a secret stream
 * name) and a channel are created and started; the channel writes the HLS
 * ladder to S3 under `live/<sessionId>/` and a source-quality recording
 * under `recordings/<sessionId>/`. A poller keeps session state in sync with
 * the channel state (RUNNING = live, stopped = broadcaster gone), and
 * playback goes through CloudFront signed URLs.
 */
export interface AwsProviderOptions {
  client: MediaLiveClient;
  bucket: string;
  roleArn: string;
  /** CIDRs allowed to push RTMP to MediaLive inputs. */
  inputCidrs: string[];
  cloudfront: { domain: string; keyPairId: string; privateKey: string };
  urlTtlS: number;
  ladder: readonly Rendition[];
  segmentSeconds: number;
  pollIntervalMs: number;
  /** How long endSession waits for a stopping channel before deleting it. */
  stopTimeoutMs: number;
  /** Describe interval while waiting for a stop. */
  stopPollMs: number;
  log: { info(msg: string): void; warn(msg: string): void };
}

interface Provision {
  sessionId: string;
  authorization: IngestAuthorization;
  inputId: string;
  channelId: string;
  endpoint: IngestEndpoint;
  live: boolean;
  ended: boolean;
}

const STOPPED_STATES = new Set(["IDLE", "STOPPING", "DELETING", "DELETED", "CREATE_FAILED", "UPDATE_FAILED"]);

export class AwsMediaProvider implements MediaProvider {
  readonly kind = "aws" as const;
  private callbacks: ProviderCallbacks | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private securityGroupId: string | undefined;
  /** By session id. */
  private readonly provisions = new Map<string, Provision>();
  /** Provisioning in progress, by Arena channel id: a double-clicked "go live" must not pay for two MediaLive channels. */
  private readonly provisioning = new Map<string, Promise<IngestEndpoint>>();

  constructor(private readonly options: AwsProviderOptions) {}

  static fromConfig(
    config: ArenaConfig,
    tuning: { segmentSeconds: number; awsPollIntervalMs: number },
    log: AwsProviderOptions["log"],
  ): AwsMediaProvider {
    const { cloudfront, s3, awsRegion } = config.media;
    const missing = [
      !s3.bucket && "S3_BUCKET",
      !cloudfront.domain && "CLOUDFRONT_DOMAIN",
      !cloudfront.keyPairId && "CLOUDFRONT_KEY_PAIR_ID",
      !cloudfront.privateKey && "CLOUDFRONT_PRIVATE_KEY",
      !config.media.live.mediaLiveRoleArn && "MEDIALIVE_ROLE_ARN",
    ].filter(Boolean);
    if (missing.length > 0) throw new Error(`MEDIA_PROVIDER=aws needs ${missing.join(", ")}`);
    return new AwsMediaProvider({
      // Endpoint from the SDK's own resolution: AWS_ENDPOINT_URL_MEDIALIVE overrides it (tests, VPC endpoints).
      client: new MediaLiveClient({ region: awsRegion }),
      bucket: s3.bucket as string,
      roleArn: config.media.live.mediaLiveRoleArn as string,
      inputCidrs: config.media.live.mediaLiveInputCidrs,
      cloudfront: {
        domain: cloudfront.domain as string,
        keyPairId: cloudfront.keyPairId as string,
        privateKey: cloudfront.privateKey as string,
      },
      urlTtlS: config.media.urlTtlS,
      ladder: parseLadder(config.media.live.ladder),
      segmentSeconds: tuning.segmentSeconds,
      pollIntervalMs: tuning.awsPollIntervalMs,
      stopTimeoutMs: 120_000,
      stopPollMs: tuning.awsPollIntervalMs,
      log,
    });
  }

  async start(callbacks: ProviderCallbacks): Promise<void> {
    this.callbacks = callbacks;
    await this.adoptExistingChannels();
    this.pollTimer = setInterval(() => void this.pollOnce(), this.options.pollIntervalMs);
    this.pollTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  /** Provisions (or returns the channel's current) MediaLive input and channel, and starts it. */
  async ingestEndpoint(authorization: IngestAuthorization): Promise<IngestEndpoint> {
    for (const p of this.provisions.values())
      if (p.authorization.channelId === authorization.channelId && !p.ended) return p.endpoint;
    const inFlight = this.provisioning.get(authorization.channelId);
    if (inFlight) return inFlight;
    const work = this.provision(authorization).finally(() => this.provisioning.delete(authorization.channelId));
    this.provisioning.set(authorization.channelId, work);
    return work;
  }

  private async provision(authorization: IngestAuthorization): Promise<IngestEndpoint> {
    const client = this.options.client;
    const sessionId = randomUUID();
    // The stream name is the secret: MediaLive has no key check of its own.
    const streamName = `live/${randomBytes(24).toString("base64url")}`;
    const securityGroupId = await this.ensureSecurityGroup();
    const input = await client.send(
      new CreateInputCommand({
        Name: `arena-${sessionId}`,
        Type: "RTMP_PUSH",
        Destinations: [{ StreamName: streamName }],
        InputSecurityGroups: [securityGroupId],
        Tags: { "arena:session": sessionId },
      }),
    );
    const inputId = input.Input?.Id;
    const url = input.Input?.Destinations?.[0]?.Url;
    if (!inputId || !url) throw new Error("MediaLive CreateInput returned no input id or destination URL");
    let channelId: string | undefined;
    try {
      const channel = await client.send(
        new CreateChannelCommand(
          buildChannelRequest({
            sessionId,
            channelId: authorization.channelId,
            ownerId: authorization.ownerId,
            inputId,
            bucket: this.options.bucket,
            roleArn: this.options.roleArn,
            ladder: this.options.ladder,
            segmentSeconds: this.options.segmentSeconds,
          }),
        ),
      );
      channelId = channel.Channel?.Id;
      if (!channelId) throw new Error("MediaLive CreateChannel returned no channel id");
      await client.send(new StartChannelCommand({ ChannelId: channelId }));
    } catch (err) {
      // Half-provisioned resources are nobody's (no session, no provision entry): remove them, or they are billed forever.
      if (channelId)
        await client
          .send(new DeleteChannelCommand({ ChannelId: channelId }))
          .catch((e: unknown) =>
            this.options.log.warn(`DeleteChannel ${channelId} after a failed start failed: ${(e as Error).message}`),
          );
      await client
        .send(new DeleteInputCommand({ InputId: inputId }))
        .catch((e: unknown) =>
          this.options.log.warn(`DeleteInput ${inputId} after a failed provision failed: ${(e as Error).message}`),
        );
      throw err;
    }
    const endpoint = splitIngestUrl(url);
    this.provisions.set(sessionId, {
      sessionId,
      authorization,
      inputId,
      channelId,
      endpoint,
      live: false,
      ended: false,
    });
    this.options.log.info(`MediaLive channel ${channelId} provisioned for channel ${authorization.channelId}`);
    return endpoint;
  }

  /** One sync pass: MediaLive channel state → session lifecycle. */
  async pollOnce(): Promise<void> {
    const callbacks = this.callbacks;
    if (!callbacks) return;
    for (const p of this.provisions.values()) {
      if (p.ended) continue;
      let state: string | undefined;
      try {
        state = (await this.options.client.send(new DescribeChannelCommand({ ChannelId: p.channelId }))).State;
      } catch (err) {
        this.options.log.warn(`MediaLive DescribeChannel ${p.channelId} failed: ${(err as Error).message}`);
        continue;
      }
      if (state === "RUNNING" && !p.live) {
        p.live = true;
        await callbacks
          .publishStarted({ ...p.authorization, connectionId: p.channelId, sessionId: p.sessionId })
          .catch((err: unknown) => {
            p.live = false;
            this.options.log.warn(`Session for MediaLive channel ${p.channelId} refused: ${(err as Error).message}`);
          });
      } else if (state && STOPPED_STATES.has(state) && p.live) {
        p.live = false;
        callbacks.publishStopped({ sessionId: p.sessionId, connectionId: p.channelId });
      }
    }
  }

  playbackUrl(sessionId: string, nowS = Math.floor(Date.now() / 1000)): string {
    const { keyPairId, privateKey } = this.options.cloudfront;
    const { base, policy } = this.sessionPolicy(sessionId, nowS);
    return getSignedUrl({ url: `${base}master.m3u8`, keyPairId, privateKey, policy });
  }

  /** The same custom policy as the URL, as cookies scoped to the session's folder (relative segment URIs carry no query). */
  playbackCookies(sessionId: string, nowS = Math.floor(Date.now() / 1000)): PlaybackCookies {
    const { domain, keyPairId, privateKey } = this.options.cloudfront;
    const { policy, expiresAtS } = this.sessionPolicy(sessionId, nowS);
    const signed = getSignedCookies({ keyPairId, privateKey, policy });
    const values: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed)) if (value !== undefined) values[name] = String(value);
    return { domain, path: `/live/${sessionId}/`, expiresAt: new Date(expiresAtS * 1000).toISOString(), values };
  }

  /** A custom policy on the session folder: one signature covers every playlist and segment of the session. */
  sessionPolicy(sessionId: string, nowS: number): { base: string; policy: string; expiresAtS: number } {
    const base = `https://${this.options.cloudfront.domain}/live/${sessionId}/`;
    const expiresAtS = nowS + this.options.urlTtlS;
    const policy = JSON.stringify({
      Statement: [{ Resource: `${base}*`, Condition: { DateLessThan: { "AWS:EpochTime": expiresAtS } } }],
    });
    return { base, policy, expiresAtS };
  }

  async endSession(sessionId: string): Promise<RecordingHandover | null> {
    const p = this.provisions.get(sessionId);
    if (!p || p.ended) return null;
    p.ended = true;
    const client = this.options.client;
    await client.send(new StopChannelCommand({ ChannelId: p.channelId })).catch(() => undefined);
    // DeleteChannel needs IDLE; StopChannel takes a while on AWS.
    const deadline = Date.now() + this.options.stopTimeoutMs;
    for (;;) {
      const state = (await client.send(new DescribeChannelCommand({ ChannelId: p.channelId }))).State;
      if (state === "IDLE" || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, this.options.stopPollMs));
    }
    await client.send(new DeleteChannelCommand({ ChannelId: p.channelId }));
    await client
      .send(new DeleteInputCommand({ InputId: p.inputId }))
      .catch((err: unknown) => this.options.log.warn(`DeleteInput ${p.inputId} failed: ${(err as Error).message}`));
    this.provisions.delete(sessionId);
    return { storageKey: `recordings/${sessionId}/source.m3u8`, durationS: null };
  }

  dropPublisher(sessionId: string): void {
    const p = this.provisions.get(sessionId);
    if (p) void this.options.client.send(new StopChannelCommand({ ChannelId: p.channelId })).catch(() => undefined);
  }

  /**
   * Provisions live in this process's memory; after a restart the channels
   * we created are found again by their tags, so polling, playback and
   * teardown carry on (a RUNNING one is reported live again; the service
   * resumes or reopens the session).
   */
  private async adoptExistingChannels(): Promise<void> {
    let nextToken: string | undefined;
    do {
      const page = await this.options.client.send(new ListChannelsCommand({ NextToken: nextToken, MaxResults: 100 }));
      nextToken = page.NextToken;
      for (const summary of page.Channels ?? []) {
        const tags = summary.Tags ?? {};
        const sessionId = tags[TAG_SESSION];
        const inputId = summary.InputAttachments?.[0]?.InputId;
        if (
          !sessionId ||
          !summary.Id ||
          !inputId ||
          !tags[TAG_CHANNEL] ||
          !tags[TAG_OWNER] ||
          this.provisions.has(sessionId)
        )
          continue;
        if (summary.State === "DELETING" || summary.State === "DELETED") continue;
        const input = await this.options.client.send(new DescribeInputCommand({ InputId: inputId }));
        const url = input.Destinations?.[0]?.Url;
        if (!url) continue;
        this.provisions.set(sessionId, {
          sessionId,
          inputId,
          channelId: summary.Id,
          live: false,
          ended: false,
          authorization: { channelId: tags[TAG_CHANNEL], ownerId: tags[TAG_OWNER] },
          endpoint: splitIngestUrl(url),
        });
        this.options.log.info(`Adopted MediaLive channel ${summary.Id} of session ${sessionId}`);
      }
    } while (nextToken);
  }

  private async ensureSecurityGroup(): Promise<string> {
    if (this.securityGroupId) return this.securityGroupId;
    const created = await this.options.client.send(
      new CreateInputSecurityGroupCommand({
        WhitelistRules: this.options.inputCidrs.map((cidr) => ({ Cidr: cidr })),
        Tags: { "arena:purpose": "rtmp-ingest" },
      }),
    );
    const id = created.SecurityGroup?.Id;
    if (!id) throw new Error("MediaLive CreateInputSecurityGroup returned no id");
    this.securityGroupId = id;
    return id;
  }
}

/**
 * MediaLive gives one URL, rtmp://ip:1935/<app>/<name>; encoders want the
 * server (with the app) and the stream key (the last segment) apart.
 */
export function splitIngestUrl(url: string): IngestEndpoint {
  const lastSlash = url.lastIndexOf("/");
  return { url: url.slice(0, lastSlash), streamName: url.slice(lastSlash + 1) };
}
