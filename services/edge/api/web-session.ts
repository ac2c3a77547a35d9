import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServiceBroker } from "moleculer";
import { Errors } from "moleculer";
import { callAction, type ResultOf } from "../../../lib/contracts";
import {
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "../../../lib/errors";

/**
 * The browser's login: the same identity actions as `POST /auth/login` and
 * `/auth/refresh`, but the refresh token travels in an HttpOnly, SameSite=Strict
 * cookie scoped to these paths instead of the response body, so page script
 * (and any injected script) never holds a long-lived credential. The access
 * token is returned as usual and kept in memory by the web client.
 *
 *   POST /api/v1/auth/web/login    {login, password, totpCode?} → token response without refreshToken
 *   POST /api/v1/auth/web/refresh  (cookie) → a fresh access token; the cookie rotates
 *   POST /api/v1/auth/web/logout   clears the cookie (revoke the session with POST /auth/logout first)
 *
 * Cross-site requests are refused three ways: SameSite=Strict, an Origin that
 * must be the page's own (or a CORS origin), and a custom header a form cannot send.
 * The OpenAPI document declares these operations (openapi-web-session.ts).
 */
export const WEB_SESSION_PATH = "/api/v1/auth/web";
export const WEB_SESSION_COOKIE = "arena_refresh";
export const WEB_SESSION_HEADER = "x-arena-web";
/** Readable by page script, holds no secret: tells the client a refresh is worth trying (no 401 noise when logged out). */
export const WEB_SESSION_HINT = "arena_session";
const MAX_BODY = 2048;
export const WEB_SESSION_ACTIONS = ["login", "refresh", "logout"] as const;
/** The login body's fields; any other is refused (as `$$strict` routes refuse unknown fields). */
export const WEB_SESSION_LOGIN_FIELDS = ["login", "password", "totpCode"] as const;

type TokenResponse = ResultOf<"identity.login">;
/** What login and refresh answer: the token response without the refresh token (that is the cookie). */
export type WebSessionTokens = Omit<TokenResponse, "refreshToken">;

export interface WebSessionDeps {
  broker: ServiceBroker;
  corsOrigins: string[];
  /** Per-IP budget check; "auth" for password checks, "api" otherwise. Throws RateLimitedError. */
  limit(bucket: "api" | "auth"): Promise<void>;
  meta: { requestId: string; clientIp: string };
  https: boolean;
}

export function isWebSessionRequest(req: IncomingMessage): boolean {
  // The prefix holds no "?", so the raw URL starts with it exactly when its path does.
  return (req.url ?? "").startsWith(`${WEB_SESSION_PATH}/`);
}

export async function handleWebSession(req: IncomingMessage, res: ServerResponse, deps: WebSessionDeps): Promise<void> {
  const action = (req.url ?? "").split("?")[0]?.slice(WEB_SESSION_PATH.length + 1);
  if (!(WEB_SESSION_ACTIONS as readonly string[]).includes(action ?? "")) throw new NotFoundError("Route");
  if (req.method !== "POST") {
    // The path exists, the method does not (RFC 9110 §15.5.6), as on every routed path.
    res.setHeader("Allow", "POST");
    throw new Errors.MoleculerClientError("Use POST", 405, "METHOD_NOT_ALLOWED");
  }
  assertSameSite(req, deps);
  const callOpts = { meta: deps.meta };
  if (action === "logout") {
    await deps.limit("api");
    setRefreshCookie(res, "", 0, deps.https);
    sendJson(res, 200, { loggedOut: true });
    return;
  }
  let tokens: TokenResponse;
  if (action === "login") {
    await deps.limit("auth");
    const body = await readCredentials(req);
    tokens = await callAction(deps.broker, "identity.login", body, callOpts);
  } else {
    await deps.limit("api");
    const refreshToken = readCookie(req.headers.cookie, WEB_SESSION_COOKIE);
    if (!refreshToken) throw new UnauthorizedError("No web session");
    try {
      tokens = await callAction(deps.broker, "identity.refresh", { refreshToken }, callOpts);
    } catch (err) {
      // A dead refresh token stays dead: drop the cookie so the browser stops sending it.
      if ((err as { code?: number }).code === 401 || (err as { code?: number }).code === 422)
        setRefreshCookie(res, "", 0, deps.https);
      throw err;
    }
  }
  setRefreshCookie(res, tokens.refreshToken, tokens.refreshExpiresIn, deps.https);
  const { refreshToken: _hidden, ...visible } = tokens;
  sendJson(res, 200, visible);
}

function assertSameSite(req: IncomingMessage, deps: WebSessionDeps): void {
  if (req.headers[WEB_SESSION_HEADER] !== "1") throw new ForbiddenError(`Missing ${WEB_SESSION_HEADER} header`);
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const own = `${deps.https ? "https" : "http"}://${req.headers.host ?? ""}`;
  if (origin !== own && !deps.corsOrigins.includes(origin)) throw new ForbiddenError("Origin not allowed");
}

function setRefreshCookie(res: ServerResponse, value: string, maxAgeS: number, https: boolean): void {
  const maxAge = `Max-Age=${Math.max(0, Math.floor(maxAgeS))}`;
  const secure = https ? ["Secure"] : [];
  const refresh = [`${WEB_SESSION_COOKIE}=${encodeURIComponent(value)}`, `Path=${WEB_SESSION_PATH}`, maxAge];
  const hint = [`${WEB_SESSION_HINT}=${value ? "1" : ""}`, "Path=/", maxAge, "SameSite=Strict", ...secure];
  res.setHeader("Set-Cookie", [[...refresh, "HttpOnly", "SameSite=Strict", ...secure].join("; "), hint.join("; ")]);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim()) || undefined;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** A small flat JSON object of strings: nothing else is a login. */
async function readCredentials(req: IncomingMessage): Promise<{ login: string; password: string; totpCode?: string }> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") throw new UnsupportedMediaTypeError("Request body must be application/json");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new PayloadTooLargeError(`${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new ValidationError("Body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new ValidationError("Body must be a JSON object");
  const body = parsed as Record<string, unknown>;
  const unknown = Object.keys(body).filter((k) => !(WEB_SESSION_LOGIN_FIELDS as readonly string[]).includes(k));
  if (unknown.length)
    throw new ValidationError(
      "Unknown fields",
      unknown.map((field) => ({ field, message: "is not a field of this body" })),
    );
  const { login, password, totpCode } = body;
  if (typeof login !== "string" || typeof password !== "string")
    throw new ValidationError("login and password are required", [
      { field: typeof login !== "string" ? "login" : "password", message: "must be a string" },
    ]);
  if (totpCode !== undefined && typeof totpCode !== "string")
    throw new ValidationError("totpCode must be a string", [{ field: "totpCode", message: "must be a string" }]);
  return totpCode === undefined ? { login, password } : { login, password, totpCode };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.end(JSON.stringify(body));
}
