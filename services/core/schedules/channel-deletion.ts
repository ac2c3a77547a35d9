/** schedules' share of a deletion: a deleted channel's schedule goes whole. Idempotent. */
import type { Service } from "moleculer";
import { durableHandler } from "../../../mixins/durable-events";
import type { SchedulesThis } from "./schedules.context";
import "../channels/channels.events";

export const scheduleDeletionHandlers = {
  ...durableHandler("channel.deleted", {
    group: "schedules",
    async handler(this: Service, envelope) {
      const svc = this as unknown as SchedulesThis;
      await svc.stores.segments.removeMany({ channelId: envelope.payload.channelId });
      await svc.stores.sessions.removeMany({ channelId: envelope.payload.channelId });
    },
  }),
};
