/**
 * Mobile push through Amazon SNS platform endpoints: a device token becomes
 * a platform endpoint (CreatePlatformEndpoint, once, stored on the device),
 * then each push is a Publish to its ARN. EndpointDisabled (the platform
 * rejected the token) and NotFound delete the device; throttling and
 * server errors retry.
 */
import { CreatePlatformEndpointCommand, PublishCommand, SNSClient, type SNSClientConfig } from "@aws-sdk/client-sns";
import type { DeviceDoc } from "../notification.types";
import type { MobilePushProvider, PushMessage, PushOutcome } from "./provider";

export interface SnsOptions {
  platformApplicationArn: string;
  region: string;
  endpoint?: string;
  /** Tests: static credentials for a fake provider endpoint. */
  credentials?: SNSClientConfig["credentials"];
}

const INVALID = new Set(["EndpointDisabledException", "EndpointDisabled", "NotFoundException", "NotFound"]);
const PERMANENT = new Set(["InvalidParameterException", "InvalidParameter", "AuthorizationErrorException"]);

export class SnsProvider implements MobilePushProvider {
  readonly name = "sns";
  private readonly client: SNSClient;

  constructor(private readonly opts: SnsOptions) {
    this.client = new SNSClient({
      region: opts.region,
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
      maxAttempts: 1,
    });
  }

  async send(device: DeviceDoc, message: PushMessage): Promise<PushOutcome> {
    let endpointArn = device.endpointArn ?? undefined;
    try {
      if (!endpointArn) {
        const created = await this.client.send(
          new CreatePlatformEndpointCommand({
            PlatformApplicationArn: this.opts.platformApplicationArn,
            Token: device.token,
          }),
        );
        endpointArn = created.EndpointArn;
        if (!endpointArn) return { status: "retry", error: "CreatePlatformEndpoint returned no EndpointArn" };
      }
      const data = { notificationId: message.notificationId, type: message.type, url: message.url };
      const notification = { title: message.title, ...(message.body ? { body: message.body } : {}) };
      const sent = await this.client.send(
        new PublishCommand({
          TargetArn: endpointArn,
          MessageStructure: "json",
          Message: JSON.stringify({
            default: message.title,
            GCM: JSON.stringify({ notification, data }),
            APNS: JSON.stringify({ aps: { alert: notification }, ...data }),
          }),
        }),
      );
      return { status: "sent", providerId: sent.MessageId, endpointArn };
    } catch (err) {
      const name = (err as Error).name;
      const error = `${name}: ${(err as Error).message}`;
      if (INVALID.has(name)) return { status: "invalid", error };
      if (PERMANENT.has(name)) return { status: "failed", error, endpointArn };
      return { status: "retry", error, endpointArn };
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
