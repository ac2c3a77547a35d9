/**
 * A push provider sends one notification to one device and says what became
 * of it: sent, the token is dead (the device is deleted), or try again later.
 */
import type { DeviceDoc } from "../notification.types";

export interface PushMessage {
  notificationId: string;
  type: string;
  title: string;
  body: string | null;
  /** Absolute URL of the web client page the notification opens. */
  url: string;
  unreadCount?: number;
}

export type PushOutcome = (
  | { status: "sent"; providerId?: string }
  /** The token or subscription is dead: the device is deleted. */
  | { status: "invalid"; error: string }
  /** This message cannot be delivered (refused as malformed, too large): no retry, the device stays. */
  | { status: "failed"; error: string }
  /** Transient (outage, throttling): retried with backoff. */
  | { status: "retry"; error: string }
) & {
  /** SNS: the platform endpoint created for the device on this send (stored on the device). */
  endpointArn?: string;
};

export interface PushProvider {
  /** "fcm", "sns" or "webpush": recorded with every attempt. */
  readonly name: string;
  send(device: DeviceDoc, message: PushMessage): Promise<PushOutcome>;
  close(): Promise<void>;
}

export type MobilePushProvider = PushProvider;

export interface WebPushProvider extends PushProvider {
  /** The VAPID public key browsers subscribe with (applicationServerKey). */
  readonly publicKey: string;
}

export interface PushProviders {
  mobile: MobilePushProvider | null;
  web: WebPushProvider | null;
}

export async function closeProviders(providers: PushProviders): Promise<void> {
  await Promise.allSettled([providers.mobile?.close(), providers.web?.close()]);
}
