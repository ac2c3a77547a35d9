/**
 * Browser push through the Web Push protocol (RFC 8030) with web-push:
 * payloads encrypted aes128gcm (RFC 8291) to the subscription's keys, the
 * request signed with VAPID (RFC 8292). 404/410 mean the subscription is
 * gone (the device is deleted); 429 and 5xx retry.
 */
import { createECDH } from "node:crypto";
import type { Agent } from "node:https";
import webpush, { WebPushError } from "web-push";
import type { DeviceDoc } from "../notification.types";
import type { PushMessage, PushOutcome, WebPushProvider } from "./provider";

export interface WebPushOptions {
  /** P-256 private key, base64url (VAPID_PRIVATE_KEY). */
  privateKey: string;
  subject: string;
  /** Seconds a push service keeps an undelivered message. */
  ttlS?: number;
  /** Tests: where HTTPS requests go (a fake provider endpoint). */
  agent?: Agent;
}

/** The uncompressed public point of a P-256 private key, base64url (what browsers pass as applicationServerKey). */
export function vapidPublicKey(privateKey: string): string {
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(Buffer.from(privateKey, "base64url"));
  return ecdh.getPublicKey().toString("base64url");
}

export class WebPushSender implements WebPushProvider {
  readonly name = "webpush";
  readonly publicKey: string;

  constructor(private readonly opts: WebPushOptions) {
    this.publicKey = vapidPublicKey(opts.privateKey);
  }

  async send(device: DeviceDoc, message: PushMessage): Promise<PushOutcome> {
    if (!device.p256dh || !device.auth) return { status: "invalid", error: "subscription without keys" };
    const payload = JSON.stringify({
      id: message.notificationId,
      type: message.type,
      title: message.title,
      body: message.body,
      url: message.url,
    });
    try {
      const res = await webpush.sendNotification(
        { endpoint: device.token, keys: { p256dh: device.p256dh, auth: device.auth } },
        payload,
        {
          vapidDetails: { subject: this.opts.subject, publicKey: this.publicKey, privateKey: this.opts.privateKey },
          TTL: this.opts.ttlS ?? 3600,
          contentEncoding: "aes128gcm",
          timeout: 10_000,
          ...(this.opts.agent ? { agent: this.opts.agent } : {}),
        },
      );
      return { status: "sent", providerId: res.headers.location ?? undefined };
    } catch (err) {
      if (err instanceof WebPushError) {
        const error = `HTTP ${err.statusCode}: ${err.body || err.message}`.slice(0, 300);
        if (err.statusCode === 404 || err.statusCode === 410) return { status: "invalid", error };
        if (err.statusCode === 429 || err.statusCode >= 500) return { status: "retry", error };
        return { status: "failed", error };
      }
      return { status: "retry", error: (err as Error).message };
    }
  }

  async close(): Promise<void> {}
}
