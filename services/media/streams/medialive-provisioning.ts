/**
 * Creating the MediaLive resources of one broadcast: an RTMP-push input with
 * a secret stream name, behind the provider's input security group, and a
 * channel writing the ladder to S3, started. A failure part way removes what
 * was created, since nothing else would ever own (or stop paying for) it.
 */
import { randomBytes, randomUUID } from "node:crypto";
import {
  CreateChannelCommand,
  CreateInputCommand,
  CreateInputSecurityGroupCommand,
  DeleteChannelCommand,
  DeleteInputCommand,
  StartChannelCommand,
} from "@aws-sdk/client-medialive";
import type { AwsProviderOptions } from "./aws-provider-options";
import type { IngestAuthorization, IngestEndpoint } from "./media-provider";
import { buildChannelRequest } from "./medialive-channel-spec";

/** One broadcast's MediaLive resources, as the provider tracks them (in memory, found again by tags after a restart). */
export interface Provision {
  sessionId: string;
  authorization: IngestAuthorization;
  inputId: string;
  channelId: string;
  endpoint: IngestEndpoint;
  live: boolean;
  ended: boolean;
}

/** Creates and starts the input and channel; the caller records the provision. */
export async function provisionMediaLive(
  options: AwsProviderOptions,
  authorization: IngestAuthorization,
  securityGroupId: string,
): Promise<Provision> {
  const client = options.client;
  const sessionId = randomUUID();
  // The stream name is the secret: MediaLive has no key check of its own.
  const streamName = `live/${randomBytes(24).toString("base64url")}`;
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
          bucket: options.bucket,
          roleArn: options.roleArn,
          ladder: options.ladder,
          segmentSeconds: options.segmentSeconds,
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
          options.log.warn(`DeleteChannel ${channelId} after a failed start failed: ${(e as Error).message}`),
        );
    await client
      .send(new DeleteInputCommand({ InputId: inputId }))
      .catch((e: unknown) =>
        options.log.warn(`DeleteInput ${inputId} after a failed provision failed: ${(e as Error).message}`),
      );
    throw err;
  }
  const endpoint = splitIngestUrl(url);
  return {
    sessionId,
    authorization,
    inputId,
    channelId,
    endpoint,
    live: false,
    ended: false,
  };
}

/** The security group every input sits behind: only the configured CIDRs may push RTMP. */
export async function createInputSecurityGroup(options: AwsProviderOptions): Promise<string> {
  const created = await options.client.send(
    new CreateInputSecurityGroupCommand({
      WhitelistRules: options.inputCidrs.map((cidr) => ({ Cidr: cidr })),
      Tags: { "arena:purpose": "rtmp-ingest" },
    }),
  );
  const id = created.SecurityGroup?.Id;
  if (!id) throw new Error("MediaLive CreateInputSecurityGroup returned no id");
  return id;
}

/**
 * MediaLive gives one URL, rtmp://ip:1935/<app>/<name>; encoders want the
 * server (with the app) and the stream key (the last segment) apart.
 */
export function splitIngestUrl(url: string): IngestEndpoint {
  const lastSlash = url.lastIndexOf("/");
  return { url: url.slice(0, lastSlash), streamName: url.slice(lastSlash + 1) };
}
