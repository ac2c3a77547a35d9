/**
 * identity's hourly upkeep while it runs: the signing-key rotation check,
 * purging ended sessions and purging mail the outbox gave up on. Each step
 * logs its own failure and the others still run.
 */
import { DEFAULT_CLOCK_TOLERANCE_S } from "../../../lib/auth/jwt-verifier";
import { getConfig } from "../../../lib/config";
import type { IdentityThis } from "./identity.context";
import { mailOutboxSettings, purgeFailedMail } from "./mail-outbox";

const ROTATION_CHECK_MS = 60 * 60 * 1000;
/** Ended sessions stay (listed as revoked to gateways) until their last access token, clock skew included, has expired. */
const SESSION_KEEP_AFTER_END_S = (): number => getConfig().auth.accessTokenTtlS + 2 * DEFAULT_CLOCK_TOLERANCE_S + 60;

/** Sets `svc.rotationTimer` (cleared when the service stops); the timer does not keep the process alive. */
export function startHourlyUpkeep(svc: IdentityThis): void {
  svc.rotationTimer = setInterval(() => {
    svc.keys.ensureCurrent().catch((err: Error) => svc.logger.error("Signing key rotation check failed", err));
    svc.sessionManager
      .purgeEnded(SESSION_KEEP_AFTER_END_S())
      .catch((err: Error) => svc.logger.warn("Purging ended sessions failed", err.message));
    purgeFailedMail(svc, mailOutboxSettings(svc).keepFailedMs).catch((err: Error) =>
      svc.logger.warn("Purging given-up mail failed", err.message),
    );
  }, ROTATION_CHECK_MS);
  svc.rotationTimer.unref();
}
