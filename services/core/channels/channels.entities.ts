/** What the channels service stores (schema "channels", migrations/), and its DbMixin config. */
import { join } from "node:path";
import { entity, type BaseDocument, type DbMixinOptions } from "../../../mixins/db";
import { DURABLE_EVENTS_MIGRATIONS } from "../../../mixins/durable-events";

/** What describes a channel wherever it travels: stored, shown, or in events. */
export interface ChannelMetadata {
  ownerId: string;
  slug: string;
  title: string;
  category: string | null;
  tags: string[];
  language: string;
  mature: boolean;
}

export interface ChannelDoc extends BaseDocument, ChannelMetadata {
  streamKeyHash: string | null;
  streamKeyRotatedAt: Date | null;
  isLive: boolean;
  liveSessionId: string | null;
  liveSince: Date | null;
  followerCount: number;
  /** Set while an admin has suspended the channel from broadcasting. */
  suspendedAt: Date | null;
  suspensionReason: string | null;
}

export type ChannelRole = "moderator" | "vip";

export interface ChannelMemberDoc extends BaseDocument {
  channelId: string;
  userId: string;
  role: ChannelRole;
}

/** Member rows are keyed "<channelId>:<userId>:<role>", so naming someone twice is a no-op. */
export function memberId(channelId: string, userId: string, role: ChannelRole): string {
  return `${channelId}:${userId}:${role}`;
}

export type ChannelModels = {
  channels: ChannelDoc;
  members: ChannelMemberDoc;
};

const channels = entity<ChannelDoc>()({
  table: "channels",
  kind: "relational",
  fields: {
    ownerId: { type: "string", required: true },
    slug: { type: "string", required: true },
    title: { type: "string", required: true },
    category: { type: "string" },
    tags: { type: "json", default: () => [] },
    language: { type: "string", default: "en" },
    mature: { type: "boolean", default: false },
    streamKeyHash: { type: "string" },
    streamKeyRotatedAt: { type: "date" },
    isLive: { type: "boolean", default: false },
    liveSessionId: { type: "string" },
    liveSince: { type: "date" },
    followerCount: { type: "integer", default: 0 },
    suspendedAt: { type: "date" },
    suspensionReason: { type: "string" },
  },
});

const members = entity<ChannelMemberDoc>()({
  table: "channel_members",
  kind: "relational",
  fields: {
    channelId: { type: "string", required: true },
    userId: { type: "string", required: true },
    role: { type: "string", required: true },
  },
});

export const CHANNELS_DB: DbMixinOptions = {
  schema: "channels",
  primary: "channels",
  entities: { channels, members },
  migrations: [{ name: "channels", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
};
