/** Creating users: from the built-in issuer's registration, and from a Keycloak subject's first request. */
import type { ActionContext } from "../../../lib/contracts";
import { durableHandler } from "../../../mixins/durable-events";
import { toPublicProfile, type PublicProfile } from "./profile";
import { freeUsername, provisionUser, type ProvisionInput } from "./provision";
import type { UserDoc } from "./users.entities";
import type { UsersThis } from "./users.context";

/** Creates the profile if absent and, in the same transaction, publishes user.provisioned once (only by its creator). */
async function provisionAndAnnounce(
  svc: UsersThis,
  input: ProvisionInput,
): Promise<{ user: UserDoc; created: boolean }> {
  return svc.db.transaction(async () => {
    const result = await provisionUser(svc.stores.profiles, input);
    if (result.created) {
      const { id, username, displayName, createdAt } = result.user;
      await svc.publishDurable("user.provisioned", {
        userId: id,
        username,
        displayName,
        createdAt: createdAt.toISOString(),
      });
    }
    return result;
  });
}

/** The profile of a just-registered local user (idempotent: the user.registered consumer may run it too). */
export async function provisionLocalUser(
  svc: UsersThis,
  ctx: ActionContext<"users.provision">,
): Promise<PublicProfile> {
  return toPublicProfile((await provisionAndAnnounce(svc, ctx.params)).user);
}

/** A Keycloak subject seen for the first time becomes an Arena user whose id is the subject; user.registered once. */
export async function provisionExternalUser(
  svc: UsersThis,
  ctx: ActionContext<"users.provisionExternal">,
): Promise<{ id: string; created: boolean }> {
  const existing = await svc.stores.profiles.findById(ctx.params.subject);
  if (existing) return { id: existing.id, created: false };
  return svc.db.transaction(async () => {
    const username = await freeUsername(svc.stores.profiles, ctx.params.username ?? ctx.params.subject);
    const { user, created } = await provisionAndAnnounce(svc, {
      id: ctx.params.subject,
      username,
      email: ctx.params.email ?? null,
      externalSubject: ctx.params.subject,
    });
    if (created) {
      await svc.publishDurable("user.registered", {
        userId: user.id,
        username: user.username,
        email: user.email,
        source: "oidc",
        registeredAt: user.createdAt.toISOString(),
      });
    }
    return { id: user.id, created };
  });
}

/** Durable consumers: the backstop for users.provision, so the profile exists even if that call failed. */
export const provisionConsumers = {
  ...durableHandler("user.registered", {
    group: "users",
    async handler(this: UsersThis, envelope) {
      const { userId, username, displayName, email, source } = envelope.payload;
      if (source !== "local") return;
      await provisionAndAnnounce(this, { id: userId, username, displayName, email });
    },
  }),
  /** The private profile's copy of the address follows identity's (idempotent; a deleted profile stays gone). */
  ...durableHandler("user.email.changed", {
    group: "users",
    async handler(this: UsersThis, envelope) {
      await this.stores.profiles.updateById(envelope.payload.userId, { email: envelope.payload.email });
    },
  }),
};
