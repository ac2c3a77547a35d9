import type { Context, ServiceActionsSchema } from "moleculer";
import type { ArenaMeta } from "../../../lib/auth/auth-user";
import { requireUser } from "../../../lib/auth/ownership";
import { NotFoundError } from "../../../lib/errors";
import { ID } from "../core-service";
import type { IdentityThis } from "./identity.service";

export interface SessionView {
  id: string;
  createdAt: string;
  expiresAt: string;
  current: boolean;
}

/** "Where am I logged in": a user lists their own sessions and ends any one of them. */
export const sessionActions: ServiceActionsSchema = {
  sessions: {
    params: {},
    async handler(
      this: IdentityThis,
      ctx: Context<Record<string, never>, ArenaMeta>,
    ): Promise<{ items: SessionView[] }> {
      const user = requireUser(ctx);
      const sessions = await this.sessionManager.activeOf(user.id);
      return {
        items: sessions.map((s) => ({
          id: s.id,
          createdAt: s.createdAt.toISOString(),
          expiresAt: s.expiresAt.toISOString(),
          current: s.id === user.sessionId,
        })),
      };
    },
  },

  revokeSession: {
    params: { id: ID },
    async handler(this: IdentityThis, ctx: Context<{ id: string }, ArenaMeta>): Promise<{ revoked: boolean }> {
      const user = requireUser(ctx);
      const session = await this.sessionManager.findSession(ctx.params.id);
      // Someone else's session id answers like an unknown one: no probing.
      if (!session || session.userId !== user.id) throw new NotFoundError("Session", ctx.params.id);
      if (session.revokedAt) return { revoked: false };
      await this.revokeSessions([session.id], "revoked by user");
      return { revoked: true };
    },
  },
};
