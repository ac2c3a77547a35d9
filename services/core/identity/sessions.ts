import { randomUUID } from "node:crypto";
import type { EntityStore } from "../../../mixins/db/entity-store";
import type { DbHandle } from "../../../mixins/db/sql-db";
import type { RefreshTokenDoc, SessionDoc } from "./identity.entities";
import { decideRefresh, generateRefreshToken, hashRefreshToken } from "./refresh-token";

export type RefreshOutcome =
  | { kind: "rotated"; session: SessionDoc; refreshToken: string }
  | { kind: "reuse"; sessionId: string }
  | { kind: "rejected"; reason: string };

/**
 * Sessions and their refresh-token chain. A session lives refreshTokenTtlS
 * from login (sliding refresh does not extend it: re-login is required
 * eventually); each refresh token is single-use.
 */
export class SessionManager {
  constructor(
    private readonly sessions: EntityStore<SessionDoc>,
    private readonly tokens: EntityStore<RefreshTokenDoc>,
    private readonly db: DbHandle,
    private readonly refreshTtlS: number,
  ) {}

  async open(userId: string, now = new Date()): Promise<{ session: SessionDoc; refreshToken: string }> {
    return this.db.transaction(async () => {
      const expiresAt = new Date(now.getTime() + this.refreshTtlS * 1000);
      const session = await this.sessions.insert({
        id: randomUUID(),
        userId,
        expiresAt,
        revokedAt: null,
        revokeReason: null,
      });
      const refreshToken = await this.issueToken(session, now);
      return { session, refreshToken };
    });
  }

  async refresh(refreshToken: string, now = new Date()): Promise<RefreshOutcome> {
    const hash = hashRefreshToken(refreshToken);
    return this.db.transaction(async () => {
      const token = await this.tokens.findById(hash);
      const session = token ? await this.sessions.findById(token.sessionId) : null;
      const decision = decideRefresh(token, session, now);
      if (decision.kind === "reject") return { kind: "rejected", reason: decision.reason };
      if (decision.kind === "reuse") return { kind: "reuse", sessionId: decision.sessionId };
      // Conditional update: of two concurrent refreshes with one token, only
      // one wins; the other is treated as reuse.
      const claimed = await this.tokens.updateMany({ id: hash, usedAt: null }, { usedAt: now });
      if (claimed !== 1 || !session) return { kind: "reuse", sessionId: token?.sessionId ?? "" };
      return { kind: "rotated", session, refreshToken: await this.issueToken(session, now) };
    });
  }

  /** Marks sessions revoked; returns the ids that were still active. */
  async revoke(sessionIds: string[], reason: string, now = new Date()): Promise<string[]> {
    if (sessionIds.length === 0) return [];
    const active = await this.sessions.find({ query: { id: { $in: sessionIds }, revokedAt: null } });
    if (active.length === 0) return [];
    await this.sessions.updateMany(
      { id: { $in: active.map((s) => s.id) }, revokedAt: null },
      { revokedAt: now, revokeReason: reason },
    );
    return active.map((s) => s.id);
  }

  async revokeAllOfUser(userId: string, reason: string, exceptSessionId?: string, now = new Date()): Promise<string[]> {
    const active = await this.sessions.find({ query: { userId, revokedAt: null } });
    return this.revoke(
      active.map((s) => s.id).filter((id) => id !== exceptSessionId),
      reason,
      now,
    );
  }

  /** Sessions revoked recently enough that some access token of theirs may still be unexpired. */
  async recentlyRevoked(sinceS: number, now = new Date()): Promise<SessionDoc[]> {
    return this.sessions.find({
      query: { revokedAt: { $gte: new Date(now.getTime() - sinceS * 1000) } },
      limit: 10000,
    });
  }

  /** A user's sessions that can still refresh, newest first. */
  async activeOf(userId: string, now = new Date()): Promise<SessionDoc[]> {
    return this.sessions.find({
      query: { userId, revokedAt: null, expiresAt: { $gt: now } },
      sort: ["-createdAt", "id"],
      limit: 100,
    });
  }

  /**
   * Deletes sessions that ended (expired or revoked) more than keepS ago,
   * with their refresh tokens: every refresh adds a row, so without this the
   * tables only grow. keepS must outlast any access token of an ended session
   * (the revoked-session list is built from these rows). Returns how many
   * sessions went.
   */
  async purgeEnded(keepS: number, now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - keepS * 1000);
    return this.db.transaction(async () => {
      // A refresh token never outlives its session, so expired tokens go with expired sessions.
      await this.tokens.removeMany({ expiresAt: { $lt: before } });
      const revoked = await this.sessions.find({ query: { revokedAt: { $lt: before } }, limit: 10000 });
      if (revoked.length > 0) await this.tokens.removeMany({ sessionId: { $in: revoked.map((s) => s.id) } });
      const expired = await this.sessions.removeMany({ expiresAt: { $lt: before } });
      const ended = revoked.length > 0 ? await this.sessions.removeMany({ id: { $in: revoked.map((s) => s.id) } }) : 0;
      return expired + ended;
    });
  }

  async findSession(id: string): Promise<SessionDoc | null> {
    return this.sessions.findById(id);
  }

  private async issueToken(session: SessionDoc, now: Date): Promise<string> {
    const refreshToken = generateRefreshToken();
    const expiresAt = new Date(Math.min(session.expiresAt.getTime(), now.getTime() + this.refreshTtlS * 1000));
    await this.tokens.insert({ id: hashRefreshToken(refreshToken), sessionId: session.id, usedAt: null, expiresAt });
    return refreshToken;
  }
}
