/**
 * Production live pipeline on AWS Elemental MediaLive. When the owner asks
 * for an ingest endpoint, a MediaLive RTMP-push input (with a secret stream
 * name) and a channel are created and started; the channel writes the HLS
 * ladder to S3 under `live/<sessionId>/` and a source-quality recording
 * under `recordings/<sessionId>/`. A poller keeps session state in sync with
 * the channel state (RUNNING = live, stopped = broadcaster gone), and
 * playback goes through CloudFront signed URLs. This file keeps the
 * provider's state and its lifecycle; creating resources, finding them again
 * after a restart and signing playback live in the files it imports.
 */
import {
  DeleteChannelCommand,
  DeleteInputCommand,
  DescribeChannelCommand,
  StopChannelCommand,
} from "@aws-sdk/client-medialive";
import type { ArenaConfig } from "../../../lib/config";
import { awsProviderOptions, type AwsProviderOptions } from "./aws-provider-options";
import { signedPlaybackCookies, signedPlaybackUrl } from "./cloudfront-playback";
import type {
  IngestAuthorization,
  IngestEndpoint,
  MediaProvider,
  PlaybackCookies,
  ProviderCallbacks,
  RecordingHandover,
} from "./media-provider";
import { adoptTaggedChannels } from "./medialive-adoption";
import { createInputSecurityGroup, provisionMediaLive, type Provision } from "./medialive-provisioning";

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
    return new AwsMediaProvider(awsProviderOptions(config, tuning, log));
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
    const securityGroupId = await this.ensureSecurityGroup();
    const provision = await provisionMediaLive(this.options, authorization, securityGroupId);
    this.provisions.set(provision.sessionId, provision);
    this.options.log.info(
      `MediaLive channel ${provision.channelId} provisioned for channel ${authorization.channelId}`,
    );
    return provision.endpoint;
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
    return signedPlaybackUrl(this.options, sessionId, nowS);
  }

  playbackCookies(sessionId: string, nowS = Math.floor(Date.now() / 1000)): PlaybackCookies {
    return signedPlaybackCookies(this.options, sessionId, nowS);
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

  private async adoptExistingChannels(): Promise<void> {
    await adoptTaggedChannels(this.options, this.provisions);
  }

  private async ensureSecurityGroup(): Promise<string> {
    if (this.securityGroupId) return this.securityGroupId;
    const id = await createInputSecurityGroup(this.options);
    this.securityGroupId = id;
    return id;
  }
}
