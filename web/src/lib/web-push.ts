/**
 * Browser push on this device: the service worker (/sw.js, web/public/sw.js)
 * shows what the notifications service sends through the Web Push protocol.
 * Turning it on asks for permission, subscribes with the server's VAPID
 * public key (GET /notifications/web-push-key) and registers the
 * subscription as a device (POST /me/devices); turning it off removes the
 * device and drops the subscription. Logging out does the same, so a shared
 * browser stops showing the previous user's alerts.
 *
 * No device id is stored in the browser (nothing in Web Storage): the
 * subscription is the key. POST /me/devices with the same endpoint answers
 * the existing device, whose id the DELETE then uses.
 */
import { api } from "../api/http";
import { currentUser } from "../api/session";

export type PushState =
  /** No service worker, Push API or Notification API here (or not a secure context). */
  | "unsupported"
  /** The server has no VAPID key: Web Push is off there. */
  | "unavailable"
  /** The person refused notifications for this site (only the browser's settings can undo it). */
  | "denied"
  | "off"
  | "on";

const SW_URL = "/sw.js";

export function pushSupported(): boolean {
  return (
    typeof window !== "undefined" &&
    window.isSecureContext &&
    "serviceWorker" in navigator &&
    "PushManager" in window &&
    "Notification" in window
  );
}

export async function serverKey(): Promise<string | null> {
  return (await api("get /api/v1/notifications/web-push-key")).publicKey;
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function sameKey(sub: PushSubscription, key: string): boolean {
  const current = sub.options.applicationServerKey;
  if (!current) return false;
  const a = new Uint8Array(current);
  const b = keyBytes(key);
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

async function registration(): Promise<ServiceWorkerRegistration | undefined> {
  return navigator.serviceWorker.getRegistration("/");
}

/** This browser's subscription, if the worker is installed and subscribed. */
export async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  return (await (await registration())?.pushManager.getSubscription()) ?? null;
}

export async function pushState(key: string | null): Promise<PushState> {
  if (!pushSupported()) return "unsupported";
  if (!key) return "unavailable";
  if (Notification.permission === "denied") return "denied";
  const sub = await currentSubscription();
  return sub && Notification.permission === "granted" && sameKey(sub, key) ? "on" : "off";
}

function label(): string {
  const ua = navigator.userAgent;
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Firefox\//.test(ua)
      ? "Firefox"
      : /Chrom(e|ium)\//.test(ua)
        ? "Chrome"
        : /Safari\//.test(ua)
          ? "Safari"
          : "Browser";
  const os = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad/.test(ua)
      ? "iOS"
      : /Mac OS/.test(ua)
        ? "macOS"
        : /Windows/.test(ua)
          ? "Windows"
          : /Linux/.test(ua)
            ? "Linux"
            : "";
  return os ? `${browser} on ${os}` : browser;
}

function asDevice(sub: PushSubscription) {
  const json = sub.toJSON();
  const p256dh = json.keys?.p256dh;
  const auth = json.keys?.auth;
  if (!json.endpoint || !p256dh || !auth) throw new Error("The browser gave a subscription without keys");
  return { kind: "web" as const, subscription: { endpoint: json.endpoint, keys: { p256dh, auth } }, label: label() };
}

/** Asks for permission, subscribes with the server's key and registers the device. */
export async function enablePush(key: string): Promise<void> {
  const permission = await Notification.requestPermission();
  if (permission !== "granted")
    throw new Error(permission === "denied" ? "Notifications are blocked for this site" : "Permission not given");
  const reg = await navigator.serviceWorker.register(SW_URL, { scope: "/" });
  await navigator.serviceWorker.ready;
  let sub = await reg.pushManager.getSubscription();
  // A subscription made with another key (the server's VAPID key changed) cannot be used: start over.
  if (sub && !sameKey(sub, key)) {
    await sub.unsubscribe();
    sub = null;
  }
  sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  await api("post /api/v1/me/devices", { body: asDevice(sub) });
}

/** Removes this browser's device from the account and drops the subscription. */
export async function disablePush(): Promise<void> {
  const sub = await currentSubscription();
  if (!sub) return;
  if (currentUser.value) {
    const device = await api("post /api/v1/me/devices", { body: asDevice(sub) });
    await api("delete /api/v1/me/devices/{id}", { path: { id: device.id } });
  }
  await sub.unsubscribe();
}
