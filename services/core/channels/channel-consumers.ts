import { durableHandler } from "../../../mixins/durable-events";
import type { ChannelsThis } from "./channels.context";
import { liveOnEnd, liveOnStart } from "./live-status";

/**
 * Durable consumers of the channels service. Dedupe by event id is done by
 * the durable-events mixin inside the same transaction, so a redelivered
 * follow never counts twice.
 */
export const channelEventHandlers = {
  ...durableHandler("channel.followed", {
    group: "channels",
    async handler(this: ChannelsThis, envelope) {
      await this.stores.channels.increment(envelope.payload.channelId, "followerCount", 1);
    },
  }),
  ...durableHandler("channel.unfollowed", {
    group: "channels",
    async handler(this: ChannelsThis, envelope) {
      const updated = await this.stores.channels.increment(envelope.payload.channelId, "followerCount", -1);
      if (updated && updated.followerCount < 0) await this.stores.channels.updateById(updated.id, { followerCount: 0 });
    },
  }),
  ...durableHandler("stream.started", {
    group: "channels",
    async handler(this: ChannelsThis, envelope) {
      await this.stores.channels.updateById(envelope.payload.channelId, liveOnStart(envelope.payload));
    },
  }),
  // A title/category changed while live is the channel's from now on (the next session starts with it).
  ...durableHandler("stream.updated", {
    group: "channels",
    async handler(this: ChannelsThis, envelope) {
      await this.stores.channels.updateById(envelope.payload.channelId, {
        title: envelope.payload.title,
        category: envelope.payload.category,
      });
    },
  }),
  ...durableHandler("stream.ended", {
    group: "channels",
    async handler(this: ChannelsThis, envelope) {
      const channel = await this.stores.channels.findById(envelope.payload.channelId);
      const patch = channel ? liveOnEnd(channel, envelope.payload) : undefined;
      if (channel && patch) await this.stores.channels.updateById(channel.id, patch);
    },
  }),
};
