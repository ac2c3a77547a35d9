/**
 * The actions the channels service offers (name → params and result), as
 * the gateway, users, streams, chat, videos and the realtime gateway call
 * them through `callAction`. channels.service.ts is checked against it with
 * `satisfies ServiceActions<"channels", ChannelsThis>`.
 */
import type { UserDataParams } from "../../../lib/contracts/user-data";
import type { CursorPage } from "../../../lib/pagination";
import type { ChatPolicy } from "../../../lib/moderation";
import type { PublicChannel } from "./channel-view";
import type { ChannelDoc, ChannelMemberDoc } from "./channels.entities";
import type {
  ByIdParams,
  ByIdsParams,
  BySlugParams,
  ChatPolicyParams,
  CreateChannelParams,
  ListChannelsParams,
  MemberParams,
  StreamKeyParams,
  SuspendParams,
  UpdateChannelParams,
} from "./channels.params";

/** The new channel and its stream key: the only time the key is shown. */
export interface ChannelWithKey {
  channel: PublicChannel;
  streamKey: string;
}

export interface RotatedStreamKey {
  channelId: string;
  streamKey: string;
}

/** Whose broadcast a stream key opens (ingest). */
export interface StreamKeyOwner {
  channelId: string;
  ownerId: string;
}

export interface ChannelSuspensionState {
  channelId: string;
  suspended: boolean;
}

export interface SuspensionResult {
  channelId: string;
  suspended: boolean;
  suspendedAt: string | null;
  reason: string | null;
}

/** channels' section of GET /me/export: the channels the user owns (the stream key's hash is a credential, left out) and their moderator/VIP places. */
export type ChannelsUserData = { channels: Array<Omit<ChannelDoc, "streamKeyHash">>; memberships: ChannelMemberDoc[] };

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** Internal: what channels holds of a user, for GET /me/export (the user or an admin). */
    "channels.exportUserData": { params: UserDataParams; result: ChannelsUserData };
    "channels.get": { params: ByIdParams; result: PublicChannel };
    "channels.getBySlug": { params: BySlugParams; result: PublicChannel };
    /** In the order asked; unknown ids are left out. */
    "channels.getMany": { params: ByIdsParams; result: PublicChannel[] };
    "channels.list": { params: ListChannelsParams; result: CursorPage<PublicChannel> };
    "channels.getChatPolicy": { params: ChatPolicyParams; result: ChatPolicy };
    "channels.create": { params: CreateChannelParams; result: ChannelWithKey };
    "channels.update": { params: UpdateChannelParams; result: PublicChannel };
    "channels.rotateStreamKey": { params: ByIdParams; result: RotatedStreamKey };
    /** Internal (ingest): 403 for an unknown, rotated or suspended key. */
    "channels.verifyStreamKey": { params: StreamKeyParams; result: StreamKeyOwner };
    "channels.addModerator": { params: MemberParams; result: ChatPolicy };
    "channels.removeModerator": { params: MemberParams; result: ChatPolicy };
    "channels.addVip": { params: MemberParams; result: ChatPolicy };
    "channels.removeVip": { params: MemberParams; result: ChatPolicy };
    "channels.suspend": { params: SuspendParams; result: SuspensionResult };
    "channels.unsuspend": { params: ByIdParams; result: SuspensionResult };
    /** Internal (search's reindex): which of `ids` are suspended; unknown ids are left out. */
    "channels.suspensions": { params: ByIdsParams; result: { items: ChannelSuspensionState[] } };
  }
}
