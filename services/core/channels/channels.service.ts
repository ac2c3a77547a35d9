/**
 * channels: a user's channel (slug, title, category, tags), its stream key
 * (shown once, stored hashed), moderators and VIPs, admin suspension, live
 * status (from the streams service's durable events) and follower counts
 * (from the users service's). Domain logic lives in the neighbouring files;
 * this file wires actions, events and lifecycle.
 */
import type { ServiceSchema } from "moleculer";
import type { ServiceActions } from "../../../lib/contracts";
import { DbMixin } from "../../../mixins/db";
import { DurableEventsMixin } from "../../../mixins/durable-events";
import { publicRead, ReadCacheMixin } from "../../../mixins/read-cache";
import { channelEventHandlers } from "./channel-consumers";
import type { ChannelsThis } from "./channels.context";
import { CHANNELS_DB } from "./channels.entities";
import * as P from "./channels.params";
import { verifyStreamKey } from "./ingest-actions";
import { addModerator, addVip, removeModerator, removeVip } from "./member-actions";
import { getChannel, getChannelBySlug, getChatPolicy, getManyChannels, listChannels } from "./read-actions";
import { exportUserData, userDeletionHandlers } from "./user-data";
import type { ArenaContext } from "../../../lib/contracts";
import { USER_DATA_PARAMS, type UserDataParams } from "../../../lib/contracts/user-data";
import { ownerSuspensionHandlers } from "./owner-suspension";
import { channelSuspensions, suspendChannel, unsuspendChannel } from "./suspension-actions";
import { createChannel, rotateStreamKey, updateChannel } from "./write-actions";
import "./channels.contract";
import "./channels.events";

export type { ChannelsThis } from "./channels.context";

const ChannelsService: ServiceSchema = {
  name: "channels",
  // ReadCacheMixin: the reads below are cached until a write of this service (mixins/read-cache).
  mixins: [DbMixin(CHANNELS_DB), DurableEventsMixin(), ReadCacheMixin()],

  actions: {
    /** One channel by id (public view). */
    get: {
      cache: publicRead(["id"]),
      params: P.BY_ID,
      handler(ctx) {
        return getChannel(this, ctx);
      },
    },

    /** One channel by its slug. */
    getBySlug: {
      cache: publicRead(["slug"]),
      params: P.BY_SLUG,
      handler(ctx) {
        return getChannelBySlug(this, ctx);
      },
    },

    /** Many channels in one call, in the order asked; unknown ids are left out. */
    getMany: {
      cache: publicRead(["ids"]),
      params: P.BY_IDS,
      handler(ctx) {
        return getManyChannels(this, ctx);
      },
    },

    /** Browse channels: filter by category, live, owner; live and most-followed first. */
    list: {
      cache: publicRead(["category", "live", "ownerId", "limit", "cursor"]),
      params: P.LIST_CHANNELS,
      handler(ctx) {
        return listChannels(this, ctx);
      },
    },

    /** Owner, moderators and VIPs of a channel (realtime chat keeps it in memory). */
    getChatPolicy: {
      cache: publicRead(["channelId"]),
      params: P.CHAT_POLICY,
      handler(ctx) {
        return getChatPolicy(this, ctx);
      },
    },

    /** Creates the caller's channel; the stream key is in this response and nowhere else. */
    create: {
      params: P.CREATE_CHANNEL,
      handler(ctx) {
        return createChannel(this, ctx);
      },
    },

    /** Changes a channel's settings (owner); publishes channel.updated. */
    update: {
      params: P.UPDATE_CHANNEL,
      handler(ctx) {
        return updateChannel(this, ctx);
      },
    },

    /** Issues a new stream key (owner); the old one stops working at once. */
    rotateStreamKey: {
      params: P.BY_ID,
      handler(ctx) {
        return rotateStreamKey(this, ctx);
      },
    },

    /** Internal (ingest): which channel a stream key belongs to; 403 for anything else. */
    verifyStreamKey: {
      visibility: "public" as const,
      params: P.VERIFY_STREAM_KEY,
      handler(ctx) {
        return verifyStreamKey(this, ctx);
      },
    },

    /** Owner names a moderator. */
    addModerator: {
      params: P.MEMBER,
      handler(ctx) {
        return addModerator(this, ctx);
      },
    },

    removeModerator: {
      params: P.MEMBER,
      handler(ctx) {
        return removeModerator(this, ctx);
      },
    },

    /** Owner names a VIP. */
    addVip: {
      params: P.MEMBER,
      handler(ctx) {
        return addVip(this, ctx);
      },
    },

    removeVip: {
      params: P.MEMBER,
      handler(ctx) {
        return removeVip(this, ctx);
      },
    },

    /** Suspends a channel (admin): its stream key stops working and any live broadcast ends. */
    suspend: {
      params: P.SUSPEND,
      handler(ctx) {
        return suspendChannel(this, ctx);
      },
    },

    /** Lifts a suspension (admin); the existing stream key works again. */
    unsuspend: {
      params: P.BY_ID,
      handler(ctx) {
        return unsuspendChannel(this, ctx);
      },
    },

    /** Internal (search's reindex): which of these channels an admin suspended. */
    suspensions: {
      params: P.BY_IDS,
      handler(ctx) {
        return channelSuspensions(this, ctx);
      },
    },

    /** Internal: what channels holds of a user, for GET /me/export (the user or an admin). */
    exportUserData: {
      visibility: "public" as const,
      params: USER_DATA_PARAMS,
      handler(this: ChannelsThis, ctx: ArenaContext<UserDataParams>) {
        return exportUserData(this, ctx);
      },
    },
  } satisfies ServiceActions<"channels", ChannelsThis>,

  channels: { ...channelEventHandlers, ...userDeletionHandlers, ...ownerSuspensionHandlers },
};

export default ChannelsService;
