/**
 * Mobile and browser pushes through the real SDKs (firebase-admin,
 * @aws-sdk/client-sns, web-push) against fake provider endpoints speaking
 * FCM HTTP v1, SNS and the Web Push protocol (test/helpers/fake-push-endpoints.ts):
 * sent, retried with backoff, invalid tokens deleted, every attempt shown on
 * GET /me/notifications/:id; devices validated (400) and capped.
 */
import { createECDH } from "node:crypto";
import { FcmProvider } from "../../../../services/engagement/notifications/providers/fcm";
import { SnsProvider } from "../../../../services/engagement/notifications/providers/sns";
import { WebPushSender } from "../../../../services/engagement/notifications/providers/web-push";
import type {
  DeviceView,
  NotificationDetail,
  NotificationView,
} from "../../../../services/engagement/notifications/notification.types";
import type { CursorPage } from "../../../../lib/pagination";
import {
  LocalRedirectAgent,
  startFakeFcm,
  startFakeSns,
  startFakeWebPush,
  type FakeFcm,
  type FakeSns,
  type FakeWebPush,
} from "../../../helpers/fake-push-endpoints";
import { waitFor } from "../../../helpers/infra";
import {
  channelWithFollowers,
  startNotifications,
  streamStarted,
  type Actor,
  type NotificationsHarness,
} from "./notifications-harness";

jest.setTimeout(90_000);

const MAX_DEVICES = 3;
const fcmToken = (n: string) => `fcm-${n}-${"x".repeat(60)}`;
/** As Node writes it: one key in ~256 lacks its leading zero byte, and the sender takes it (web-push-key.test.ts). */
const vapidPrivateKey = (): string => {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return ecdh.getPrivateKey().toString("base64url");
};

async function latest(a: Actor): Promise<NotificationView> {
  const page = await a.api.request<CursorPage<NotificationView>>("GET", "/me/notifications?limit=1");
  return page.body.items[0] as NotificationView;
}

async function detail(a: Actor, id: string): Promise<NotificationDetail> {
  const res = await a.api.request<NotificationDetail>("GET", `/me/notifications/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function devices(a: Actor): Promise<DeviceView[]> {
  return (await a.api.request<{ items: DeviceView[] }>("GET", "/me/devices")).body.items;
}

describe("FCM and Web Push (fake provider endpoints)", () => {
  let h: NotificationsHarness;
  let fcm: FakeFcm;
  let web: FakeWebPush;

  beforeAll(async () => {
    [fcm, web] = await Promise.all([startFakeFcm(), startFakeWebPush()]);
    const privateKey = vapidPrivateKey();
    h = await startNotifications({
      noRealtime: true,
      checkResponses: true,
      settings: { maxDevicesPerUser: MAX_DEVICES, pushMaxAttempts: 4 },
      providers: () => ({
        mobile: new FcmProvider({
          projectId: fcm.projectId,
          credential: { getAccessToken: async () => ({ access_token: fcm.accessToken, expires_in: 3600 }) },
          httpAgent: new LocalRedirectAgent(fcm.port),
        }),
        web: new WebPushSender({
          privateKey,
          subject: "mailto:ops@arena.example",
          agent: new LocalRedirectAgent(web.port),
        }),
      }),
    });
  });

  /** A wait that timed out, with what the push worker recorded (the sender's error, or what the endpoint refused). */
  async function explain(actor: Actor, err: unknown): Promise<never> {
    const n = await latest(actor).catch(() => undefined);
    const d = n ? await detail(actor, n.id).catch(() => undefined) : undefined;
    const attempts = JSON.stringify(d?.delivery.attempts ?? "no notification");
    throw new Error(`${(err as Error).message}; refused: ${JSON.stringify(web.refused)}; attempts: ${attempts}`);
  }

  afterAll(async () => {
    await h?.stop();
    await Promise.all([fcm?.close(), web?.close()]);
  });

  it("delivers a go-live to the follower's phone (FCM) and browser (Web Push, VAPID + aes128gcm), status on the notification", async () => {
    const { owner, channelId, slug, followers } = await channelWithFollowers(h, 1);
    const f = followers[0] as Actor;
    const phone = await f.api.request<DeviceView>("POST", "/me/devices", {
      kind: "mobile",
      platform: "fcm",
      token: fcmToken("ok"),
      label: "Pixel",
    });
    expect(phone.status).toBe(200);
    const browser = web.subscriber();
    expect(
      (await f.api.request("POST", "/me/devices", { kind: "web", subscription: browser.subscription })).status,
    ).toBe(200);

    await h.publish("stream.started", streamStarted(channelId, owner.id, "sess-push"));
    await waitFor(() => fcm.received.some((m) => m.token === fcmToken("ok")), { what: "FCM message" });
    await waitFor(() => web.deliveries.some((d) => d.subscriptionId === browser.id), { what: "web push" }).catch(
      (err: unknown) => explain(f, err),
    );
    const message = fcm.received.find((m) => m.token === fcmToken("ok"));
    expect(message?.notification?.title).toBe(`Channel ${slug} is live`);
    expect(message?.data?.url).toBe(`https://arena.example/c/${slug}`);
    const delivery = web.deliveries.find((d) => d.subscriptionId === browser.id);
    expect(delivery?.payload).toMatchObject({ type: "stream.live", url: `https://arena.example/c/${slug}` });
    expect(delivery?.jwt).toMatchObject({ aud: web.origin, sub: "mailto:ops@arena.example" });
    expect(web.refused).toEqual([]);

    const n = await latest(f);
    await waitFor(async () => (await detail(f, n.id)).delivery.pushes.every((p) => p.state === "sent"));
    const d = await detail(f, n.id);
    expect(d.delivery.pushes.map((p) => p.kind).sort()).toEqual(["mobile", "web"]);
    expect(d.delivery.attempts.map((a) => [a.provider, a.status]).sort()).toEqual([
      ["fcm", "sent"],
      ["webpush", "sent"],
    ]);
    // Nobody else sees the status.
    expect((await owner.api.request("GET", `/me/notifications/${n.id}`)).status).toBe(404);
  });

  it("retries FCM server errors with backoff, deletes an UNREGISTERED token and a gone (410) subscription", async () => {
    const { owner, channelId, followers } = await channelWithFollowers(h, 2);
    const [flaky, stale] = followers as [Actor, Actor];
    fcm.failing.set(fcmToken("flaky"), 2);
    fcm.unregistered.add(fcmToken("stale"));
    await flaky.api.request("POST", "/me/devices", { kind: "mobile", token: fcmToken("flaky") });
    await stale.api.request("POST", "/me/devices", { kind: "mobile", token: fcmToken("stale") });
    const goneSub = web.subscriber();
    await stale.api.request("POST", "/me/devices", { kind: "web", subscription: goneSub.subscription });
    web.gone.add(goneSub.id);

    await h.publish("stream.started", streamStarted(channelId, owner.id, "sess-faults"));
    // In-app delivery does not wait for the providers.
    await waitFor(async () => (await latest(flaky))?.type === "stream.live", { what: "inbox row" });

    const flakyN = await latest(flaky);
    await waitFor(async () => (await detail(flaky, flakyN.id)).delivery.pushes[0]?.state === "sent", {
      what: "sent after retries",
    });
    const flakyDetail = await detail(flaky, flakyN.id);
    expect(flakyDetail.delivery.pushes[0]?.attempts).toBe(3);
    expect(flakyDetail.delivery.attempts.map((a) => a.status)).toEqual(["retry", "retry", "sent"]);
    expect(flakyDetail.delivery.attempts[0]?.error).toMatch(/internal/i);

    const staleN = await latest(stale);
    await waitFor(async () => (await devices(stale)).length === 0, { what: "dead devices deleted" }).catch(
      (err: unknown) => explain(stale, err),
    );
    const staleDetail = await detail(stale, staleN.id);
    expect(staleDetail.delivery.pushes.map((p) => p.state)).toEqual(["invalid", "invalid"]);
    expect(staleDetail.delivery.attempts.map((a) => a.error).join(" ")).toMatch(/registration-token-not-registered/);
    expect(staleDetail.delivery.attempts.map((a) => a.error).join(" ")).toMatch(/HTTP 410/);
  });

  it("refuses malformed tokens and subscriptions with 400, caps devices per user, scopes removal to the owner", async () => {
    const a = await h.actor("dev");
    const b = await h.actor("other");
    const sub = web.subscriber().subscription;
    const notOnCurve = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString("base64url");
    const bad: Array<Record<string, unknown>> = [
      { kind: "mobile", token: "short" },
      { kind: "mobile", token: "bad token with spaces and more than thirty two chars" },
      { kind: "mobile", platform: "apns", token: "zz".repeat(32) },
      { kind: "mobile" },
      { kind: "web" },
      { kind: "web", subscription: { ...sub, endpoint: "http://push.example.test/x" } },
      { kind: "web", subscription: { ...sub, endpoint: "not a url" } },
      { kind: "web", subscription: { ...sub, keys: { ...sub.keys, p256dh: notOnCurve } } },
      { kind: "web", subscription: { ...sub, keys: { ...sub.keys, auth: "c2hvcnQ" } } },
      { kind: "desktop", token: fcmToken("k") },
    ];
    for (const body of bad) {
      const res = await a.api.request("POST", "/me/devices", body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
    }
    expect(await devices(a)).toHaveLength(0);

    for (let i = 0; i < MAX_DEVICES + 2; i++)
      expect((await a.api.request("POST", "/me/devices", { kind: "mobile", token: fcmToken(`cap${i}`) })).status).toBe(
        200,
      );
    const kept = await devices(a);
    expect(kept).toHaveLength(MAX_DEVICES);
    const id = (kept[0] as DeviceView).id;
    expect((await b.api.request("DELETE", `/me/devices/${id}`)).status).toBe(404);
    expect((await a.api.request("DELETE", `/me/devices/${id}`)).status).toBe(200);
    expect(await devices(a)).toHaveLength(MAX_DEVICES - 1);
    expect(
      (await a.api.as(undefined).request("POST", "/me/devices", { kind: "mobile", token: fcmToken("anon") })).status,
    ).toBe(401);
  });

  it("answered as the OpenAPI document declares: devices, delivery status (issue 9)", () => {
    expect(h.responses?.violationsOf("notifications.")).toEqual([]);
    expect(h.responses?.answered.has("POST /api/v1/me/devices")).toBe(true);
    expect(h.responses?.answered.has("DELETE /api/v1/me/devices/{id}")).toBe(true);
    expect(h.responses?.answered.has("GET /api/v1/me/notifications/{id}")).toBe(true);
  });
});

describe("SNS platform endpoints (fake provider endpoint)", () => {
  let h: NotificationsHarness;
  let sns: FakeSns;

  beforeAll(async () => {
    sns = await startFakeSns();
    h = await startNotifications({
      noRealtime: true,
      providers: () => ({
        mobile: new SnsProvider({
          platformApplicationArn: sns.platformApplicationArn,
          region: "us-east-1",
          endpoint: sns.endpoint,
          credentials: { accessKeyId: "AKIDFAKE", secretAccessKey: "fake-secret" },
        }),
        web: null,
      }),
    });
  });

  afterAll(async () => {
    await h?.stop();
    await sns?.close();
  });

  it("registers the token as a platform endpoint once, publishes to it, and deletes the device on EndpointDisabled", async () => {
    const { owner, channelId, slug, followers } = await channelWithFollowers(h, 1);
    const f = followers[0] as Actor;
    await f.api.request("POST", "/me/devices", { kind: "mobile", token: fcmToken("sns") });
    await h.publish("stream.started", streamStarted(channelId, owner.id, "sess-sns-1"));
    await waitFor(() => sns.published.length === 1, { what: "SNS publish" });
    const arn = sns.endpoints.get(fcmToken("sns"));
    expect(sns.published[0]?.targetArn).toBe(arn);
    const gcm = JSON.parse(sns.published[0]?.message.GCM ?? "{}") as { notification: { title: string } };
    expect(gcm.notification.title).toBe(`Channel ${slug} is live`);
    // The worker stores the endpoint it created once the send has answered, so the row follows the publish.
    const storedArn = async (): Promise<string | null | undefined> => {
      const [stored] = await h.notifications.db.query<{ endpoint_arn: string | null }>(
        "SELECT endpoint_arn FROM devices WHERE user_id = $1",
        [f.id],
      );
      return stored?.endpoint_arn;
    };
    await waitFor(async () => Boolean(await storedArn()), { what: "endpoint ARN stored on the device" });
    expect(await storedArn()).toBe(arn);

    sns.disabled.add(arn as string);
    await h.publish(
      "stream.started",
      streamStarted(channelId, owner.id, "sess-sns-2", new Date(Date.now() + 3600_000)),
    );
    await waitFor(async () => (await devices(f)).length === 0, { what: "disabled endpoint's device deleted" });
    const n = await latest(f);
    const d = await detail(f, n.id);
    expect(d.delivery.attempts).toEqual([expect.objectContaining({ provider: "sns", status: "invalid" })]);
    expect(d.delivery.attempts[0]?.error).toMatch(/EndpointDisabled/);
    expect(sns.published).toHaveLength(1);
  });
});
