import { ROLES } from "../../../lib/auth/auth-user";
import { s, type JsonSchema } from "../../../lib/http/response-schema";
import { paramsToObjectSchema } from "./fv-json-schema";
import {
  WEB_SESSION_ACTIONS,
  WEB_SESSION_COOKIE,
  WEB_SESSION_HEADER,
  WEB_SESSION_HINT,
  WEB_SESSION_PATH,
  WEB_SESSION_LOGIN_FIELDS,
  type WebSessionTokens,
} from "./web-session";

/**
 * The OpenAPI operations of the cookie-based web session (web-session.ts):
 * the gateway answers them itself, outside the route tables, so they are
 * written here next to the handler's constants, and the document the web
 * client is generated from covers every route the server answers.
 */

/** The token response of the web session: the TokenPair without its refresh token (that is the cookie). */
export const WEB_SESSION_TOKENS = s.named(
  "WebSessionTokens",
  s.object<WebSessionTokens>()({
    tokenType: s.literal("Bearer"),
    accessToken: s.string(),
    expiresIn: s.integer(),
    refreshExpiresIn: s.integer(),
    user: s.object<WebSessionTokens["user"]>()({
      id: s.string(),
      username: s.string(),
      roles: s.array(s.enum(ROLES)),
    }),
  }),
);

export const WEB_SESSION_LOGGED_OUT = s.object<{ loggedOut: true }>()({ loggedOut: s.literal(true) });

/** The cookie `webSession` security scheme: the refresh token, HttpOnly, sent only to these paths. */
export const WEB_SESSION_SECURITY_SCHEME = {
  type: "apiKey",
  in: "cookie",
  name: WEB_SESSION_COOKIE,
  description:
    `The refresh token in an HttpOnly, SameSite=Strict cookie scoped to \`${WEB_SESSION_PATH}\` (Secure over ` +
    "HTTPS), set by login and refresh; page script never sees it.",
};

const errorRef = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

const SET_COOKIE = (what: string) => ({
  "Set-Cookie": {
    description:
      `${what} Two cookies: \`${WEB_SESSION_COOKIE}\` (HttpOnly; SameSite=Strict; Path=${WEB_SESSION_PATH}; ` +
      `Max-Age=<refreshExpiresIn>; Secure over HTTPS) and \`${WEB_SESSION_HINT}\` (\`1\` or empty; Path=/; ` +
      "SameSite=Strict; readable by page script, holds no secret: it tells the client a refresh is worth trying).",
    required: true,
    schema: { type: "string" },
  },
});

/** Cross-site requests are refused: a header a form cannot send, and the Origin check. */
const CSRF_HEADER = {
  name: WEB_SESSION_HEADER,
  in: "header",
  required: true,
  description:
    "Must be `1`: a cross-site form cannot send a custom header. A browser's `Origin`, when sent, must be the " +
    "page's own origin or one of CORS_ORIGINS; otherwise 403.",
  schema: { type: "string", const: "1" },
};

function operation(
  action: (typeof WEB_SESSION_ACTIONS)[number],
  spec: {
    summary: string;
    description: string;
    success: { description: string; schema: JsonSchema; cookie: string };
    errors: Record<string, string>;
    body?: JsonSchema;
    cookieAuth?: boolean;
  },
): Record<string, unknown> {
  return {
    summary: spec.summary,
    description: spec.description,
    operationId: `post_webSession_${action}`,
    "x-action": `webSession.${action}`,
    "x-served-by": "gateway (services/edge/api/web-session.ts)",
    security: spec.cookieAuth ? [{ webSession: [] }] : [],
    parameters: [CSRF_HEADER],
    ...(spec.body ? { requestBody: { required: true, content: { "application/json": { schema: spec.body } } } } : {}),
    responses: {
      "200": {
        description: spec.success.description,
        headers: {
          ...SET_COOKIE(spec.success.cookie),
          "Cache-Control": { schema: { type: "string", const: "no-store" } },
        },
        content: { "application/json": { schema: spec.success.schema } },
      },
      ...Object.fromEntries(Object.entries(spec.errors).map(([status, text]) => [status, errorRef(text)])),
      "403": errorRef(`Missing ${WEB_SESSION_HEADER}: 1 header, or an Origin that is not allowed (FORBIDDEN)`),
      "405": { ...errorRef("Not POST (METHOD_NOT_ALLOWED)"), headers: { Allow: { schema: { type: "string" } } } },
      "429": errorRef("Rate limited; Retry-After says when to retry (RATE_LIMITED)"),
      "503": errorRef("Identity is unavailable; Retry-After (SERVICE_UNAVAILABLE)"),
      default: errorRef("Error"),
    },
  };
}

/**
 * The web session's path items. `loginParams`: identity.login's params when
 * the registry has them (the same limits as POST /auth/login), else the
 * fields the handler reads.
 */
export function webSessionPaths(loginParams: Record<string, unknown> | undefined): Record<string, unknown> {
  const fallback = Object.fromEntries(
    WEB_SESSION_LOGIN_FIELDS.map((f) => [f, f === "totpCode" ? "string|optional" : "string"]),
  );
  const body = paramsToObjectSchema((loginParams ?? fallback) as Parameters<typeof paramsToObjectSchema>[0]);
  return {
    [`${WEB_SESSION_PATH}/login`]: {
      post: operation("login", {
        summary: "Log in the web client: the refresh token goes into an HttpOnly cookie",
        description:
          "Same checks as POST /auth/login (password, TOTP, lockout, suspension). The access token is in the body " +
          "(keep it in memory); the refresh token only in the cookie. Counts against the per-IP `auth` budget.",
        body: { ...body, additionalProperties: false },
        success: {
          description: "Logged in",
          schema: WEB_SESSION_TOKENS.json,
          cookie: "Sets the session cookies.",
        },
        errors: {
          "400": "Body is not a JSON object of strings, or has other fields (VALIDATION_ERROR)",
          "401": "Wrong login or password, or a TOTP code is needed (details name `totpCode`) (UNAUTHORIZED)",
          "413": "Body over 2 KiB (PAYLOAD_TOO_LARGE)",
          "415": "Body is not application/json (UNSUPPORTED_MEDIA_TYPE)",
        },
      }),
    },
    [`${WEB_SESSION_PATH}/refresh`]: {
      post: operation("refresh", {
        summary: "A fresh access token from the session cookie; the cookie rotates",
        description:
          "No body. Each refresh token is used once: a reused one revokes the session. A missing, expired or " +
          "revoked one answers 401 and clears the cookies.",
        cookieAuth: true,
        success: {
          description: "A fresh access token",
          schema: WEB_SESSION_TOKENS.json,
          cookie: "Replaces the session cookies (the refresh token rotates).",
        },
        errors: { "401": "No session cookie, or a dead refresh token; the cookies are cleared (UNAUTHORIZED)" },
      }),
    },
    [`${WEB_SESSION_PATH}/logout`]: {
      post: operation("logout", {
        summary: "Clear the session cookies (revoke the session first with POST /auth/logout)",
        description: "No body. Only drops the cookies from this browser.",
        success: {
          description: "Cookies cleared",
          schema: WEB_SESSION_LOGGED_OUT.json,
          cookie: "Clears the session cookies (Max-Age=0).",
        },
        errors: {},
      }),
    },
  };
}
