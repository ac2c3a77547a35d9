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

export interface ErrorDetail {
  field?: string;
  message: string;
}

export class ArenaClientError extends Errors.MoleculerClientError {
  constructor(message: string, status: number, code: ErrorCode, details?: ErrorDetail[] | Record<string, unknown>) {
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
  constructor(what: string, id?: string) {
    super(id ? `${what} ${id} not found` : `${what} not found`, 404, "NOT_FOUND", id ? { id } : undefined);
  }
}

export class ConflictError extends ArenaClientError {
  constructor(message: string) {
    super(message, 409, "CONFLICT");
  }
}

export class RateLimitedError extends ArenaClientError {
  constructor(retryAfterS: number) {
    super("Too many requests", 429, "RATE_LIMITED", { retryAfterS });
  }
}

export class PayloadTooLargeError extends ArenaClientError {
  constructor(limit: string) {
    super(`Payload larger than ${limit}`, 413, "PAYLOAD_TOO_LARGE", { limit });
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
