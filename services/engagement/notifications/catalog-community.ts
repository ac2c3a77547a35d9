/**
 * Catalog entries of the community services: "starting soon" notices of a
 * followed channel's schedule (opt-in: off until the user turns them on),
 * the outcome of a report for the users who filed it, and a suspended (or
 * reinstated) account's notice to its owner.
 */
import "../../core/identity/identity.events";
import "../../core/moderation/moderation.events";
import "../../core/schedules/schedules.events";
import type { ModerationAction } from "../../core/moderation/report.types";
import { defineType } from "./catalog.types";
import { ALL, BODY, TITLE } from "./catalog-presets";
import { plainText } from "./plain-text";

export const scheduleStarting = defineType({
  type: "schedule.starting",
  label: "A channel you follow starts a scheduled stream soon",
  event: "schedule.segment.starting",
  channels: ALL,
  // Opt-in (what streaming sites do for schedule reminders): nobody gets them until they turn them on.
  defaults: { inApp: false, mobile: false, web: false },
  mutable: true,
  async plan(p, lookup) {
    const channel = await lookup.channel(p.channelId);
    if (!channel) return null;
    return {
      recipients: { followersOf: p.channelId, except: [channel.ownerId] },
      // One notice per occurrence, however often the event is delivered.
      sourceKey: `schedule:${p.occurrenceId}`,
      channelId: p.channelId,
      actorId: channel.ownerId,
      rendered: {
        title: plainText(`${channel.title} goes live in ${p.leadMinutes} min`, TITLE),
        body: plainText(p.title, BODY) || null,
        link: `/c/${channel.slug}`,
        data: {
          channelId: p.channelId,
          segmentId: p.segmentId,
          occurrenceId: p.occurrenceId,
          startsAt: p.startsAt,
          category: p.category,
        },
      },
    };
  },
});

/** What a reporter is told; never who acted, nor the moderator's notes. */
const OUTCOMES: Record<ModerationAction, string> = {
  dismiss: "We reviewed it and found no rule broken",
  delete_content: "The content was removed",
  timeout: "Its author was timed out in the channel",
  ban: "Its author was banned from the channel",
  suspend_channel: "The channel was suspended",
  suspend_account: "The account was suspended",
};

const KIND_NAMES: Record<string, string> = {
  channel: "channel",
  stream: "live stream",
  video: "video",
  comment: "comment",
  chat_message: "chat message",
  user: "user",
};

export const reportResolved = defineType({
  type: "report.resolved",
  label: "A report you filed was handled",
  event: "report.resolved",
  channels: ALL,
  defaults: { inApp: true, mobile: false, web: false },
  mutable: false,
  async plan(p) {
    if (p.reporterIds.length === 0) return null;
    return {
      recipients: { userIds: [...new Set(p.reporterIds)] },
      sourceKey: `report:${p.reportId}`,
      channelId: null,
      actorId: null,
      rendered: {
        title: plainText(`Your report of a ${KIND_NAMES[p.targetKind] ?? "post"} was handled`, TITLE),
        body: `${OUTCOMES[p.action]}. Thank you for helping keep Arena safe.`,
        link: "/notifications",
        data: { reportId: p.reportId, targetKind: p.targetKind, action: p.action },
      },
    };
  },
});

/** The suspended user hears it on their phone and browser (they can no longer log in to read an inbox). */
export const accountSuspended = defineType({
  type: "account.suspended",
  label: "Your account is suspended",
  event: "user.suspended",
  channels: ALL,
  defaults: { inApp: true, mobile: true, web: true },
  mutable: false,
  async plan(p) {
    return {
      recipients: { userIds: [p.userId] },
      sourceKey: `suspended:${p.userId}:${p.version}`,
      channelId: null,
      actorId: null,
      rendered: {
        title: "Your Arena account is suspended",
        body: plainText(`Reason: ${p.reason}`, BODY),
        link: "/",
        data: { version: p.version },
      },
    };
  },
});

export const accountReinstated = defineType({
  type: "account.reinstated",
  label: "Your account is reinstated",
  event: "user.unsuspended",
  channels: ALL,
  defaults: { inApp: true, mobile: true, web: true },
  mutable: false,
  async plan(p) {
    return {
      recipients: { userIds: [p.userId] },
      sourceKey: `reinstated:${p.userId}:${p.version}`,
      channelId: null,
      actorId: null,
      rendered: {
        title: "Your Arena account is active again",
        body: "You can log in and go live again.",
        link: "/login",
        data: { version: p.version },
      },
    };
  },
});
