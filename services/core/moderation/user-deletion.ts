/**
 * moderation's share of a deletion: a deleted user's report entries go (the
 * reports keep their counts); the audit log keeps its rows but no longer
 * says the user acted or was acted on. Idempotent.
 */
import type { Service } from "moleculer";
import { DELETED_USER_ID } from "../../../lib/auth/deleted-user";
import { durableHandler } from "../../../mixins/durable-events";
import type { ModerationThis } from "./moderation.context";
import "../identity/identity.events";

export const moderationDeletionHandlers = {
  ...durableHandler("user.deleted", {
    group: "moderation",
    async handler(this: Service, envelope) {
      const svc = this as unknown as ModerationThis;
      const userId = envelope.payload.userId;
      await svc.stores.entries.removeMany({ reporterId: userId });
      await svc.stores.audit.updateMany({ actorId: userId }, { actorId: DELETED_USER_ID });
      await svc.stores.audit.updateMany({ targetUserId: userId }, { targetUserId: DELETED_USER_ID });
      await svc.stores.reports.updateMany({ targetUserId: userId }, { targetUserId: DELETED_USER_ID });
    },
  }),
};
