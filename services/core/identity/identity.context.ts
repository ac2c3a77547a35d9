/** The typed `this` of the identity service; action files take it as `svc`. */
import type { Service } from "moleculer";
import type { DbMixinThis } from "../../../mixins/db";
import type { DurableEventsMethods } from "../../../mixins/durable-events";
import type { IdentityModels } from "./identity.entities";
import type { KeyManager } from "./key-manager";
import type { SessionManager } from "./sessions";

export interface IdentityThis extends Service, DbMixinThis<IdentityModels>, DurableEventsMethods {
  keys: KeyManager;
  sessionManager: SessionManager;
  /** Signing-key rotation check and ended-session purge, hourly. */
  rotationTimer?: NodeJS.Timeout;
}
