/**
 * A user as stored by the users service, and the two views of it: the
 * public profile anyone may read, and the private one (email, preferences)
 * only the user and admins see.
 */
export interface ProfileLink {
  label: string;
  url: string;
}

export interface NotificationSettings {
  email: boolean;
  push: boolean;
  liveAlerts: boolean;
  followerAlerts: boolean;
}

export interface UserPreferences {
  language: string;
  notifications: NotificationSettings;
}

export interface UserRecord {
  id: string;
  username: string;
  email: string | null;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  links: ProfileLink[];
  language: string;
  notifications: NotificationSettings;
  externalSubject: string | null;
  followingCount: number;
  createdAt: Date;
  updatedAt: Date;
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

export const DEFAULT_NOTIFICATIONS: NotificationSettings = {
  email: true,
  push: true,
  liveAlerts: true,
  followerAlerts: true,
};

export function toPublicProfile(user: UserRecord): PublicProfile {
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

export function toPrivateProfile(user: UserRecord): PrivateProfile {
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

export { plainText } from "../plain-text";
