/** The typed `this` of the chat service; action files take it as `svc`. */
import type { Service } from "moleculer";
import type { RoleCache } from "../../../lib/auth/role-cache";
import type { DbMixinThis } from "../../../mixins/db";
import type { ChatModels } from "./chat.entities";

export interface ChatThis extends Service, DbMixinThis<ChatModels> {
  /** Global roles of ban/timeout targets (identity.userRoles), refreshed by user.roles.changed. */
  roleCache: RoleCache;
}
