import type { RouteTable } from "../../api/route-table";

/** /api/v1/auth/*: the built-in issuer. */
export const identityRoutes: RouteTable = {
  routes: [
    { method: "POST", path: "/auth/register", action: "identity.register", auth: "none", rateLimitBucket: "auth", summary: "Create a local account" },
    { method: "POST", path: "/auth/login", action: "identity.login", auth: "none", rateLimitBucket: "auth", summary: "Log in: access and refresh tokens" },
    { method: "POST", path: "/auth/refresh", action: "identity.refresh", auth: "none", summary: "Rotate the refresh token for a new access token" },
    { method: "POST", path: "/auth/logout", action: "identity.logout", auth: "required", summary: "End the current session" },
    { method: "POST", path: "/auth/logout-all", action: "identity.logoutAll", auth: "required", summary: "End every session of the caller" },
    { method: "GET", path: "/auth/sessions", action: "identity.sessions", auth: "required", summary: "The caller's active sessions" },
    { method: "DELETE", path: "/auth/sessions/:id", action: "identity.revokeSession", auth: "required", summary: "End one of the caller's sessions" },
    { method: "POST", path: "/auth/password", action: "identity.changePassword", auth: "required", rateLimitBucket: "auth", summary: "Change the password (ends other sessions)" },
    { method: "POST", path: "/auth/mfa/setup", action: "identity.mfaSetup", auth: "required", summary: "Start TOTP enrolment" },
    { method: "POST", path: "/auth/mfa/enable", action: "identity.mfaEnable", auth: "required", summary: "Confirm TOTP enrolment with a code" },
    { method: "POST", path: "/auth/mfa/disable", action: "identity.mfaDisable", auth: "required", rateLimitBucket: "auth", summary: "Turn TOTP off (password and code)" },
    { method: "GET", path: "/auth/jwks", action: "identity.jwks", auth: "none", summary: "Public signing keys (JWKS)" },
    { method: "GET", path: "/auth/.well-known/openid-configuration", action: "identity.openidConfiguration", auth: "none", summary: "OIDC discovery document" },
    { method: "PUT", path: "/auth/users/:userId/roles/:role", action: "identity.addRole", auth: "required", roles: ["admin"], summary: "Grant a global role (admin)" },
    { method: "DELETE", path: "/auth/users/:userId/roles/:role", action: "identity.removeRole", auth: "required", roles: ["admin"], summary: "Remove a global role (admin; ends the user's sessions)" },
    { method: "POST", path: "/auth/keys/rotate", action: "identity.rotateKeys", auth: "required", roles: ["admin"], summary: "Rotate the signing key now" },
  ],
};
