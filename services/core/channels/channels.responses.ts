import type { ChatPolicy } from "../../../lib/moderation";
import { cursorPageSchema, s, STORED_DOCUMENT_FIELDS, type PropertySchemas } from "../../../lib/http/response-schema";
import type { PublicChannel } from "./channel-view";
import type { ChannelsUserData, ChannelWithKey, RotatedStreamKey, SuspensionResult } from "./channels.contract";
import type { ChannelMemberDoc } from "./channels.entities";

/** Response bodies of /channels routes, typed by the actions' results (channels.routes.ts). */

/**
 * Fields the view and the stored record (ChannelRecord, the data export) share, in the order both list them: each
 * schema spreads them where its own fields go, so the OpenAPI document keeps its property order.
 */
const CHANNEL_ABOUT_FIELDS: PropertySchemas<
  Pick<PublicChannel, "ownerId" | "slug" | "title" | "category" | "tags" | "language" | "mature">
> = {
  ownerId: s.string(),
  slug: s.string(),
  title: s.string(),
  category: s.nullable(s.string()),
  tags: s.array(s.string()),
  language: s.string(),
  mature: s.boolean(),
};

export const CHANNEL = s.named(
  "Channel",
  s.object<PublicChannel>()({
    id: s.string(),
    ...CHANNEL_ABOUT_FIELDS,
    isLive: s.boolean(),
    liveSince: s.nullable(s.dateTime()),
    followerCount: s.integer(),
    createdAt: s.dateTime(),
    updatedAt: s.dateTime(),
  }),
);

export const CHANNEL_PAGE = cursorPageSchema("Channel", CHANNEL);

export const CHANNEL_CREATED = s.object<ChannelWithKey>()({ channel: CHANNEL, streamKey: s.string() });

export const STREAM_KEY = s.object<RotatedStreamKey>()({ channelId: s.string(), streamKey: s.string() });

export const CHANNEL_SUSPENSION = s.object<SuspensionResult>()({
  channelId: s.string(),
  suspended: s.boolean(),
  suspendedAt: s.nullable(s.dateTime()),
  reason: s.nullable(s.string()),
});

export const CHAT_POLICY = s.named(
  "ChatPolicy",
  s.object<ChatPolicy>()({
    channelId: s.string(),
    ownerId: s.string(),
    moderatorIds: s.array(s.string()),
    vipIds: s.array(s.string()),
  }),
);

/** channels' section of GET /me/export: the stored rows, field by field (no stream key hash). */
export const CHANNELS_USER_DATA = s.named(
  "ChannelsUserData",
  s.object<ChannelsUserData>()({
    channels: s.array(
      s.named(
        "ChannelRecord",
        s.object<ChannelsUserData["channels"][number]>()({
          ...STORED_DOCUMENT_FIELDS,
          ...CHANNEL_ABOUT_FIELDS,
          streamKeyRotatedAt: s.nullable(s.date()),
          isLive: s.boolean(),
          liveSessionId: s.nullable(s.string()),
          liveSince: s.nullable(s.date()),
          followerCount: s.integer(),
          suspendedAt: s.nullable(s.date()),
          suspensionReason: s.nullable(s.string()),
        }),
      ),
    ),
    memberships: s.array(
      s.named(
        "ChannelMembershipRecord",
        s.object<ChannelMemberDoc>()({
          ...STORED_DOCUMENT_FIELDS,
          channelId: s.string(),
          userId: s.string(),
          role: s.enum(["moderator", "vip"] as const),
        }),
      ),
    ),
  }),
);
