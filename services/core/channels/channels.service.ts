import type { Context, ServiceSchema } from "moleculer";
import { join } from "node:path";
import type { ArenaMeta } from "../../../lib/auth/auth-user";
import { NotFoundError } from "../../../lib/errors";
import { DbMixin } from "../../../mixins/db";
import { DURABLE_EVENTS_MIGRATIONS, DurableEventsMixin } from "../../../mixins/durable-events";
import { ID, PAGING_PARAMS, type CoreServiceThis } from "../core-service";
import { toPublicChannel, type ChannelDoc, type ChannelMemberDoc, type PublicChannel } from "./channel-view";
import { channelEventHandlers } from "./channel-consumers";
import { channelMemberActions } from "./member-actions";
import { channelWriteActions } from "./write-actions";
import { channelSuspensionActions } from "./suspension-actions";
import { listChannels, type ListChannelsParams } from "./list-channels";
import type { Page } from "../core-service";
import type { ChatPolicy } from "./channels.events";

type ChannelModels = { channels: ChannelDoc; members: ChannelMemberDoc };
export type ChannelsThis = CoreServiceThis<ChannelModels> & {
  loadChannel(id: string): Promise<ChannelDoc>;
  chatPolicy(channel: ChannelDoc): Promise<ChatPolicy>;
};
export type ChannelsCtx<P> = Context<P, ArenaMeta>;

export interface ChannelIdParams {
  id: string;
}
export interface SlugParams {
  slug: string;
}
export interface ChannelIdsParams {
  ids: string[];
}
export interface ChatPolicyParams {
  channelId: string;
}

const ChannelsService: ServiceSchema = {
  name: "channels",
  mixins: [
    DbMixin({
      schema: "channels",
      primary: "channels",
      entities: {
        channels: {
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
        },
        members: {
          table: "channel_members",
          kind: "relational",
          fields: {
            channelId: { type: "string", required: true },
            userId: { type: "string", required: true },
            role: { type: "string", required: true },
          },
        },
      },
      migrations: [{ name: "channels", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
    }),
    DurableEventsMixin(),
  ],

  actions: {
    /** One channel by id (public view). */
    get: {
      params: { id: ID },
      async handler(this: ChannelsThis, ctx: ChannelsCtx<ChannelIdParams>): Promise<PublicChannel> {
        return toPublicChannel(await this.loadChannel(ctx.params.id));
      },
    },

    /** One channel by its slug. */
    getBySlug: {
      params: { slug: { type: "string", min: 1, max: 64 } },
      async handler(this: ChannelsThis, ctx: ChannelsCtx<SlugParams>): Promise<PublicChannel> {
        const channel = await this.stores.channels.findOne({ slug: ctx.params.slug.toLowerCase() });
        if (!channel) throw new NotFoundError("Channel", ctx.params.slug);
        return toPublicChannel(channel);
      },
    },

    /** Many channels in one call, in the order asked; unknown ids are left out. */
    getMany: {
      params: { ids: { type: "array", items: ID, max: 200 } },
      async handler(this: ChannelsThis, ctx: ChannelsCtx<ChannelIdsParams>): Promise<PublicChannel[]> {
        return (await this.stores.channels.findByIds(ctx.params.ids)).map(toPublicChannel);
      },
    },

    /** Browse channels: filter by category, live, owner; live and most-followed first. */
    list: {
      params: {
        category: { type: "string", max: 64, optional: true },
        live: { type: "boolean", convert: true, optional: true },
        ownerId: { ...ID, optional: true },
        ...PAGING_PARAMS,
      },
      async handler(this: ChannelsThis, ctx: ChannelsCtx<ListChannelsParams>): Promise<Page<PublicChannel>> {
        return listChannels(this.stores.channels, ctx.params);
      },
    },

    /** Owner, moderators and VIPs of a channel (realtime chat keeps it in memory). */
    getChatPolicy: {
      params: { channelId: ID },
      async handler(this: ChannelsThis, ctx: ChannelsCtx<ChatPolicyParams>): Promise<ChatPolicy> {
        return this.chatPolicy(await this.loadChannel(ctx.params.channelId));
      },
    },

    ...channelWriteActions,
    ...channelMemberActions,
    ...channelSuspensionActions,
  },

  channels: channelEventHandlers,

  methods: {
    async loadChannel(this: ChannelsThis, id: string): Promise<ChannelDoc> {
      const channel = await this.stores.channels.findById(id);
      if (!channel) throw new NotFoundError("Channel", id);
      return channel;
    },

    async chatPolicy(this: ChannelsThis, channel: ChannelDoc): Promise<ChatPolicy> {
      const members = await this.stores.members.find({
        query: { channelId: channel.id },
        sort: ["createdAt", "id"],
        limit: 10000,
      });
      return {
        channelId: channel.id,
        ownerId: channel.ownerId,
        moderatorIds: members.filter((m) => m.role === "moderator").map((m) => m.userId),
        vipIds: members.filter((m) => m.role === "vip").map((m) => m.userId),
      };
    },
  },
};

export default ChannelsService;
