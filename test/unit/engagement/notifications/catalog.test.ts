/** The notification catalog, plain text and push backoff, without a broker. */
import { createECDH } from "node:crypto";
import { loadConfig } from "../../../../lib/config";
import { NOTIFICATION_TYPES, typeSpec } from "../../../../services/engagement/notifications/catalog";
import type { Lookup, NotificationTypeSpec } from "../../../../services/engagement/notifications/catalog.types";
import { legacyPreferenceRows } from "../../../../services/engagement/notifications/legacy-preferences";
import { plainText } from "../../../../services/engagement/notifications/plain-text";
import { pushBackoffMs } from "../../../../services/engagement/notifications/push-worker";
import { vapidPublicKey } from "../../../../services/engagement/notifications/providers/web-push";
import { createTempDir } from "../../../helpers/infra";

const lookup: Lookup = {
  channel: async (id) => (id === "gone" ? null : { id, slug: "speedy", title: "Speedy Runs", ownerId: "owner-1" }),
  user: async (id) => (id === "ghost" ? null : { id, username: `user_${id}`, displayName: "" }),
};

describe("catalog", () => {
  it("has unique types, each allowed its defaults' channels", () => {
    const names = NOTIFICATION_TYPES.map((t) => t.type);
    expect(new Set(names).size).toBe(names.length);
    for (const t of NOTIFICATION_TYPES)
      for (const [channel, on] of Object.entries(t.defaults)) if (on) expect(t.channels).toContain(channel);
    expect(typeSpec("stream.live")?.defaults).toEqual({ inApp: true, mobile: true, web: true });
  });

  it("plans a go-live for the channel's followers (not the owner), keyed by session, skipping a deleted channel", async () => {
    const spec = typeSpec("stream.live") as NotificationTypeSpec<"stream.started">;
    const payload = {
      sessionId: "s1",
      channelId: "c1",
      ownerId: "owner-1",
      title: "Any%\u202e reversed\n\ttext",
      category: null,
      language: "en",
      startedAt: new Date().toISOString(),
    };
    const plan = await spec.plan(payload, lookup);
    expect(plan).toMatchObject({
      recipients: { followersOf: "c1", except: ["owner-1"] },
      sourceKey: "live:s1",
      rendered: { title: "Speedy Runs is live", body: "Any% reversed text", link: "/c/speedy" },
    });
    expect(await spec.plan({ ...payload, channelId: "gone" }, lookup)).toBeNull();
  });

  it("sends reply alerts to the parent's author, never for replying to oneself", async () => {
    const spec = typeSpec("comment.reply") as NotificationTypeSpec<"comment.created">;
    const base = {
      commentId: "k1",
      videoId: "v1",
      channelId: "c1",
      videoOwnerId: "owner-1",
      authorId: "a",
      parentId: "p",
      parentAuthorId: "b",
      body: "<script>x</script> nice",
      createdAt: new Date().toISOString(),
    };
    expect((await spec.plan(base, lookup))?.recipients).toEqual({ userIds: ["b"] });
    expect((await spec.plan(base, lookup))?.rendered.body).toBe("<script>x</script> nice");
    expect(await spec.plan({ ...base, parentAuthorId: "a" }, lookup)).toBeNull();
    expect(await spec.plan({ ...base, authorId: "ghost" }, lookup)).toBeNull();
  });
});

describe("community types", () => {
  it("plans starting-soon notices for the channel's followers, keyed by occurrence, opt-in by default", async () => {
    const spec = typeSpec("schedule.starting") as NotificationTypeSpec<"schedule.segment.starting">;
    expect(spec.defaults).toEqual({ inApp: false, mobile: false, web: false });
    const payload = {
      occurrenceId: "seg:1",
      segmentId: "seg",
      channelId: "c1",
      title: "Any%",
      category: null,
      startsAt: new Date().toISOString(),
      endsAt: new Date().toISOString(),
      leadMinutes: 15,
    };
    expect(await spec.plan(payload, lookup)).toMatchObject({
      recipients: { followersOf: "c1", except: ["owner-1"] },
      sourceKey: "schedule:seg:1",
      rendered: { title: "Speedy Runs goes live in 15 min", body: "Any%", link: "/c/speedy" },
    });
    expect(await spec.plan({ ...payload, channelId: "gone" }, lookup)).toBeNull();
  });

  it("tells reporters the outcome of their report, and nobody when nobody reported", async () => {
    const spec = typeSpec("report.resolved") as NotificationTypeSpec<"report.resolved">;
    const payload = {
      reportId: "r1",
      targetKind: "video" as const,
      targetId: "v1",
      channelId: "c1",
      action: "delete_content" as const,
      reporterIds: ["a", "b", "a"],
      resolvedAt: new Date().toISOString(),
    };
    const plan = await spec.plan(payload, lookup);
    expect(plan).toMatchObject({ recipients: { userIds: ["a", "b"] }, sourceKey: "report:r1", actorId: null });
    expect(plan?.rendered.title).toBe("Your report of a video was handled");
    expect(plan?.rendered.body).toContain("The content was removed");
    expect(await spec.plan({ ...payload, reporterIds: [] }, lookup)).toBeNull();
  });
});

describe("legacy switches", () => {
  const flags = { email: true, push: true, liveAlerts: true, followerAlerts: true };
  const none = new Map<string, { inApp: boolean; mobile: boolean; web: boolean }>();

  it("turns a type off with its alert switch and back to its defaults", () => {
    const off = legacyPreferenceRows(NOTIFICATION_TYPES, none, { ...flags, liveAlerts: false }, ["liveAlerts"]);
    expect(off).toEqual([{ type: "stream.live", settings: { inApp: false, mobile: false, web: false } }]);
    const current = new Map(off.map((r) => [r.type, r.settings]));
    expect(legacyPreferenceRows(NOTIFICATION_TYPES, current, flags, ["liveAlerts"])).toEqual([
      { type: "stream.live", settings: { inApp: true, mobile: true, web: true } },
    ]);
  });

  it("push off silences phones and browsers for every type, and only the switches that changed apply", () => {
    const rows = legacyPreferenceRows(NOTIFICATION_TYPES, none, { ...flags, push: false, followerAlerts: false }, [
      "push",
    ]);
    expect(rows.every((r) => !r.settings.mobile && !r.settings.web)).toBe(true);
    // followerAlerts did not change in this event: channel.follower keeps its in-app default.
    expect(rows.find((r) => r.type === "channel.follower")).toBeUndefined();
    expect(rows.find((r) => r.type === "stream.live")?.settings).toEqual({ inApp: true, mobile: false, web: false });
    expect(legacyPreferenceRows(NOTIFICATION_TYPES, none, flags, ["email"])).toEqual([]);
  });
});

describe("plain text and backoff", () => {
  it("strips control and bidi characters and clips on code points", () => {
    expect(plainText("a\u0000b\u202ec", 10)).toBe("a b c");
    expect(plainText("😀".repeat(10), 4)).toBe("😀😀😀…");
    expect(plainText(null, 5)).toBe("");
  });

  it("doubles the push retry wait up to five minutes", () => {
    expect([1, 2, 3].map((n) => pushBackoffMs(1000, n))).toEqual([1000, 2000, 4000]);
    expect(pushBackoffMs(1000, 30)).toBe(5 * 60_000);
  });
});

describe("VAPID key", () => {
  it("is generated in embedded mode, kept in secrets.json, and its public key derives from it", async () => {
    const dir = createTempDir();
    try {
      const first = await loadConfig({ DATA_DIR: dir.path });
      const again = await loadConfig({ DATA_DIR: dir.path });
      const key = first.notifications.vapid.privateKey as string;
      expect(again.notifications.vapid.privateKey).toBe(key);
      const ecdh = createECDH("prime256v1");
      ecdh.setPrivateKey(Buffer.from(key, "base64url"));
      expect(vapidPublicKey(key)).toBe(ecdh.getPublicKey().toString("base64url"));
      expect(first.notifications.vapid.subject).toBe("mailto:push@localhost");
      const prod = await loadConfig({
        ARENA_MODE: "production",
        DATA_DIR: dir.path,
        IDENTITY_KEY_ENCRYPTION_SECRET: "x".repeat(32),
        MEDIA_URL_SECRET: "y".repeat(32),
        PUBLIC_URL: "https://arena.example",
      });
      // Production never generates it: Web Push stays off until one is provided.
      expect(prod.notifications.vapid).toEqual({ privateKey: undefined, subject: "https://arena.example" });
    } finally {
      dir.remove();
    }
  });
});
