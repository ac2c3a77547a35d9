import { Errors } from "moleculer";

/**
 * Every client-facing failure is one of these: a stable `type` code the
 * gateway puts in the error body, and an HTTP status. Services throw them;
 * the gateway renders them with one body shape (see services/edge/api/error-body.ts).
 */
export type ErrorCode =
  | "VALIDATION_ERROR"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "SERVICE_UNAVAILABLE";

/** One entry of an error body's `details` list: which field (when one is to blame) and what is wrong with it. */
export interface ErrorDetail {
  field?: string;
  message: string;
}

/**
 * A NOT_FOUND detail also carries the id that was looked up, so the gateway
 * can name the path parameter that held it (a channel missing behind
 * `/channels/:channelId/follow` is `channelId` there, whatever `channels`
 * called it). The gateway strips `value` from the body.
 */
export interface NotFoundDetail extends ErrorDetail {
  value?: string;
}

/**
 * `details` is always a list of ErrorDetail (the gateway renders it as the
 * body's `details`); the only other `data` a client error carries is a
 * transport hint the gateway turns into a header (RateLimitedError's
 * `retryAfterS` → Retry-After).
 */
export class ArenaClientError extends Errors.MoleculerClientError {
  constructor(message: string, status: number, code: ErrorCode, details?: ErrorDetail[]) {
    super(message, status, code, details);
  }
}

export class ValidationError extends ArenaClientError {
  constructor(message: string, details?: ErrorDetail[]) {
    super(message, 400, "VALIDATION_ERROR", details);
  }
}

export class UnauthorizedError extends ArenaClientError {
  constructor(message = "Authentication required") {
    super(message, 401, "UNAUTHORIZED");
  }
}

export class ForbiddenError extends ArenaClientError {
  constructor(message = "You are not allowed to do this") {
    super(message, 403, "FORBIDDEN");
  }
}

export class NotFoundError extends ArenaClientError {
  /** `field`: the parameter that held `id` (default "id"); the gateway renames it after the route's path parameter holding the same value. */
  constructor(what: string, id?: string, field = "id") {
    const message = id ? `${what} ${id} not found` : `${what} not found`;
    const details: NotFoundDetail[] | undefined = id ? [{ field, message, value: id }] : undefined;
    super(message, 404, "NOT_FOUND", details);
  }
}

export class ConflictError extends ArenaClientError {
  constructor(message: string) {
    super(message, 409, "CONFLICT");
  }
}

export class RateLimitedError extends Errors.MoleculerClientError {
  constructor(retryAfterS: number) {
    // data is the Retry-After hint (it survives the transporter); the body's details stay an empty list.
    super("Too many requests", 429, "RATE_LIMITED", { retryAfterS });
  }
}

export class PayloadTooLargeError extends ArenaClientError {
  constructor(limit: string) {
    super(`Payload larger than ${limit}`, 413, "PAYLOAD_TOO_LARGE", [{ message: `at most ${limit}` }]);
  }
}

export class UnsupportedMediaTypeError extends ArenaClientError {
  constructor(message: string) {
    super(message, 415, "UNSUPPORTED_MEDIA_TYPE");
  }
}

/**
 * A dependency every call of a service needs (its database) is down: 503 with
 * Retry-After, not retried by the caller, and not counted against the
 * callee's circuit breaker (the endpoint is fine; what it needs is not).
 */
export class DependencyUnavailableError extends Errors.MoleculerError {
  constructor(dependency: string, retryAfterS: number) {
    super(`The ${dependency} is unavailable, retry later`, 503, "SERVICE_UNAVAILABLE", { dependency, retryAfterS });
  }
}

/** True for a DependencyUnavailableError, also one that crossed the wire (rebuilt as a plain MoleculerError). */
export function isDependencyUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; data?: { dependency?: unknown } } | undefined;
  return e?.code === 503 && typeof e.data?.dependency === "string";
}
