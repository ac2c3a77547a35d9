/**
 * Mobile push through Firebase Cloud Messaging (HTTP v1 `messages:send`) with
 * firebase-admin. UNREGISTERED / invalid tokens delete the device; quota,
 * unavailable and internal errors retry.
 */
import { randomBytes } from "node:crypto";
import type { Agent } from "node:http";
import { applicationDefault, cert, deleteApp, initializeApp, type App, type Credential } from "firebase-admin/app";
import { getMessaging, type Messaging } from "firebase-admin/messaging";
import type { DeviceDoc } from "../notification.types";
import type { MobilePushProvider, PushMessage, PushOutcome } from "./provider";

export interface FcmOptions {
  projectId: string;
  /** Service account JSON file; unset: application default credentials. */
  credentialsFile?: string;
  /** Tests: a credential that needs no Google token endpoint. */
  credential?: Credential;
  /** Tests: where HTTPS requests go (a fake provider endpoint). */
  httpAgent?: Agent;
}

const INVALID_TOKEN = new Set(["messaging/registration-token-not-registered", "messaging/invalid-registration-token"]);
const PERMANENT = new Set([
  "messaging/invalid-argument",
  "messaging/invalid-payload",
  "messaging/payload-size-limit-exceeded",
  "messaging/mismatched-credential",
  "messaging/sender-id-mismatch",
  "messaging/third-party-auth-error",
]);

export class FcmProvider implements MobilePushProvider {
  readonly name = "fcm";
  private readonly app: App;
  private readonly messaging: Messaging;

  constructor(opts: FcmOptions) {
    const credential = opts.credential ?? (opts.credentialsFile ? cert(opts.credentialsFile) : applicationDefault());
    this.app = initializeApp(
      { projectId: opts.projectId, credential, ...(opts.httpAgent ? { httpAgent: opts.httpAgent } : {}) },
      `arena-fcm-${randomBytes(4).toString("hex")}`,
    );
    this.messaging = getMessaging(this.app);
  }

  async send(device: DeviceDoc, message: PushMessage): Promise<PushOutcome> {
    try {
      const id = await this.messaging.send({
        token: device.token,
        notification: { title: message.title, ...(message.body ? { body: message.body } : {}) },
        data: { notificationId: message.notificationId, type: message.type, url: message.url },
        android: { priority: "high", collapseKey: message.type },
      });
      return { status: "sent", providerId: id };
    } catch (err) {
      const code = (err as { code?: string }).code ?? "";
      const error = `${code}: ${(err as Error).message}`;
      if (INVALID_TOKEN.has(code)) return { status: "invalid", error };
      if (PERMANENT.has(code)) return { status: "failed", error };
      return { status: "retry", error };
    }
  }

  async close(): Promise<void> {
    await deleteApp(this.app);
  }
}
