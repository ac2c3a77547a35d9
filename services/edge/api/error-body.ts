import type { ErrorCode, ErrorDetail } from "../../../lib/errors";

/**
 * The one error body every client sees, whatever failed: a typed Arena
 * error, Moleculer's validator, the body parser, a dead node or a bug.
 * Internals (stacks, node ids, action names) never leave the gateway.
 */
export type GatewayErrorCode = ErrorCode | "INTERNAL_ERROR" | "MALFORMED_JSON" | "BAD_REQUEST" | "METHOD_NOT_ALLOWED";

export interface ErrorBody {
  /** `details` is always present: a list of `{ field?, message }`, empty when there is nothing more to say. */
  error: { code: GatewayErrorCode; message: string; details: ErrorDetail[]; requestId: string };
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** True for 5xx that are our fault (worth an error log); 503s from missing services are expected operations noise. */
  unexpected: boolean;
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: unknown;
  type?: unknown;
  status?: unknown;
  statusCode?: unknown;
  data?: unknown;
}

// Failures that mean "the callee is not there right now": retry later, not a bug.
const UNAVAILABLE = new Set([
  "ServiceNotFoundError",
  "ServiceNotAvailableError",
  "ServiceUnavailableError",
  "RequestTimeoutError",
  "RequestSkippedError",
  "RequestRejectedError",
  "BrokerDisconnectedError",
  "QueueIsFullError",
  "MaxCallLevelError",
]);

const CODE_BY_STATUS: Record<number, GatewayErrorCode> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  422: "VALIDATION_ERROR",
  429: "RATE_LIMITED",
};

const KNOWN_CODES = new Set<string>([...Object.values(CODE_BY_STATUS), "VALIDATION_ERROR", "SERVICE_UNAVAILABLE"]);

/**
 * An error's `data` → the body's `details`. Moleculer's validator reports
 * `{ type, field, message, actual, expected }` and a NotFoundError carries the
 * id it looked up: clients get field + message only. Anything that is not a
 * list (a Retry-After hint, a foreign error's internals) is not a detail.
 * `pathParams` (the routed request's path parameters) rename a NOT_FOUND
 * detail after the path parameter that held the missing id.
 */
export function toDetails(data: unknown, pathParams: Record<string, string> = {}): ErrorDetail[] {
  if (!Array.isArray(data)) return [];
  return data
    .filter((d): d is { field?: unknown; message?: unknown; value?: unknown } => d !== null && typeof d === "object")
    .map((d) => {
      let field = typeof d.field === "string" ? d.field : undefined;
      if (typeof d.value === "string" && (field === undefined || !Object.hasOwn(pathParams, field))) {
        field = Object.keys(pathParams).find((name) => pathParams[name] === d.value) ?? field;
      }
      return {
        ...(field !== undefined ? { field } : {}),
        message: typeof d.message === "string" ? d.message : "invalid",
      };
    });
}

export function toErrorResponse(
  err: unknown,
  requestId: string,
  retryAfterS = 5,
  pathParams: Record<string, string> = {},
): ErrorResponse {
  const e: ErrorLike = err && typeof err === "object" ? (err as ErrorLike) : {};
  const make = (
    status: number,
    code: GatewayErrorCode,
    message: string,
    details: ErrorDetail[] = [],
    headers: Record<string, string> = {},
  ): ErrorResponse => ({
    status,
    body: { error: { code, message, details, requestId } },
    headers,
    unexpected: status >= 500 && code !== "SERVICE_UNAVAILABLE",
  });

  if (e.name && UNAVAILABLE.has(e.name)) {
    return make(503, "SERVICE_UNAVAILABLE", "Service temporarily unavailable, retry later", [], {
      "Retry-After": String(retryAfterS),
    });
  }
  // body-parser errors are plain Errors with a `type` and `status`.
  if (e.type === "entity.parse.failed") return make(400, "MALFORMED_JSON", "Request body is not valid JSON");
  if (e.type === "entity.too.large") return make(413, "PAYLOAD_TOO_LARGE", "Request body too large");
  if (e.type === "encoding.unsupported" || e.type === "charset.unsupported")
    return make(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported body encoding");
  if (e.name === "ValidationError" && e.type === "VALIDATION_ERROR") {
    return make(400, "VALIDATION_ERROR", e.message || "Parameters validation error", toDetails(e.data, pathParams));
  }

  const status =
    typeof e.code === "number"
      ? e.code
      : typeof e.status === "number"
        ? e.status
        : typeof e.statusCode === "number"
          ? e.statusCode
          : 500;
  if (status >= 400 && status < 500) {
    const code =
      typeof e.type === "string" && KNOWN_CODES.has(e.type)
        ? (e.type as GatewayErrorCode)
        : (CODE_BY_STATUS[status] ?? "BAD_REQUEST");
    const headers: Record<string, string> = {};
    const retry = (e.data as { retryAfterS?: unknown } | undefined)?.retryAfterS;
    if (status === 429 && typeof retry === "number") headers["Retry-After"] = String(retry);
    // Client errors are ours to describe: typed errors carry safe messages and details.
    return make(status, code, e.message || "Bad request", toDetails(e.data, pathParams), headers);
  }
  if (status === 503) {
    // A service that knows when to come back (its database is down) says so.
    const hinted = (e.data as { retryAfterS?: unknown } | undefined)?.retryAfterS;
    const retry = typeof hinted === "number" && hinted > 0 ? hinted : retryAfterS;
    return make(503, "SERVICE_UNAVAILABLE", "Service temporarily unavailable, retry later", [], {
      "Retry-After": String(retry),
    });
  }
  return make(500, "INTERNAL_ERROR", "Internal server error");
}
