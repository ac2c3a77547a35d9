import { randomUUID } from "node:crypto";
import type { Service, ServiceSchema } from "moleculer";
import ModerationService from "../../../../services/core/moderation/moderation.service";
import SchedulesService from "../../../../services/core/schedules/schedules.service";
import type { SchedulesThis } from "../../../../services/core/schedules/schedules.context";
import { DEFAULT_NOTIFICATIONS } from "../../../../services/core/users/users.entities";
import type { UsersThis } from "../../../../services/core/users/users.context";
import ClipsService from "../../../../services/media/clips/clips.service";
import type { ClipsThis } from "../../../../services/media/clips/clips.context";
import { ok } from "../../../helpers/api-client";
import { uniqueId } from "../../../helpers/infra";
import { newUser, startCore, type CoreHarness } from "../core-harness";
import { seedModerationBetween } from "./export-fixture";

jest.setTimeout(60000);

type Section = Record<string, Array<Record<string, unknown>>>;

/** GET /me/export finds schedules, clips and moderation through the registry, each with what it holds of the user. */
describe("GET /me/export: schedules, clips and moderation sections (one broker, real Postgres)", () => {
  let h: CoreHarness;
  const svc = <T>(name: string) => h.broker.getLocalService(name) as Service as T;

  beforeAll(async () => {
    h = await startCore({}, [
      { name: "schedules", mixins: [SchedulesService as unknown as ServiceSchema], settings: { runNotices: false } },
      { name: "clips", mixins: [ClipsService as unknown as ServiceSchema], settings: { processJobs: false } },
      ModerationService as unknown as ServiceSchema,
    ]);
  });
  afterAll(() => h?.stop());

  it("answers the user's segments, clips, markers, filed reports and moderation actions; nobody else's", async () => {
    const [user, other] = await Promise.all([newUser(h, "exs"), newUser(h, "exo")]);
    const slug = uniqueId("ex").slice(0, 30).toLowerCase();
    const channelId = ok(await user.api.channels.create({ slug, title: "Mine" }), 201).channel.id;
    const otherSlug = uniqueId("ex").slice(0, 30).toLowerCase();
    const otherChannel = ok(await other.api.channels.create({ slug: otherSlug, title: "Theirs" }), 201).channel.id;

    const segment = {
      title: "Speedruns",
      category: null,
      durationMin: 60,
      startAt: new Date(Date.now() + 86_400_000),
      recurring: false,
      timezone: "UTC",
      cancelled: false,
      cancelledOccurrences: [],
      version: 1,
    };
    const schedules = svc<SchedulesThis>("schedules").stores;
    const mine = await schedules.segments.insert({ channelId, ...segment });
    await schedules.segments.insert({ channelId: otherChannel, ...segment });

    const clips = svc<ClipsThis>("clips").stores;
    const clip = {
      channelId: otherChannel,
      title: "Nice play",
      sourceKind: "vod" as const,
      videoId: "v1",
      sourceKey: "uploads/v1/source",
      startS: 1,
      durationS: 10,
      requestedAt: new Date(),
      status: "queued" as const,
      leaseOwner: "worker-secret",
      viewCount: 0,
      attempts: 0,
    };
    const myClip = await clips.clips.insert({ ...clip, ownerId: user.id, ownerName: user.username });
    await clips.clips.insert({ ...clip, ownerId: other.id, ownerName: other.username });
    const sessionId = randomUUID();
    await clips.markers.insert({ channelId, sessionId, offsetS: 5, description: "boss", createdBy: user.id });
    await clips.markers.insert({ channelId, sessionId, offsetS: 9, description: "x", createdBy: other.id });

    const receipt = await seedModerationBetween(h, user, other);

    const archive = ok(await user.api.request<{ services: Record<string, Section> }>("GET", "/me/export"));
    const { schedules: sched, clips: clipSection, moderation } = archive.services;
    expect(sched.segments).toEqual([expect.objectContaining({ id: mine.id, channelId, title: "Speedruns" })]);
    expect(clipSection.clips).toEqual([expect.objectContaining({ id: myClip.id, title: "Nice play" })]);
    expect(clipSection.clips[0]).not.toHaveProperty("leaseOwner");
    expect(clipSection.clips[0]).not.toHaveProperty("sourceKey");
    expect(clipSection.markers).toEqual([expect.objectContaining({ description: "boss" })]);
    expect(moderation.reportsFiled).toEqual([
      expect.objectContaining({ reportId: receipt.reportId, targetKind: "user", reason: "spam", text: "bot account" }),
    ]);
    expect(moderation.actionsTaken).toEqual([expect.objectContaining({ action: "ban", actorId: user.id })]);
    expect(moderation.actionsReceived).toEqual([expect.objectContaining({ action: "timeout", reason: "b" })]);
    // Who acted on the user is the moderator's data, not theirs.
    expect(JSON.stringify(moderation.actionsReceived)).not.toContain(other.id);

    const asOther = { meta: { user: { id: other.id, username: other.username, roles: ["viewer"] } } };
    for (const action of ["schedules.exportUserData", "clips.exportUserData", "moderation.exportUserData"]) {
      await expect(h.broker.call(action, { userId: user.id }, asOther)).rejects.toMatchObject({ code: 403 });
    }
  });

  it("shows every notification switch of a profile stored before some existed (as the profile does)", async () => {
    const user = await newUser(h, "exn");
    const users = svc<UsersThis>("users").stores;
    await users.profiles.updateById(user.id, { notifications: { liveAlerts: false } } as never);
    const archive = ok(
      await user.api.request<{ services: Record<string, { profile: Record<string, unknown> }> }>("GET", "/me/export"),
    );
    expect(archive.services.users?.profile.notifications).toEqual({ ...DEFAULT_NOTIFICATIONS, liveAlerts: false });
  });
});
