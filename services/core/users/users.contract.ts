/**
 * The actions the users service offers (name → params and result), as the
 * gateway, identity, channels, the realtime gateway and new services call
 * them through `callAction`. users.service.ts is checked against it with
 * `satisfies ServiceActions<"users", UsersThis>`.
 */
import type { Page } from "../../../lib/pagination";
import type {
  BlockedUser,
  ChannelIdParams,
  FollowedChannel,
  Follower,
  FollowersParams,
  FollowingParams,
  FollowState,
  GetFollowParams,
  PageParams,
  UserIdParams,
} from "./follow-actions";
import type { PrivateProfile, PublicProfile } from "./profile";
import type { UpdatePreferencesParams, UpdateProfileParams } from "./profile-actions";
import type { IdParams, IdsParams, ProvisionExternalParams, ProvisionParams } from "./users.service";

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** Internal: the profile of a just-registered local user (idempotent). */
    "users.provision": { params: ProvisionParams; result: PublicProfile };
    /** Internal (gateways): a Keycloak subject seen for the first time becomes a user. */
    "users.provisionExternal": { params: ProvisionExternalParams; result: { id: string; created: boolean } };
    "users.get": { params: IdParams; result: PublicProfile };
    /** In the order asked; unknown ids are left out. */
    "users.getMany": { params: IdsParams; result: PublicProfile[] };
    "users.getPrivate": { params: IdParams; result: PrivateProfile };
    "users.me": { params: Record<string, never>; result: PrivateProfile };
    "users.updateProfile": { params: UpdateProfileParams; result: PrivateProfile };
    "users.updatePreferences": { params: UpdatePreferencesParams; result: PrivateProfile };
    "users.follow": { params: ChannelIdParams; result: FollowState };
    "users.unfollow": { params: ChannelIdParams; result: FollowState };
    /** Since when a user follows a channel, or null (followers-only chat). */
    "users.getFollow": { params: GetFollowParams; result: { followedAt: string } | null };
    "users.following": { params: FollowingParams; result: Page<FollowedChannel> };
    "users.myFollowing": { params: PageParams; result: Page<FollowedChannel> };
    "users.followers": { params: FollowersParams; result: Page<Follower> };
    /** Internal: follower ids in follow order, in large pages, for fan-out. */
    "users.followerIds": { params: FollowersParams; result: { userIds: string[]; total: number } };
    "users.block": { params: UserIdParams; result: { userId: string; blocked: true } };
    "users.unblock": { params: UserIdParams; result: { userId: string; blocked: false } };
    "users.blocks": { params: PageParams; result: Page<BlockedUser> };
  }
}
