import { signal } from "@preact/signals";
import { api } from "../api/http";

/**
 * Global role badges (GET /users/:userId/roles), cached per tab: a chat
 * shows the same few hundred names again and again, so each user is asked
 * for once per CACHE_MS and concurrent asks share one request. A failure
 * is cached briefly as "no badges" (badges are decoration; never retried
 * in a loop).
 */
const CACHE_MS = 5 * 60_000;
const FAILED_CACHE_MS = 30_000;

interface Entry {
  roles: string[] | undefined;
  at: number;
  ttl: number;
  pending?: Promise<string[]>;
}

const cache = new Map<string, Entry>();
/** Bumped when an answer arrives, so components reading `rolesOf` re-render. */
export const rolesVersion = signal(0);

/** Roles worth a badge, in display order (viewer is everyone; creator is anyone with a channel). */
export const BADGE_ROLES = ["admin", "moderator", "editor", "organizer", "creator"] as const;
const BADGE_LABEL: Record<string, string> = {
  admin: "Staff",
  moderator: "Site mod",
  editor: "Editor",
  organizer: "Organizer",
  creator: "Creator",
};

export function badgeLabel(role: string): string {
  return BADGE_LABEL[role] ?? role;
}

export function fetchRoles(userId: string, now = Date.now()): Promise<string[]> {
  const hit = cache.get(userId);
  if (hit?.pending) return hit.pending;
  if (hit?.roles && now - hit.at < hit.ttl) return Promise.resolve(hit.roles);
  const pending = api("get /api/v1/users/{userId}/roles", { path: { userId } })
    .then((res) => {
      cache.set(userId, { roles: res.roles, at: Date.now(), ttl: CACHE_MS });
      return res.roles;
    })
    .catch(() => {
      cache.set(userId, { roles: [], at: Date.now(), ttl: FAILED_CACHE_MS });
      return [];
    })
    .finally(() => {
      rolesVersion.value++;
    });
  cache.set(userId, { roles: hit?.roles, at: hit?.at ?? 0, ttl: hit?.ttl ?? 0, pending });
  return pending;
}

/**
 * The badge roles of a user as known now (reading the signal subscribes the
 * caller to updates); asks the server when unknown or stale.
 */
export function rolesOf(userId: string): string[] {
  void rolesVersion.value;
  const entry = cache.get(userId);
  if (!entry || (!entry.pending && Date.now() - entry.at >= entry.ttl)) void fetchRoles(userId);
  return (entry?.roles ?? []).filter((r): r is string => (BADGE_ROLES as readonly string[]).includes(r));
}
