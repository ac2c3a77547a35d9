/**
 * The two views of a user: the public profile anyone may read, and the
 * private one (email, preferences) only the user and admins see.
 */
import { DEFAULT_NOTIFICATIONS, type NotificationSettings, type ProfileLink, type UserDoc } from "./users.entities";

export interface UserPreferences {
  language: string;
  notifications: NotificationSettings;
}

export interface PublicProfile {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  links: ProfileLink[];
  followingCount: number;
  createdAt: string;
}

export interface PrivateProfile extends PublicProfile {
  email: string | null;
  preferences: UserPreferences;
}

export function toPublicProfile(user: UserDoc): PublicProfile {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    bio: user.bio,
    avatarUrl: user.avatarUrl,
    links: user.links,
    followingCount: user.followingCount,
    createdAt: new Date(user.createdAt).toISOString(),
  };
}

export function toPrivateProfile(user: UserDoc): PrivateProfile {
  return {
    ...toPublicProfile(user),
    email: user.email,
    preferences: { language: user.language, notifications: { ...DEFAULT_NOTIFICATIONS, ...user.notifications } },
  };
}

/** Only http(s) URLs: a `javascript:` link in a profile would be an XSS vector in every client. */
export function isSafeHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
