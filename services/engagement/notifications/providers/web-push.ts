/**
 * Browser push through the Web Push protocol (RFC 8030) with web-push:
 * payloads encrypted aes128gcm (RFC 8291) to the subscription's keys, the
 * request signed with VAPID (RFC 8292). 404/410 mean the subscription is
 * gone (the device is deleted); 429 and 5xx retry.
 */
import { createECDH } from "node:crypto";
import type { Agent } from "node:https";
import webpush, { WebPushError } from "web-push";
import { p256ScalarAtFullWidth } from "../../../../lib/auth/p256-private-key";
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

/**
 * The VAPID private key as web-push signs with it: the P-256 scalar in exactly 32 bytes, base64url. Big-integer
 * encodings drop leading zero bytes (Node's ECDH getPrivateKey() gives a 31-byte key about once in 256) or add a
 * sign byte (33); web-push refuses any key that is not 32 bytes on every send, while the public key derived from
 * it looks fine: browsers would subscribe and never get a push. The same scalar is written out at its fixed
 * width instead; what is no P-256 private key at all throws, so the node refuses to start rather than fail
 * every push. The message never quotes the key (a secret).
 */
export function vapidPrivateKey32(privateKey: string): string {
  const invalid = (why: string) => new Error(`VAPID_PRIVATE_KEY is not a P-256 private key: ${why}`);
  if (!/^[A-Za-z0-9_+/-]+=*$/.test(privateKey)) throw invalid("not base64url");
  try {
    return p256ScalarAtFullWidth(Buffer.from(privateKey, "base64url")).toString("base64url");
  } catch (err) {
    throw invalid((err as Error).message);
  }
}

export class WebPushSender implements WebPushProvider {
  readonly name = "webpush";
  readonly publicKey: string;
  private readonly privateKey: string;

  constructor(private readonly opts: WebPushOptions) {
    this.privateKey = vapidPrivateKey32(opts.privateKey);
    this.publicKey = vapidPublicKey(this.privateKey);
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
          vapidDetails: { subject: this.opts.subject, publicKey: this.publicKey, privateKey: this.privateKey },
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
