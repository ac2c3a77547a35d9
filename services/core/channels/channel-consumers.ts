import { durableHandler } from "../../../mixins/durable-events";
import type { ChannelsThis } from "./channels.context";
import { addFollower, removeFollower } from "./follower-count";
import { liveOnEnd, liveOnStart } from "./live-status";

/**
 * Durable consumers of the channels service. Dedupe by event id is done by
 * the durable-events mixin inside the same transaction, so a redelivered
 * follow never counts twice. Events of one follow (and of one channel's live
 * status) are ordered: an older one arriving after a newer one is skipped.
 */
export const channelEventHandlers = {
  ...durableHandler("channel.followed", {
    group: "channels",
    ordered: "follow",
    async handler(this: ChannelsThis, envelope) {
      await addFollower(this, envelope.payload);
    },
  }),
  ...durableHandler("channel.unfollowed", {
    group: "channels",
    ordered: "follow",
    async handler(this: ChannelsThis, envelope) {
      await removeFollower(this, envelope.payload);
    },
  }),
  // started and ended of one channel share a scope: an end never lets its own late start put the channel back live.
  ...durableHandler("stream.started", {
    group: "channels",
    ordered: "live",
    async handler(this: ChannelsThis, envelope) {
      await this.stores.channels.updateById(envelope.payload.channelId, liveOnStart(envelope.payload));
    },
  }),
  // A title/category changed while live is the channel's from now on (the next session starts with it).
  ...durableHandler("stream.updated", {
    group: "channels",
    ordered: true,
    async handler(this: ChannelsThis, envelope) {
      await this.stores.channels.updateById(envelope.payload.channelId, {
        title: envelope.payload.title,
        category: envelope.payload.category,
      });
    },
  }),
  ...durableHandler("stream.ended", {
    group: "channels",
    ordered: "live",
    async handler(this: ChannelsThis, envelope) {
      const channel = await this.stores.channels.findById(envelope.payload.channelId);
      const patch = channel ? liveOnEnd(channel, envelope.payload) : undefined;
      if (channel && patch) await this.stores.channels.updateById(channel.id, patch);
    },
  }),
};
