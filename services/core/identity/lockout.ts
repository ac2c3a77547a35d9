/**
 * Lockout after repeated failures: five wrong passwords lock the account for
 * 15 minutes; each further failure after a lock doubles it, up to a day. A
 * success resets the count. Pure so the policy is tested without a database.
 */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_BASE_MS = 15 * 60 * 1000;
export const LOCKOUT_MAX_MS = 24 * 60 * 60 * 1000;

export interface LockoutState {
  failedLogins: number;
  lockedUntil: Date | null;
}

export function isLocked(state: LockoutState, now: Date): boolean {
  return !!state.lockedUntil && state.lockedUntil.getTime() > now.getTime();
}

export function afterFailure(state: LockoutState, now: Date): LockoutState {
  const failedLogins = state.failedLogins + 1;
  if (failedLogins < LOCKOUT_THRESHOLD) return { failedLogins, lockedUntil: state.lockedUntil };
  const doublings = failedLogins - LOCKOUT_THRESHOLD;
  const duration = Math.min(LOCKOUT_BASE_MS * 2 ** Math.min(doublings, 20), LOCKOUT_MAX_MS);
  return { failedLogins, lockedUntil: new Date(now.getTime() + duration) };
}

export function afterSuccess(): LockoutState {
  return { failedLogins: 0, lockedUntil: null };
}

export function retryAfterSeconds(state: LockoutState, now: Date): number {
  if (!state.lockedUntil) return 0;
  return Math.max(0, Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000));
}
