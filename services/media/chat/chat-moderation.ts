/**
 * Durable room moderation: read, change under optimistic concurrency (two
 * moderators acting at once never lose a change), and log. Authorization
 * uses the channel's chat policy from the channels service.
 */
import type { AuthUser, Role } from "../../../lib/auth/auth-user";
import { ForbiddenError, ValidationError } from "../../../lib/errors";
import type { EntityStore } from "../../../mixins/db";
import {
  applyModCommand,
  authorizeModCommand,
  commandTarget,
  emptyModeration,
  modCommandProblem,
  pruneExpiredBans,
  roomRole,
  type ChatPolicy,
  type ModChange,
  type ModCommand,
  type RoomModerationState,
} from "../../../lib/moderation";
import type { ModerationDoc } from "./chat.entities";

export async function readModeration(
  store: EntityStore<ModerationDoc>,
  channelId: string,
  now: number,
): Promise<RoomModerationState> {
  const doc = await store.findById(channelId);
  return doc ? pruneExpiredBans(doc.state, now) : emptyModeration(channelId);
}

/**
 * Whether `user` may run `command` in the room. `targetRoles` are the global
 * roles of the command's target (a moderator never bans or times out a site
 * admin); without them the target counts as a plain user.
 */
export function authorize(
  user: AuthUser,
  policy: ChatPolicy,
  command: ModCommand | null,
  targetRoles: readonly Role[] = [],
): void {
  const actor = roomRole(user, policy);
  const target = command ? commandTarget(command) : null;
  const targetRole = target === null ? null : roomRole({ id: target, roles: targetRoles }, policy);
  const verdict = command
    ? authorizeModCommand(actor, command, targetRole)
    : authorizeModCommand(actor, { action: "slow", seconds: 0 }, null);
  if (!verdict.ok) throw new ForbiddenError(verdict.reason);
}

/** Applies a command with compare-and-set on `version`, retrying on a concurrent change. */
export async function changeModeration(
  store: EntityStore<ModerationDoc>,
  channelId: string,
  command: ModCommand,
  actorId: string,
  now: number,
): Promise<{ state: RoomModerationState; change: ModChange }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const doc = await store.findById(channelId);
    const current = doc ? pruneExpiredBans(doc.state, now) : emptyModeration(channelId);
    const problem = modCommandProblem(current, command);
    if (problem) throw new ValidationError(problem, [{ field: "command", message: problem }]);
    const result = applyModCommand(current, command, actorId, now);
    if (!doc) {
      if (await store.insertIfAbsent({ id: channelId, state: result.state, version: result.state.version }))
        return result;
      continue;
    }
    // The state keeps counting from the stored version even after pruning.
    result.state.version = doc.version + 1;
    const updated = await store.updateMany(
      { id: channelId, version: doc.version },
      { state: result.state, version: result.state.version },
    );
    if (updated === 1) return result;
  }
  throw new Error(`moderation of ${channelId}: too many concurrent changes`);
}
