/**
 * Stand-ins for the channels and users actions the realtime node calls at
 * room join, with the exact contract names, for specs that do not need the
 * real core services; and a token verifier mapping "tok.<id>.<name>[.admin]"
 * to a user (the JWT path is tested by the auth specs).
 */
import type { Context, ServiceSchema } from "moleculer";
import type { AuthUser } from "../../../../lib/auth/auth-user";
import type { TokenVerifier } from "../../../../lib/auth/token-verifier";
import { UnauthorizedError } from "../../../../lib/errors";
import type { ChatPolicy } from "../../../../lib/moderation";

export class PolicyBook {
  readonly policies = new Map<string, ChatPolicy>();
  readonly follows = new Map<string, string>();

  room(channelId: string, ownerId: string, moderatorIds: string[] = [], vipIds: string[] = []): ChatPolicy {
    const policy = { channelId, ownerId, moderatorIds, vipIds };
    this.policies.set(channelId, policy);
    return policy;
  }

  follow(userId: string, channelId: string, followedAt: Date): void {
    this.follows.set(`${userId}:${channelId}`, followedAt.toISOString());
  }
}

export function standInServices(book: PolicyBook): ServiceSchema[] {
  return [
    {
      name: "channels",
      actions: {
        getChatPolicy: {
          params: { channelId: "string" },
          handler(ctx: Context<{ channelId: string }>): ChatPolicy {
            const policy = book.policies.get(ctx.params.channelId);
            if (!policy) throw Object.assign(new Error("Channel not found"), { code: 404, type: "NOT_FOUND" });
            return policy;
          },
        },
      },
    },
    {
      name: "users",
      actions: {
        getFollow: {
          params: { userId: "string", channelId: "string" },
          handler(ctx: Context<{ userId: string; channelId: string }>): { followedAt: string } | null {
            const at = book.follows.get(`${ctx.params.userId}:${ctx.params.channelId}`);
            return at ? { followedAt: at } : null;
          },
        },
      },
    },
  ];
}

/** Like the shared JwtVerifier it also exposes claims: "tok.<id>.<name>.ttl<N>" expires N seconds after it is checked. */
class TestTokenVerifier implements TokenVerifier {
  async verify(token: string): Promise<AuthUser> {
    return (await this.verifyToken(token)).user;
  }

  async verifyToken(token: string): Promise<{ user: AuthUser; claims: { exp: number } }> {
    const [kind, id, username, extra] = token.split(".");
    if (kind !== "tok" || !id || !username) throw new UnauthorizedError("invalid token");
    const ttlS = extra?.startsWith("ttl") ? Number(extra.slice(3)) : 3600;
    return {
      user: { id, username, roles: extra === "admin" ? ["viewer", "admin"] : ["viewer"] },
      claims: { exp: Date.now() / 1000 + ttlS },
    };
  }
}

export const testTokenVerifier: TokenVerifier = new TestTokenVerifier();

export const token = (id: string, username = id, extra?: string): string =>
  `tok.${id}.${username}${extra ? `.${extra}` : ""}`;
