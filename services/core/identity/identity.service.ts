/**
 * identity: the built-in OIDC-style issuer (local accounts, sessions with
 * rotating refresh tokens, TOTP, lockout, signing keys with rotation and a
 * JWKS), global roles, and the revocation broadcasts gateways act on. With
 * Keycloak (OIDC_ISSUER) accounts live there and only roles and revocations
 * matter here. Domain logic lives in the neighbouring files; this file
 * wires actions, events and lifecycle.
 */
import type { Service, ServiceSchema } from "moleculer";
import { getConfig } from "../../../lib/config";
import { onEvent, type ServiceActions } from "../../../lib/contracts";
import { createMailer } from "../../../lib/mail";
import { DbMixin } from "../../../mixins/db";
import { DurableEventsMixin } from "../../../mixins/durable-events";
import { ACCOUNT_ADMIN_ACTIONS } from "./account-admin-action-schemas";
import { CREDENTIAL_ACTIONS } from "./credential-action-schemas";
import type { IdentityThis } from "./identity.context";
import { IDENTITY_DB } from "./identity.entities";
import { KeyManager } from "./key-manager";
import { roleConsumers } from "./role-actions";
import { SessionManager } from "./sessions";
import { TOKEN_ACTIONS } from "./token-action-schemas";
import "./identity.contract";
import "./identity.events";
import { grantListedAdmins } from "./listed-admins";
import { DEFAULT_MAIL_OUTBOX, mailOutboxSettings, MailWorker } from "./mail-outbox";
import { startHourlyUpkeep } from "./hourly-upkeep";

export type { IdentityThis } from "./identity.context";

const IdentityService: ServiceSchema = {
  name: "identity",
  mixins: [DbMixin(IDENTITY_DB), DurableEventsMixin()],

  settings: {
    mailOutbox: DEFAULT_MAIL_OUTBOX,
  },

  // Three groups by what they act on (credentials, tokens, whole accounts); `satisfies` here checks none is missing or extra.
  actions: {
    ...CREDENTIAL_ACTIONS,
    ...TOKEN_ACTIONS,
    ...ACCOUNT_ADMIN_ACTIONS,
  } satisfies ServiceActions<"identity", IdentityThis>,

  events: {
    ...onEvent("identity.keys.rotated", function (this: IdentityThis) {
      this.keys.invalidate();
    }),
  },

  channels: roleConsumers,

  // Lifecycle handlers are typed with moleculer's plain Service `this`.
  created(this: Service) {
    const svc = this as IdentityThis;
    const config = getConfig();
    svc.mailer = createMailer(config, svc.logger);
    svc.pendingMail = new Set();
    svc.keys = new KeyManager(svc.stores.signingKeys, svc.db, config.auth.keyEncryptionSecret);
    svc.sessionManager = new SessionManager(
      svc.stores.sessions,
      svc.stores.refreshTokens,
      svc.db,
      config.auth.refreshTokenTtlS,
    );
  },

  async started(this: Service) {
    const svc = this as IdentityThis;
    await svc.keys.ensureCurrent();
    await grantListedAdmins(svc);
    const mailWorker = new MailWorker(svc, mailOutboxSettings(svc));
    svc.mailWorker = mailWorker;
    mailWorker.start();
    startHourlyUpkeep(svc);
  },

  async stopped(this: Service) {
    const svc = this as IdentityThis;
    if (svc.rotationTimer) clearInterval(svc.rotationTimer);
    await Promise.allSettled([...svc.pendingMail]);
    // Mail still queued stays in the outbox: the next identity node to start sends it.
    await svc.mailWorker?.stop();
    svc.mailer.close();
  },
};

export default IdentityService;
