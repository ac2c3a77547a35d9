/**
 * Typed REST client for Arena's public API, so specs say
 * `api.channels.create(...)` instead of building requests by hand. Every call
 * resolves to `{ status, body }` and never throws on 4xx/5xx: specs assert on
 * refusals as much as on successes.
 */
import type { PrivateProfile, PublicProfile } from "../../services/core/users/profile";
import type { PublicChannel } from "../../services/core/channels/channel-view";
import type { ChatPolicy } from "../../lib/moderation";
import type { TokenPair } from "../../services/core/identity/token-pair";
import type { CursorPage } from "../../lib/pagination";
import type { BlockedUser, FollowState, FollowedChannel, Follower } from "../../services/core/users/users.contract";

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ErrorBody {
  error: { code: string; message: string; details: Array<{ field?: string; message: string }>; requestId: string };
}

export type Result<T> = ApiResponse<T | ErrorBody>;

/** A cursor page request (a type alias, not an interface, so it fits the query builder's record). */
export type PageQuery = { limit?: number; cursor?: string };

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    /** Bearer token sent when a call does not pass its own. */
    public token?: string,
    /** How requests are sent: the global fetch, or e.g. the WAF edge's HTTPS client (test/helpers/edge.ts). */
    readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** A client for another identity on the same server. */
  as(token: string | undefined): ApiClient {
    return new ApiClient(this.baseUrl, token, this.fetchImpl);
  }

  async request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
    const token = opts.token ?? this.token;
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await this.fetchImpl(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Non-JSON bodies are returned as text so a spec can show what came back.
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  readonly auth = {
    register: (input: { email: string; username: string; password: string }) =>
      this.request<{ id: string; username: string; email: string; roles: string[] } | ErrorBody>(
        "POST",
        "/auth/register",
        input,
      ),
    login: (input: { login: string; password: string; totpCode?: string }) =>
      this.request<TokenPair | ErrorBody>("POST", "/auth/login", input),
    refresh: (refreshToken: string) => this.request<TokenPair | ErrorBody>("POST", "/auth/refresh", { refreshToken }),
    logout: () => this.request<{ revoked: boolean } | ErrorBody>("POST", "/auth/logout", {}),
    sessions: () =>
      this.request<
        { items: Array<{ id: string; createdAt: string; expiresAt: string; current: boolean }> } | ErrorBody
      >("GET", "/auth/sessions"),
    revokeSession: (id: string) =>
      this.request<{ revoked: boolean } | ErrorBody>("DELETE", `/auth/sessions/${encodeURIComponent(id)}`),
    logoutAll: () => this.request<{ revokedSessions: number } | ErrorBody>("POST", "/auth/logout-all", {}),
    changePassword: (currentPassword: string, newPassword: string) =>
      this.request<{ revokedSessions: number } | ErrorBody>("POST", "/auth/password", { currentPassword, newPassword }),
    mfaSetup: () => this.request<{ secret: string; otpauthUri: string } | ErrorBody>("POST", "/auth/mfa/setup", {}),
    mfaEnable: (code: string) => this.request<{ mfaEnabled: true } | ErrorBody>("POST", "/auth/mfa/enable", { code }),
    mfaDisable: (password: string, code: string) =>
      this.request<{ mfaEnabled: false } | ErrorBody>("POST", "/auth/mfa/disable", { password, code }),
    jwks: () => this.request<{ keys: Array<Record<string, string>> } | ErrorBody>("GET", "/auth/jwks"),
    rotateKeys: () => this.request<{ kid: string } | ErrorBody>("POST", "/auth/keys/rotate", {}),
    addRole: (userId: string, role: string) =>
      this.request<{ userId: string; roles: string[] } | ErrorBody>(
        "PUT",
        `/auth/users/${encodeURIComponent(userId)}/roles/${encodeURIComponent(role)}`,
      ),
    removeRole: (userId: string, role: string) =>
      this.request<{ userId: string; roles: string[] } | ErrorBody>(
        "DELETE",
        `/auth/users/${encodeURIComponent(userId)}/roles/${encodeURIComponent(role)}`,
      ),
  };

  readonly users = {
    get: (id: string) => this.request<PublicProfile | ErrorBody>("GET", `/users/${encodeURIComponent(id)}`),
    byUsername: (username: string) =>
      this.request<PublicProfile | ErrorBody>("GET", `/users/by-username/${encodeURIComponent(username)}`),
    /** Admin: deletes the account and the user's data everywhere. */
    delete: (id: string) =>
      this.request<{ userId: string; deleted: true } | ErrorBody>("DELETE", `/users/${encodeURIComponent(id)}`),
    getPrivate: (id: string) =>
      this.request<PrivateProfile | ErrorBody>("GET", `/users/${encodeURIComponent(id)}/private`),
    following: (userId: string, page: PageQuery = {}) =>
      this.request<CursorPage<FollowedChannel> | ErrorBody>(
        "GET",
        `/users/${encodeURIComponent(userId)}/following${query(page)}`,
      ),
  };

  readonly me = {
    get: () => this.request<PrivateProfile | ErrorBody>("GET", "/me"),
    /** DELETE /me: the account and the user's data everywhere (user.deleted). */
    delete: (password: string, totpCode?: string) =>
      this.request<{ userId: string; deleted: true } | ErrorBody>("DELETE", "/me", {
        password,
        ...(totpCode ? { totpCode } : {}),
      }),
    update: (patch: Record<string, unknown>) => this.request<PrivateProfile | ErrorBody>("PATCH", "/me", patch),
    updatePreferences: (patch: Record<string, unknown>) =>
      this.request<PrivateProfile | ErrorBody>("PATCH", "/me/preferences", patch),
    following: (page: PageQuery = {}) =>
      this.request<CursorPage<FollowedChannel> | ErrorBody>("GET", `/me/following${query(page)}`),
    blocks: (page: PageQuery = {}) =>
      this.request<CursorPage<BlockedUser> | ErrorBody>("GET", `/me/blocks${query(page)}`),
    block: (userId: string) =>
      this.request<{ userId: string; blocked: true } | ErrorBody>("PUT", `/me/blocks/${encodeURIComponent(userId)}`),
    unblock: (userId: string) =>
      this.request<{ userId: string; blocked: false } | ErrorBody>(
        "DELETE",
        `/me/blocks/${encodeURIComponent(userId)}`,
      ),
  };

  readonly channels = {
    list: (filter: { category?: string; live?: boolean; ownerId?: string } & PageQuery = {}) =>
      this.request<CursorPage<PublicChannel> | ErrorBody>("GET", `/channels${query(filter)}`),
    create: (input: {
      slug: string;
      title: string;
      category?: string;
      tags?: string[];
      language?: string;
      mature?: boolean;
    }) => this.request<{ channel: PublicChannel; streamKey: string } | ErrorBody>("POST", "/channels", input),
    get: (id: string) => this.request<PublicChannel | ErrorBody>("GET", `/channels/${encodeURIComponent(id)}`),
    getBySlug: (slug: string) =>
      this.request<PublicChannel | ErrorBody>("GET", `/channels/by-slug/${encodeURIComponent(slug)}`),
    update: (id: string, patch: Record<string, unknown>) =>
      this.request<PublicChannel | ErrorBody>("PATCH", `/channels/${encodeURIComponent(id)}`, patch),
    rotateStreamKey: (id: string) =>
      this.request<{ channelId: string; streamKey: string } | ErrorBody>(
        "POST",
        `/channels/${encodeURIComponent(id)}/stream-key`,
        {},
      ),
    chatPolicy: (id: string) =>
      this.request<ChatPolicy | ErrorBody>("GET", `/channels/${encodeURIComponent(id)}/chat-policy`),
    addModerator: (id: string, userId: string) =>
      this.request<ChatPolicy | ErrorBody>(
        "PUT",
        `/channels/${encodeURIComponent(id)}/moderators/${encodeURIComponent(userId)}`,
      ),
    removeModerator: (id: string, userId: string) =>
      this.request<ChatPolicy | ErrorBody>(
        "DELETE",
        `/channels/${encodeURIComponent(id)}/moderators/${encodeURIComponent(userId)}`,
      ),
    addVip: (id: string, userId: string) =>
      this.request<ChatPolicy | ErrorBody>(
        "PUT",
        `/channels/${encodeURIComponent(id)}/vips/${encodeURIComponent(userId)}`,
      ),
    removeVip: (id: string, userId: string) =>
      this.request<ChatPolicy | ErrorBody>(
        "DELETE",
        `/channels/${encodeURIComponent(id)}/vips/${encodeURIComponent(userId)}`,
      ),
    follow: (id: string) => this.request<FollowState | ErrorBody>("PUT", `/channels/${encodeURIComponent(id)}/follow`),
    followState: (id: string) =>
      this.request<FollowState | ErrorBody>("GET", `/channels/${encodeURIComponent(id)}/follow`),
    unfollow: (id: string) =>
      this.request<FollowState | ErrorBody>("DELETE", `/channels/${encodeURIComponent(id)}/follow`),
    followers: (id: string, page: PageQuery = {}) =>
      this.request<CursorPage<Follower> | ErrorBody>(
        "GET",
        `/channels/${encodeURIComponent(id)}/followers${query(page)}`,
      ),
  };
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string | number | boolean] => e[1] !== undefined);
  return entries.length === 0
    ? ""
    : `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}

/** Narrows a result to its success body, failing the spec with the error body otherwise. */
export function ok<T>(res: ApiResponse<T | ErrorBody>, status = 200): T {
  if (res.status !== status) {
    throw new Error(`Expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body as T;
}

export function isErrorBody(body: unknown): body is ErrorBody {
  return !!body && typeof body === "object" && "error" in body;
}
