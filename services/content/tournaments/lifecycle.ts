/**
 * A tournament's lifecycle: draft → registration_open → check_in → running →
 * completed, or cancelled from any state before completed. Check-in may be
 * skipped when the tournament has none (start straight from registration).
 * Every transition is explicit; anything else is refused (409).
 */
export const TOURNAMENT_STATUSES = [
  "draft",
  "registration_open",
  "check_in",
  "running",
  "completed",
  "cancelled",
] as const;
export type TournamentStatus = (typeof TOURNAMENT_STATUSES)[number];

export type Transition = "open_registration" | "open_check_in" | "start" | "complete" | "cancel";

const MOVES: Record<Transition, { from: readonly TournamentStatus[]; to: TournamentStatus }> = {
  open_registration: { from: ["draft"], to: "registration_open" },
  open_check_in: { from: ["registration_open"], to: "check_in" },
  start: { from: ["registration_open", "check_in"], to: "running" },
  complete: { from: ["running"], to: "completed" },
  cancel: { from: ["draft", "registration_open", "check_in", "running"], to: "cancelled" },
};

export class TransitionError extends Error {}

/** The status after `transition`, or a TransitionError saying why not. */
export function nextStatus(
  current: TournamentStatus,
  transition: Transition,
  options: { hasCheckIn: boolean },
): TournamentStatus {
  const move = MOVES[transition];
  if (!move.from.includes(current))
    throw new TransitionError(`Cannot ${transition.replace(/_/g, " ")} from ${current}`);
  if (transition === "start" && current === "registration_open" && options.hasCheckIn)
    throw new TransitionError("This tournament has a check-in: open check-in before starting");
  if (transition === "open_check_in" && !options.hasCheckIn)
    throw new TransitionError("This tournament has no check-in");
  return move.to;
}

/** Registration (and withdrawal) is possible while registration or check-in is open. */
export function acceptsRegistration(status: TournamentStatus): boolean {
  return status === "registration_open" || status === "check_in";
}

/** Fields an organizer may still edit in a status (format and size are fixed once registration opens). */
export function editableFields(status: TournamentStatus): "all" | "details" | "none" {
  if (status === "draft") return "all";
  if (status === "registration_open" || status === "check_in" || status === "running") return "details";
  return "none";
}
