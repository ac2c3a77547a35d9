import type { EntityStore } from "../../../mixins/db";
import { DEFAULT_NOTIFICATIONS, type UserDoc } from "./users.entities";

export interface ProvisionInput {
  id: string;
  username: string;
  /** Defaults to the username as given. */
  displayName?: string;
  email?: string | null;
  externalSubject?: string | null;
}

/** Idempotent: the register call and the user.registered consumer may both run it. */
export async function provisionUser(
  users: EntityStore<UserDoc>,
  input: ProvisionInput,
): Promise<{ user: UserDoc; created: boolean }> {
  const username = input.username.toLowerCase();
  const created = await users.insertIfAbsent({
    id: input.id,
    username,
    email: input.email ?? null,
    displayName: input.displayName ?? input.username,
    bio: "",
    avatarUrl: null,
    links: [],
    language: "en",
    notifications: { ...DEFAULT_NOTIFICATIONS },
    externalSubject: input.externalSubject ?? null,
    followingCount: 0,
  });
  const user = await users.findById(input.id);
  if (!user) throw new Error(`User ${input.id} could not be provisioned (username ${username} taken?)`);
  return { user, created };
}

/**
 * Keycloak's preferred_username may collide with an existing Arena user (or
 * be absent); a numeric suffix keeps usernames unique without refusing login.
 */
export async function freeUsername(users: EntityStore<UserDoc>, wanted: string): Promise<string> {
  const base = (
    wanted
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, "_")
      .slice(0, 20) || "user"
  ).padEnd(3, "_");
  if (!(await users.findOne({ username: base }))) return base;
  for (let i = 2; i < 1000; i++) {
    const candidate = `${base}${i}`;
    if (!(await users.findOne({ username: candidate }))) return candidate;
  }
  return `${base}${Date.now().toString(36)}`;
}
