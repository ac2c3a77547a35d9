/**
 * The actions the users service offers (name → params and result), as the
 * gateway, identity, channels, the realtime gateway and new services call
 * them through `callAction`. users.service.ts is checked against it with
 * `satisfies ServiceActions<"users", UsersThis>`.
 */
import type { UserDataParams } from "../../../lib/contracts/user-data";
import type { CursorPage } from "../../../lib/pagination";
import type { PublicChannel } from "../channels/channel-view";
import type { PrivateProfile, PublicProfile } from "./profile";
import type { BlockDoc, FollowDoc, PROFILE_BOOKKEEPING, UserDoc } from "./users.entities";
import type {
  BlockedAmongParams,
  BlockRelationsParams,
  ByChannelParams,
  ByIdParams,
  ByIdsParams,
  ByUsernameParams,
  ByUserParams,
  FollowerBatchParams,
  FollowersParams,
  FollowingParams,
  GetFollowParams,
  NoParams,
  PageParams,
  ProvisionExternalParams,
  ProvisionParams,
  UpdatePreferencesParams,
  UpdateProfileParams,
} from "./users.params";

export interface FollowState {
  channelId: string;
  following: boolean;
  followedAt: string | null;
}
export interface FollowedChannel {
  channel: PublicChannel;
  followedAt: string;
}
export interface Follower {
  user: PublicProfile;
  followedAt: string;
}
export interface BlockedUser {
  user: PublicProfile;
  blockedAt: string;
}
/** A user's blocks both ways. */
export interface BlockRelations {
  /** Users this user blocked. */
  blockedIds: string[];
  /** Users who blocked this user. */
  blockedByIds: string[];
}
export interface FollowerBatch {
  userIds: string[];
  /** Pass back as `after` for the next page; null after the last one. */
  after: string | null;
}

/** A stored profile as the user's data export shows it: without the identity provider's subject. */
export type ExportedProfile = Omit<UserDoc, (typeof PROFILE_BOOKKEEPING)[number]>;

/** users' section of GET /me/export: the stored profile, the user's follows and the users they block. */
export type UsersUserData = { profile: ExportedProfile | null; follows: FollowDoc[]; blocks: BlockDoc[] };

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** Internal: what users holds of a user, for GET /me/export (the user or an admin). */
    "users.exportUserData": { params: UserDataParams; result: UsersUserData };
    /** Internal: the profile of a just-registered local user (idempotent). */
    "users.provision": { params: ProvisionParams; result: PublicProfile };
    /** Internal (gateways): a Keycloak subject seen for the first time becomes a user. */
    "users.provisionExternal": { params: ProvisionExternalParams; result: { id: string; created: boolean } };
    "users.get": { params: ByIdParams; result: PublicProfile };
    /** Usernames are the public handles; case-insensitive. */
    "users.getByUsername": { params: ByUsernameParams; result: PublicProfile };
    /** In the order asked; unknown ids are left out. */
    "users.getMany": { params: ByIdsParams; result: PublicProfile[] };
    /** The user themself or an admin. */
    "users.getPrivate": { params: ByIdParams; result: PrivateProfile };
    "users.me": { params: NoParams; result: PrivateProfile };
    "users.updateProfile": { params: UpdateProfileParams; result: PrivateProfile };
    "users.updatePreferences": { params: UpdatePreferencesParams; result: PrivateProfile };
    "users.follow": { params: ByChannelParams; result: FollowState };
    "users.unfollow": { params: ByChannelParams; result: FollowState };
    "users.followState": { params: ByChannelParams; result: FollowState };
    /** Since when a user follows a channel, or null (followers-only chat). */
    "users.getFollow": { params: GetFollowParams; result: { followedAt: string } | null };
    "users.following": { params: FollowingParams; result: CursorPage<FollowedChannel> };
    "users.myFollowing": { params: PageParams; result: CursorPage<FollowedChannel> };
    "users.followers": { params: FollowersParams; result: CursorPage<Follower> };
    /** Internal: follower ids in keyset pages (by user id), for fan-out that resumes where it stopped. */
    "users.followerBatch": { params: FollowerBatchParams; result: FollowerBatch };
    "users.block": { params: ByUserParams; result: { userId: string; blocked: true } };
    "users.unblock": { params: ByUserParams; result: { userId: string; blocked: false } };
    "users.blocks": { params: PageParams; result: CursorPage<BlockedUser> };
    /** Internal: which of `ids` the user `userId` has blocked (one query; tournaments check entrants). */
    "users.blockedAmong": { params: BlockedAmongParams; result: { blockedIds: string[] } };
    /** Internal: blocks of each user both ways, keyed by user id (one query; search hides both). */
    "users.blockRelations": { params: BlockRelationsParams; result: Record<string, BlockRelations> };
  }
}
