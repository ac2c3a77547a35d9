/**
 * users: profiles and preferences, follows (user → channel) and blocks
 * (user → user). Profiles of local users are provisioned at registration
 * (and by the user.registered consumer as a backstop); Keycloak users on
 * their first request. Domain logic lives in the neighbouring files; this
 * file wires actions, events and lifecycle.
 */
import type { ServiceSchema } from "moleculer";
import type { ServiceActions } from "../../../lib/contracts";
import { DbMixin } from "../../../mixins/db";
import { DurableEventsMixin } from "../../../mixins/durable-events";
import { perUserRead, publicRead, ReadCacheMixin } from "../../../mixins/read-cache";
import { block, blockedAmong, blockRelations, listBlocks, unblock } from "./block-actions";
import {
  follow,
  followerBatch,
  followers,
  following,
  followState,
  getFollow,
  myFollowing,
  unfollow,
} from "./follow-actions";
import { updatePreferences, updateProfile } from "./profile-actions";
import { provisionConsumers, provisionExternalUser, provisionLocalUser } from "./provision-actions";
import { getManyUsers, getOwnProfile, getPrivateProfile, getUser, getUserByUsername } from "./read-actions";
import { exportUserData, userDeletionHandlers } from "./user-data";
import type { ArenaContext } from "../../../lib/contracts";
import { USER_DATA_PARAMS, type UserDataParams } from "../../../lib/contracts/user-data";
import type { UsersThis } from "./users.context";
import { USERS_DB } from "./users.entities";
import * as P from "./users.params";
import "./users.contract";
import "./users.events";

export type { UsersThis } from "./users.context";

const UsersService: ServiceSchema = {
  name: "users",
  // ReadCacheMixin: public profiles, and /me per user, are cached until a write of this service (mixins/read-cache).
  mixins: [DbMixin(USERS_DB), DurableEventsMixin(), ReadCacheMixin()],

  actions: {
    /** Internal: creates the profile of a just-registered local user (idempotent). */
    provision: {
      visibility: "public" as const,
      params: P.PROVISION,
      handler(ctx) {
        return provisionLocalUser(this, ctx);
      },
    },

    /**
     * Internal (gateway): a Keycloak subject seen for the first time becomes an
     * Arena user whose id is the subject. Publishes user.registered once.
     */
    provisionExternal: {
      visibility: "public" as const,
      params: P.PROVISION_EXTERNAL,
      handler(ctx) {
        return provisionExternalUser(this, ctx);
      },
    },

    /** Public profile of one user. */
    get: {
      cache: publicRead(["id"]),
      params: P.BY_ID,
      handler(ctx) {
        return getUser(this, ctx);
      },
    },

    /** Public profile of one user by username (the public handle), case-insensitive. */
    getByUsername: {
      cache: publicRead(["username"]),
      params: P.BY_USERNAME,
      handler(ctx) {
        return getUserByUsername(this, ctx);
      },
    },

    /** Public profiles of many users, in the order asked; unknown ids are left out. */
    getMany: {
      params: P.BY_IDS,
      handler(ctx) {
        return getManyUsers(this, ctx);
      },
    },

    /** Private profile (email, preferences): the user themself or an admin. */
    getPrivate: {
      params: P.BY_ID,
      handler(ctx) {
        return getPrivateProfile(this, ctx);
      },
    },

    /** The caller's own private profile. */
    me: {
      cache: perUserRead(),
      params: P.NONE,
      handler(ctx) {
        return getOwnProfile(this, ctx);
      },
    },

    /** Changes the caller's public profile; publishes user.updated. */
    updateProfile: {
      params: P.UPDATE_PROFILE,
      handler(ctx) {
        return updateProfile(this, ctx);
      },
    },

    /** Changes the caller's preferences (private: no event). */
    updatePreferences: {
      params: P.UPDATE_PREFERENCES,
      handler(ctx) {
        return updatePreferences(this, ctx);
      },
    },

    /** Follows a channel; publishes channel.followed once (idempotent). */
    follow: {
      params: P.BY_CHANNEL,
      handler(ctx) {
        return follow(this, ctx);
      },
    },

    /** Unfollows a channel; publishes channel.unfollowed when a follow existed. */
    unfollow: {
      params: P.BY_CHANNEL,
      handler(ctx) {
        return unfollow(this, ctx);
      },
    },

    /** Whether the caller follows a channel (the follow button's state, however many channels they follow). */
    followState: {
      params: P.BY_CHANNEL,
      handler(ctx) {
        return followState(this, ctx);
      },
    },

    /** Since when a user follows a channel, or null (followers-only chat). */
    getFollow: {
      params: P.GET_FOLLOW,
      handler(ctx) {
        return getFollow(this, ctx);
      },
    },

    /** Channels a user follows, newest first (public). */
    following: {
      params: P.FOLLOWING,
      handler(ctx) {
        return following(this, ctx);
      },
    },

    /** Channels the caller follows. */
    myFollowing: {
      params: P.PAGE,
      handler(ctx) {
        return myFollowing(this, ctx);
      },
    },

    /** Followers of a channel, newest first; 404 for an unknown channel. */
    followers: {
      params: P.FOLLOWERS,
      handler(ctx) {
        return followers(this, ctx);
      },
    },

    /** Internal: follower ids in keyset pages (by user id), for fan-out that resumes where it stopped. */
    followerBatch: {
      visibility: "public" as const,
      params: P.FOLLOWER_BATCH,
      handler(ctx) {
        return followerBatch(this, ctx);
      },
    },

    /** Blocks a user (ends their follow of, and any role on, the caller's channel). */
    block: {
      params: P.BY_USER,
      handler(ctx) {
        return block(this, ctx);
      },
    },

    unblock: {
      params: P.BY_USER,
      handler(ctx) {
        return unblock(this, ctx);
      },
    },

    /** Users the caller blocked (private). */
    blocks: {
      params: P.PAGE,
      handler(ctx) {
        return listBlocks(this, ctx);
      },
    },

    /** Internal (not routed): which of `ids` the user `userId` has blocked. */
    blockedAmong: {
      params: P.BLOCKED_AMONG,
      handler(ctx) {
        return blockedAmong(this, ctx);
      },
    },

    /** Internal (not routed): who each of `userIds` blocked and who blocked them. */
    blockRelations: {
      params: P.BLOCK_RELATIONS,
      handler(ctx) {
        return blockRelations(this, ctx);
      },
    },

    /** Internal: what users holds of a user, for GET /me/export (the user or an admin). */
    exportUserData: {
      visibility: "public" as const,
      params: USER_DATA_PARAMS,
      handler(this: UsersThis, ctx: ArenaContext<UserDataParams>) {
        return exportUserData(this, ctx);
      },
    },
  } satisfies ServiceActions<"users", UsersThis>,

  channels: { ...provisionConsumers, ...userDeletionHandlers },
};

export default UsersService;
