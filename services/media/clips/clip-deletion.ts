/**
 * clips' share of a deletion. A deleted user's clips go (rows and files) and
 * their view records with them; markers they dropped stay on the channel's
 * streams without their id. A deleted channel loses every clip and marker.
 * Idempotent: a redelivered event finds nothing left.
 */
import type { Service } from "moleculer";
import { DELETED_USER_ID } from "../../../lib/auth/deleted-user";
import { durableHandler } from "../../../mixins/durable-events";
import type { ClipsThis } from "./clips.context";
import "../../core/channels/channels.events";
import "../../core/identity/identity.events";

async function removeClips(svc: ClipsThis, query: { ownerId: string } | { channelId: string }): Promise<void> {
  for (;;) {
    const batch = await svc.stores.clips.find({ query, limit: 200 });
    for (const clip of batch) {
      await svc.stores.views.removeMany({ clipId: clip.id });
      await svc.stores.clips.removeById(clip.id);
      await svc.storage.deletePrefix(`clips/${clip.id}/`);
    }
    if (batch.length < 200) return;
  }
}

export const clipDeletionHandlers = {
  ...durableHandler("user.deleted", {
    group: "clips",
    async handler(this: Service, envelope) {
      const svc = this as unknown as ClipsThis;
      const userId = envelope.payload.userId;
      await removeClips(svc, { ownerId: userId });
      await svc.stores.views.removeMany({ viewerKey: `u:${userId}` });
      await svc.stores.markers.updateMany({ createdBy: userId }, { createdBy: DELETED_USER_ID });
    },
  }),
  ...durableHandler("channel.deleted", {
    group: "clips",
    async handler(this: Service, envelope) {
      const svc = this as unknown as ClipsThis;
      await removeClips(svc, { channelId: envelope.payload.channelId });
      await svc.stores.markers.removeMany({ channelId: envelope.payload.channelId });
    },
  }),
};
