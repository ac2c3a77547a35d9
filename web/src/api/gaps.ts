import type { DocumentedResponse, Operation, OperationKey } from "./http";
import type { Channel, CursorPage } from "./schemas";

/**
 * Response bodies the OpenAPI document does not declare yet (the gateway is
 * gaining response schemas route by route). Each entry mirrors the action's
 * result type on the server. The checks at the bottom fail the typecheck when
 * an entry names a route that no longer exists, and when the document starts
 * declaring a response for an entry (delete the entry: the generated type
 * takes over).
 */
export interface Page<T> {
  items: T[];
  total?: number;
  limit?: number;
  offset?: number;
  nextCursor?: string | null;
}

export interface AuthUserView {
  id: string;
  username: string;
  roles: string[];
}

export interface TokenResponse {
  tokenType: "Bearer";
  accessToken: string;
  expiresIn: number;
  refreshToken?: string;
  refreshExpiresIn: number;
  user: AuthUserView;
}

export interface PublicProfile {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  links: { label: string; url: string }[];
  followingCount: number;
  createdAt: string;
}

export interface NotificationSettings {
  email: boolean;
  push: boolean;
  liveAlerts: boolean;
  followerAlerts: boolean;
}

export interface PrivateProfile extends PublicProfile {
  email: string | null;
  preferences: { language: string; notifications: NotificationSettings };
}

export interface FollowState {
  channelId: string;
  following: boolean;
  followedAt: string | null;
}

export interface ResponseGaps {
  "get /api/v1/users/{id}": PublicProfile;
  "get /api/v1/me": PrivateProfile;
  "patch /api/v1/me": PrivateProfile;
  "patch /api/v1/me/preferences": PrivateProfile;
  "get /api/v1/me/following": CursorPage<{ channel: Channel; followedAt: string }>;
  "get /api/v1/me/blocks": CursorPage<{ user: PublicProfile; blockedAt: string }>;
  "put /api/v1/me/blocks/{userId}": { userId: string; blocked: true };
  "delete /api/v1/me/blocks/{userId}": { userId: string; blocked: false };
  "get /api/v1/channels/{channelId}/follow": FollowState;
  "put /api/v1/channels/{channelId}/follow": FollowState;
  "delete /api/v1/channels/{channelId}/follow": FollowState;
}

// An entry for a route that is gone fails here.
type UnknownGap = Exclude<keyof ResponseGaps, OperationKey>;
// An entry the document now describes fails here: delete it.
type DocumentedGap = {
  [K in keyof ResponseGaps & OperationKey]: [DocumentedResponse<Operation<K>>] extends [never] ? never : K;
}[keyof ResponseGaps & OperationKey];
type Expect<T extends true> = T;
export type GapChecks = [
  Expect<[UnknownGap] extends [never] ? true : false>,
  Expect<[DocumentedGap] extends [never] ? true : false>,
];
