/**
 * The VAPID key as operators write it: a P-256 scalar is 32 bytes, but big-integer tools drop its leading zero
 * bytes (Node's ECDH getPrivateKey() about once in 256 keys) or add a sign byte. web-push signs only with exactly
 * 32 bytes; push.test.ts generated its key with getPrivateKey() and, with a 31-byte one, the fake endpoint got no
 * Web Push while FCM in the same batch was delivered. These send through the real sender to the fake endpoint.
 */
import { createECDH, randomBytes } from "node:crypto";
import type { DeviceDoc } from "../../../../services/engagement/notifications/notification.types";
import { WebPushSender } from "../../../../services/engagement/notifications/providers/web-push";
import { LocalRedirectAgent, startFakeWebPush, type FakeWebPush } from "../../../helpers/fake-push-endpoints";

/** P-256's group order n: no private key is n or above. */
const P256_ORDER = Buffer.from("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", "hex");

function publicKeyOf(scalar32: Buffer): string {
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(scalar32);
  return ecdh.getPublicKey().toString("base64url");
}

describe("VAPID private key width", () => {
  let web: FakeWebPush;

  beforeAll(async () => {
    web = await startFakeWebPush();
  });

  afterAll(async () => {
    await web?.close();
  });

  function deviceFor(subscription: ReturnType<FakeWebPush["subscriber"]>["subscription"]): DeviceDoc {
    const now = new Date();
    return {
      id: "device-1",
      userId: "user-1",
      kind: "web",
      platform: "webpush",
      token: subscription.endpoint,
      p256dh: subscription.keys.p256dh,
      auth: subscription.keys.auth,
      endpointArn: null,
      label: null,
      lastUsedAt: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  // One scalar per row, and how a tool may write it.
  const twoZeros = Buffer.concat([Buffer.alloc(2), randomBytes(30)]);
  const oneZero = Buffer.concat([Buffer.from([0x00, 0x7f]), randomBytes(30)]);
  const highByte = Buffer.concat([Buffer.from([0xc1]), randomBytes(31)]);
  it.each([
    ["31 bytes (its leading zero dropped)", oneZero.subarray(1), oneZero],
    ["30 bytes (two leading zeros dropped)", twoZeros.subarray(2), twoZeros],
    ["33 bytes (a sign byte before a high first byte)", Buffer.concat([Buffer.alloc(1), highByte]), highByte],
    ["32 bytes", highByte, highByte],
  ])(
    "a key written in %s signs pushes the endpoint accepts, with the public key of its scalar",
    async (_, written, full) => {
      const sender = new WebPushSender({
        privateKey: written.toString("base64url"),
        subject: "mailto:ops@arena.example",
        agent: new LocalRedirectAgent(web.port),
      });
      expect(sender.publicKey).toBe(publicKeyOf(full));
      const browser = web.subscriber();
      const outcome = await sender.send(deviceFor(browser.subscription), {
        notificationId: "n-1",
        type: "stream.live",
        title: "live",
        body: null,
        url: "https://arena.example/c/x",
      });
      expect(outcome).toMatchObject({ status: "sent" });
      expect(web.deliveries.find((d) => d.subscriptionId === browser.id)?.payload).toMatchObject({ id: "n-1" });
      expect(web.refused).toEqual([]);
    },
  );

  it.each([
    ["zero", Buffer.alloc(32)],
    ["the group order", P256_ORDER],
    ["34 bytes", Buffer.concat([Buffer.from([1, 2]), randomBytes(32)])],
  ])("refuses %s at construction, without quoting the key", (_, key) => {
    const privateKey = key.toString("base64url");
    const build = () => new WebPushSender({ privateKey, subject: "mailto:ops@arena.example" });
    expect(build).toThrow(/^VAPID_PRIVATE_KEY is not a P-256 private key/);
    expect(build).not.toThrow(privateKey);
  });

  it("refuses a key that is not base64", () => {
    expect(() => new WebPushSender({ privateKey: "not a key!", subject: "mailto:ops@arena.example" })).toThrow(
      /not base64url/,
    );
  });
});
