import { computed, signal } from "@preact/signals";
import { api, ApiError, installAuth, toApiError } from "./http";
import type { Schemas } from "./schemas";

/** Who is signed in, as a token response names them (the document's TokenPair user; roles read as plain strings). */
export type AuthUserView = Omit<Schemas["TokenPair"]["user"], "roles"> & { roles: string[] };

/**
 * What the web-session endpoints (/auth/web/*, served by the gateway itself,
 * outside the route tables but declared in the document) answer: the token
 * pair without its refresh token, which travels in the HttpOnly cookie.
 */
export type TokenResponse = Omit<Schemas["WebSessionTokens"], "user"> & { user: AuthUserView };

/**
 * The one place tokens live. The access token is kept in memory only; the
 * refresh token is an HttpOnly cookie set by the gateway's web-session
 * endpoints (services/edge/api/web-session.ts), so no script can read it and
 * nothing is in localStorage. A reload restores the session with one refresh
 * call. Refreshes run ahead of expiry and after a 401, one at a time across
 * tabs (Web Locks): a refresh token used twice revokes the whole session.
 */
const WEB_SESSION = "/api/v1/auth/web";
const REFRESH_EARLY_S = 60;

// The gateway sets a script-readable hint beside the HttpOnly refresh cookie: no hint, no session to restore.
const hasSessionHint = (): boolean => /(?:^|;\s*)arena_session=1/.test(document.cookie);

export const currentUser = signal<AuthUserView | null>(null);
/** False while a session restore is pending (the header keeps its shape instead of flashing "log in"). */
export const sessionChecked = signal(!hasSessionHint());
export const isLoggedIn = computed(() => currentUser.value !== null);

let accessToken: string | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let inflight: Promise<boolean> | undefined;
const tokenListeners = new Set<(token: string | undefined) => void>();
const tabs = typeof BroadcastChannel === "function" ? new BroadcastChannel("arena-session") : undefined;

export function accessTokenNow(): string | undefined {
  return accessToken;
}

/** Realtime subscribes here to re-authenticate its socket when the token changes. */
export function onTokenChange(listener: (token: string | undefined) => void): () => void {
  tokenListeners.add(listener);
  return () => tokenListeners.delete(listener);
}

export function hasRole(role: string): boolean {
  const roles = currentUser.value?.roles ?? [];
  return roles.includes(role) || roles.includes("admin");
}

async function webSession(action: "login" | "refresh" | "logout", body?: unknown): Promise<Response> {
  return fetch(`${WEB_SESSION}/${action}`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-Arena-Web": "1", ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

function apply(tokens: TokenResponse | undefined): void {
  clearTimeout(refreshTimer);
  accessToken = tokens?.accessToken;
  currentUser.value = tokens?.user ?? null;
  if (tokens) {
    const inS = Math.max(10, tokens.expiresIn - REFRESH_EARLY_S);
    refreshTimer = setTimeout(() => void refresh(), inS * 1000);
  }
  for (const listener of tokenListeners) listener(accessToken);
}

async function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? (locks.request("arena-refresh", work) as Promise<T>) : work();
}

/** One refresh at a time; true when a fresh access token is in place. */
export function refresh(): Promise<boolean> {
  inflight ??= withRefreshLock(async () => {
    try {
      const res = await webSession("refresh");
      if (!res.ok) {
        if (res.status === 401 || res.status === 403) apply(undefined);
        return false;
      }
      apply((await res.json()) as TokenResponse);
      return true;
    } catch {
      return false;
    }
  }).finally(() => {
    inflight = undefined;
  });
  return inflight;
}

installAuth({ token: () => accessToken, refresh });

/** At start-up: a session cookie from an earlier visit becomes a logged-in page. */
export async function restoreSession(): Promise<void> {
  try {
    if (hasSessionHint()) await refresh();
  } finally {
    sessionChecked.value = true;
  }
}

/** Throws ApiError; a 401 naming the `totpCode` field when a one-time code is needed. */
export async function login(loginName: string, password: string, totpCode?: string): Promise<AuthUserView> {
  const res = await withRefreshLock(() =>
    webSession("login", { login: loginName, password, ...(totpCode ? { totpCode } : {}) }),
  );
  if (!res.ok) throw await toApiError(res);
  const tokens = (await res.json()) as TokenResponse;
  apply(tokens);
  tabs?.postMessage({ type: "login" });
  return tokens.user;
}

export function needsTotp(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401 && err.details.some((d) => d.field === "totpCode");
}

const logoutSteps: Array<() => Promise<void>> = [];

/** Work that needs the session and must happen before logging out (e.g. removing this browser's push device). */
export function beforeLogout(step: () => Promise<void>): void {
  logoutSteps.push(step);
}

/** Ends the session on the server (revokes it), then drops the cookie and the token. */
export async function logout(): Promise<void> {
  await Promise.all(logoutSteps.map((step) => step().catch(() => undefined)));
  try {
    if (accessToken) await api("post /api/v1/auth/logout");
  } catch {
    // already revoked or expired: the cookie still goes
  }
  await webSession("logout").catch(() => undefined);
  apply(undefined);
  tabs?.postMessage({ type: "logout" });
}

tabs?.addEventListener("message", (e: MessageEvent<{ type: string }>) => {
  if (e.data.type === "logout") apply(undefined);
  else if (e.data.type === "login" && !accessToken) void refresh();
});
