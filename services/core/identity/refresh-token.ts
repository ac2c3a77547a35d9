import { createHash, randomBytes } from "node:crypto";

/**
 * Refresh tokens are opaque random strings; only their SHA-256 is stored (a
 * 256-bit random secret needs no slow hash). Every refresh rotates: the used
 * token is marked used and a new one issued in the same session. Presenting a
 * token that was already used means it leaked (either the thief or the owner
 * is replaying it), so the whole session is revoked: RFC 6819 / OAuth 2.1
 * refresh token rotation with reuse detection.
 */
export function generateRefreshToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export interface RefreshTokenRecord {
  sessionId: string;
  usedAt: Date | null;
  expiresAt: Date;
}

export interface SessionRecord {
  id: string;
  userId: string;
  revokedAt: Date | null;
  expiresAt: Date;
}

export type RefreshDecision =
  | { kind: "rotate" }
  | { kind: "reuse"; sessionId: string }
  | { kind: "reject"; reason: "unknown" | "expired" | "revoked" };

export function decideRefresh(
  token: RefreshTokenRecord | null,
  session: SessionRecord | null,
  now: Date,
): RefreshDecision {
  if (!token || !session) return { kind: "reject", reason: "unknown" };
  if (session.revokedAt) return { kind: "reject", reason: "revoked" };
  // Reuse is checked before expiry: an old stolen token still signals a leak.
  if (token.usedAt) return { kind: "reuse", sessionId: session.id };
  if (token.expiresAt.getTime() <= now.getTime() || session.expiresAt.getTime() <= now.getTime()) {
    return { kind: "reject", reason: "expired" };
  }
  return { kind: "rotate" };
}
