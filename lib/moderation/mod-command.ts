/**
 * Validates a moderation command from any client (WebSocket frame or REST
 * body) into the typed union; returns a message describing the first problem.
 */
import { toPlainText } from "../text/plain-text";
import { ID_PATTERN } from "../validation";
import type { ModCommand } from "./room-moderation";

function str(o: Record<string, unknown>, key: string, re?: RegExp, max = 10000): string | undefined {
  const v = o[key];
  if (typeof v !== "string" || v.length > max) return undefined;
  if (re && !re.test(v)) return undefined;
  return v;
}

export function parseModCommand(o: Record<string, unknown>): ModCommand | string {
  const action = o.action;
  const userId = str(o, "userId", ID_PATTERN);
  const rawReason = o.reason === undefined ? undefined : str(o, "reason", undefined, 200);
  if (o.reason !== undefined && rawReason === undefined) return "reason must be a string of at most 200 characters";
  // Reasons and terms are shown to the room's moderators: the plain-text rule, like every stored user string.
  const reason = rawReason === undefined ? undefined : toPlainText(rawReason) || undefined;
  const enabled = o.enabled;
  switch (action) {
    case "ban":
    case "unban":
    case "untimeout":
      if (!userId) return "userId is required";
      return action === "ban" ? { action, userId, reason } : { action, userId };
    case "timeout": {
      const durationS = o.durationS;
      if (!userId) return "userId is required";
      if (typeof durationS !== "number" || !Number.isInteger(durationS) || durationS < 1 || durationS > 1209600)
        return "durationS must be an integer between 1 and 1209600";
      return { action, userId, durationS, reason };
    }
    case "slow": {
      const seconds = o.seconds;
      if (typeof seconds !== "number" || !Number.isInteger(seconds) || seconds < 0 || seconds > 120)
        return "seconds must be an integer between 0 and 120";
      return { action, seconds };
    }
    case "followersOnly": {
      const minFollowAgeS = o.minFollowAgeS ?? 0;
      if (typeof enabled !== "boolean") return "enabled must be a boolean";
      if (
        typeof minFollowAgeS !== "number" ||
        !Number.isInteger(minFollowAgeS) ||
        minFollowAgeS < 0 ||
        minFollowAgeS > 7776000
      )
        return "minFollowAgeS must be an integer between 0 and 7776000";
      return { action, enabled, minFollowAgeS };
    }
    case "uniqueChat":
    case "emoteOnly":
      if (typeof enabled !== "boolean") return "enabled must be a boolean";
      return { action, enabled };
    case "links":
      if (typeof o.allowed !== "boolean") return "allowed must be a boolean";
      return { action, allowed: o.allowed };
    case "blockTerm":
    case "unblockTerm": {
      const raw = str(o, "term", undefined, 100);
      const term = raw === undefined ? undefined : toPlainText(raw);
      if (!term) return "term must be a non-empty string of at most 100 characters";
      return { action, term };
    }
    default:
      return "unknown moderation action";
  }
}
