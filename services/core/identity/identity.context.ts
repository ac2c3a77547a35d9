/** The typed `this` of the identity service; action files take it as `svc`. */
import type { Service } from "moleculer";
import type { Mailer } from "../../../lib/mail";
import type { DbMixinThis } from "../../../mixins/db";
import type { DurableEventsMethods } from "../../../mixins/durable-events";
import type { IdentityModels } from "./identity.entities";
import type { KeyManager } from "./key-manager";
import type { SessionManager } from "./sessions";

export interface IdentityThis extends Service, DbMixinThis<IdentityModels>, DurableEventsMethods {
  keys: KeyManager;
  sessionManager: SessionManager;
  /** Verification, reset and notice mail: SMTP_URL, or .eml files under DATA_DIR/mail/. */
  mailer: Mailer;
  /** Sends what the durable mail outbox holds (mail-outbox.ts). */
  mailWorker?: { kick(): void; stop(): Promise<void> };
  /** Mail work running after its answer (reset requests); awaited on stop. */
  pendingMail: Set<Promise<void>>;
  /** Signing-key rotation check and ended-session purge, hourly. */
  rotationTimer?: NodeJS.Timeout;
}
