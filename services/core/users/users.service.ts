import type { Context, ServiceSchema } from "moleculer";
import { join } from "node:path";
import type { ArenaMeta } from "../../../lib/auth/auth-user";
import { isAdmin, requireUser } from "../../../lib/auth/ownership";
import { ForbiddenError, NotFoundError } from "../../../lib/errors";
import { DbMixin } from "../../../mixins/db";
import { DURABLE_EVENTS_MIGRATIONS, DurableEventsMixin, durableHandler } from "../../../mixins/durable-events";
import { ID, type CoreServiceThis } from "../core-service";
import type { BlockDoc, FollowDoc } from "./follows";
import { toPrivateProfile, toPublicProfile, type PrivateProfile, type PublicProfile } from "./profile";
import { freeUsername, provisionUser, type UserDoc } from "./provision";
import { profileActions } from "./profile-actions";
import { followActions } from "./follow-actions";

type UserModels = { profiles: UserDoc; follows: FollowDoc; blocks: BlockDoc };
export type UsersThis = CoreServiceThis<UserModels> & { loadUser(id: string): Promise<UserDoc> };
export type UsersCtx<P> = Context<P, ArenaMeta>;

export interface ProvisionParams {
  id: string;
  username: string;
  displayName?: string;
  email?: string | null;
}
export interface ProvisionExternalParams {
  subject: string;
  username?: string;
  email?: string;
}
export interface IdParams {
  id: string;
}
export interface IdsParams {
  ids: string[];
}

const UsersService: ServiceSchema = {
  name: "users",
  mixins: [
    DbMixin({
      schema: "users",
      primary: "profiles",
      entities: {
        profiles: {
          table: "profiles",
          kind: "relational",
          fields: {
            username: { type: "string", required: true },
            email: { type: "string" },
            displayName: { type: "string", required: true },
            bio: { type: "text", default: "" },
            avatarUrl: { type: "string" },
            links: { type: "json", default: () => [] },
            language: { type: "string", default: "en" },
            notifications: { type: "json", default: () => ({}) },
            externalSubject: { type: "string" },
            followingCount: { type: "integer", default: 0 },
          },
        },
        follows: {
          table: "follows",
          kind: "relational",
          fields: { userId: { type: "string", required: true }, channelId: { type: "string", required: true } },
        },
        blocks: {
          table: "blocks",
          kind: "relational",
          fields: { userId: { type: "string", required: true }, blockedUserId: { type: "string", required: true } },
        },
      },
      migrations: [{ name: "users", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
    }),
    DurableEventsMixin(),
  ],

  actions: {
    /** Internal: creates the profile of a just-registered local user (idempotent). */
    provision: {
      visibility: "public",
      params: {
        id: ID,
        username: { type: "string", min: 1, max: 64 },
        displayName: { type: "string", min: 1, max: 50, optional: true },
        email: { type: "string", max: 254, optional: true, nullable: true },
      },
      async handler(this: UsersThis, ctx: UsersCtx<ProvisionParams>): Promise<PublicProfile> {
        return toPublicProfile((await provisionUser(this.stores.profiles, ctx.params)).user);
      },
    },

    /**
     * Internal (gateway): a Keycloak subject seen for the first time becomes an
     * Arena user whose id is the subject. Publishes user.registered once.
     */
    provisionExternal: {
      visibility: "public",
      params: {
        subject: { type: "string", min: 1, max: 100 },
        username: { type: "string", max: 255, optional: true },
        email: { type: "string", max: 254, optional: true },
      },
      async handler(
        this: UsersThis,
        ctx: UsersCtx<ProvisionExternalParams>,
      ): Promise<{ id: string; created: boolean }> {
        const existing = await this.stores.profiles.findById(ctx.params.subject);
        if (existing) return { id: existing.id, created: false };
        return this.db.transaction(async () => {
          const username = await freeUsername(this.stores.profiles, ctx.params.username ?? ctx.params.subject);
          const { user, created } = await provisionUser(this.stores.profiles, {
            id: ctx.params.subject,
            username,
            email: ctx.params.email ?? null,
            externalSubject: ctx.params.subject,
          });
          if (created) {
            await this.publishDurable("user.registered", {
              userId: user.id,
              username: user.username,
              email: user.email,
              source: "oidc",
              registeredAt: user.createdAt.toISOString(),
            });
          }
          return { id: user.id, created };
        });
      },
    },

    /** Public profile of one user. */
    get: {
      params: { id: ID },
      async handler(this: UsersThis, ctx: UsersCtx<IdParams>): Promise<PublicProfile> {
        return toPublicProfile(await this.loadUser(ctx.params.id));
      },
    },

    /** Public profiles of many users, in the order asked; unknown ids are left out. */
    getMany: {
      params: { ids: { type: "array", items: ID, max: 200 } },
      async handler(this: UsersThis, ctx: UsersCtx<IdsParams>): Promise<PublicProfile[]> {
        return (await this.stores.profiles.findByIds(ctx.params.ids)).map(toPublicProfile);
      },
    },

    /** Private profile (email, preferences): the user themself or an admin. */
    getPrivate: {
      params: { id: ID },
      async handler(this: UsersThis, ctx: UsersCtx<IdParams>): Promise<PrivateProfile> {
        const caller = requireUser(ctx);
        if (caller.id !== ctx.params.id && !isAdmin(caller))
          throw new ForbiddenError("Private profile data is only for its owner");
        return toPrivateProfile(await this.loadUser(ctx.params.id));
      },
    },

    /** The caller's own private profile. */
    me: {
      params: {},
      async handler(this: UsersThis, ctx: UsersCtx<Record<string, never>>): Promise<PrivateProfile> {
        return toPrivateProfile(await this.loadUser(requireUser(ctx).id));
      },
    },

    ...profileActions,
    ...followActions,
  },

  channels: {
    // Backstop for users.provision: the profile exists even if that call failed.
    ...durableHandler("user.registered", {
      group: "users",
      async handler(this: UsersThis, envelope) {
        const { userId, username, displayName, email, source } = envelope.payload;
        if (source !== "local") return;
        await provisionUser(this.stores.profiles, { id: userId, username, displayName, email });
      },
    }),
  },

  methods: {
    async loadUser(this: UsersThis, id: string): Promise<UserDoc> {
      const user = await this.stores.profiles.findById(id);
      if (!user) throw new NotFoundError("User", id);
      return user;
    },
  },
};

export default UsersService;
