import { badgeLabel, BADGE_ROLES, rolesOf } from "../lib/roles";

/**
 * A user's global role badges (Staff, Organizer, Creator…), from the cached
 * roles route. `skip` leaves out roles another badge already says (the chat
 * shows the broadcaster's own badge, so "creator" is noise there).
 */
export function RoleBadges({ userId, skip = [] }: { userId: string; skip?: string[] }) {
  const roles = rolesOf(userId)
    .filter((r) => !skip.includes(r))
    .sort((a, b) => BADGE_ROLES.indexOf(a as never) - BADGE_ROLES.indexOf(b as never));
  if (roles.length === 0) return null;
  return (
    <>
      {roles.map((r) => (
        <span key={r} class={`role-badge ${r}`} title={badgeLabel(r)} data-testid="role-badge">
          {badgeLabel(r)}
        </span>
      ))}
    </>
  );
}
