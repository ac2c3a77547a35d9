/**
 * The caller's push targets. Tokens and subscriptions are checked before
 * they are stored (a 400 otherwise): FCM/APNs token syntax; a Web Push
 * subscription needs an https endpoint, a P-256 public key on the curve and
 * a 16-byte auth secret. A user keeps at most maxDevicesPerUser devices
 * (registering one more replaces the least recently used); a token
 * registered again, by anyone, moves to the latest registrant.
 */
import { createECDH, randomUUID } from "node:crypto";
import { NotFoundError, ValidationError, type ErrorDetail } from "../../../lib/errors";
import { callerId } from "./inbox-actions";
import type { NotificationsContext, NotificationsThis } from "./notifications.context";
import { toDeviceView, type DeviceDoc, type DeviceKind, type DeviceView } from "./notification.types";

export interface RegisterDeviceParams {
  kind: DeviceKind;
  platform?: "fcm" | "apns";
  token?: string;
  subscription?: { endpoint: string; keys: { p256dh: string; auth: string } };
  label?: string;
}

const FCM_TOKEN = /^[A-Za-z0-9_:-]{32,4096}$/;
const APNS_TOKEN = /^[0-9a-fA-F]{64,200}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

function bad(details: ErrorDetail[]): never {
  throw new ValidationError("Invalid device", details);
}

function isP256Point(key: Buffer): boolean {
  if (key.length !== 65 || key[0] !== 0x04) return false;
  try {
    // computeSecret refuses a point that is not on the curve.
    const probe = createECDH("prime256v1");
    probe.generateKeys();
    probe.computeSecret(key);
    return true;
  } catch {
    return false;
  }
}

interface ValidDevice {
  kind: DeviceKind;
  platform: string;
  token: string;
  p256dh: string | null;
  auth: string | null;
}

export function validateDevice(p: RegisterDeviceParams): ValidDevice {
  if (p.kind === "mobile") {
    const platform = p.platform ?? "fcm";
    if (!p.token) bad([{ field: "token", message: "A mobile device needs its push token" }]);
    const ok = platform === "apns" ? APNS_TOKEN.test(p.token) : FCM_TOKEN.test(p.token);
    if (!ok) bad([{ field: "token", message: `Not an ${platform.toUpperCase()} registration token` }]);
    return { kind: "mobile", platform, token: p.token, p256dh: null, auth: null };
  }
  const sub = p.subscription;
  if (!sub) bad([{ field: "subscription", message: "A browser needs its PushSubscription (endpoint and keys)" }]);
  let url: URL | undefined;
  try {
    url = new URL(sub.endpoint);
  } catch {
    url = undefined;
  }
  const problems: ErrorDetail[] = [];
  if (!url || url.protocol !== "https:" || url.username || url.password)
    problems.push({ field: "subscription.endpoint", message: "Must be an https URL" });
  const key = BASE64URL.test(sub.keys.p256dh) ? Buffer.from(sub.keys.p256dh, "base64url") : Buffer.alloc(0);
  if (!isP256Point(key))
    problems.push({
      field: "subscription.keys.p256dh",
      message: "Must be an uncompressed P-256 public key (base64url)",
    });
  const auth = BASE64URL.test(sub.keys.auth) ? Buffer.from(sub.keys.auth, "base64url") : Buffer.alloc(0);
  if (auth.length !== 16) problems.push({ field: "subscription.keys.auth", message: "Must be 16 bytes (base64url)" });
  if (problems.length > 0) bad(problems);
  return { kind: "web", platform: "webpush", token: sub.endpoint, p256dh: sub.keys.p256dh, auth: sub.keys.auth };
}

interface DeviceRow {
  id: string;
  user_id: string;
  kind: DeviceKind;
  platform: string;
  token: string;
  p256dh: string | null;
  auth: string | null;
  endpoint_arn: string | null;
  label: string | null;
  last_used_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function toDoc(r: DeviceRow): DeviceDoc {
  return {
    id: r.id,
    userId: r.user_id,
    kind: r.kind,
    platform: r.platform,
    token: r.token,
    p256dh: r.p256dh,
    auth: r.auth,
    endpointArn: r.endpoint_arn,
    label: r.label,
    lastUsedAt: r.last_used_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function registerDevice(
  svc: NotificationsThis,
  ctx: NotificationsContext<RegisterDeviceParams>,
): Promise<DeviceView> {
  const userId = callerId(ctx);
  const device = validateDevice(ctx.params);
  return svc.db.transaction(async () => {
    // Serialises one user's registrations so the cap holds under concurrent calls.
    await svc.db.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`notifications:devices:${userId}`]);
    const [row] = await svc.db.query<DeviceRow>(
      `INSERT INTO devices (id, user_id, kind, platform, token, p256dh, auth, label, last_used_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       ON CONFLICT (kind, token) DO UPDATE SET user_id = $2, platform = $4, p256dh = $6, auth = $7,
         label = COALESCE($8, devices.label), last_used_at = now(), updated_at = now(),
         endpoint_arn = CASE WHEN devices.user_id = $2 THEN devices.endpoint_arn ELSE NULL END
       RETURNING *`,
      [
        randomUUID(),
        userId,
        device.kind,
        device.platform,
        device.token,
        device.p256dh,
        device.auth,
        ctx.params.label ?? null,
      ],
    );
    await svc.db.query(
      `DELETE FROM devices WHERE id IN (
         SELECT id FROM devices WHERE user_id = $1
          ORDER BY COALESCE(last_used_at, created_at) DESC, created_at DESC OFFSET $2)`,
      [userId, svc.settings.maxDevicesPerUser],
    );
    return toDeviceView(toDoc(row as DeviceRow));
  });
}

export async function listDevices(svc: NotificationsThis, ctx: NotificationsContext): Promise<{ items: DeviceView[] }> {
  const rows = await svc.db.query<DeviceRow>("SELECT * FROM devices WHERE user_id = $1 ORDER BY created_at, id", [
    callerId(ctx),
  ]);
  return { items: rows.map((r) => toDeviceView(toDoc(r))) };
}

export async function removeDevice(
  svc: NotificationsThis,
  ctx: NotificationsContext<{ id: string }>,
): Promise<{ id: string; deleted: true }> {
  const rows = await svc.db.query<{ id: string }>("DELETE FROM devices WHERE id = $1 AND user_id = $2 RETURNING id", [
    ctx.params.id,
    callerId(ctx),
  ]);
  if (rows.length === 0) throw new NotFoundError("Device", ctx.params.id);
  return { id: ctx.params.id, deleted: true };
}

/** What a browser subscribes with; null while Web Push is off (no VAPID key). */
export function webPushKey(svc: NotificationsThis): { publicKey: string | null } {
  return { publicKey: svc.providers.web?.publicKey ?? null };
}
