/**
 * The realtime gateway (port 0) as production runs it: beside the real
 * identity, users, channels and chat services on a fresh PostgreSQL database
 * and the REST gateway, with tokens identity issues at login. Specs set rooms
 * up the way users do (a channel, its moderators and VIPs, follows) and
 * connect with those users' tokens; a room id is a channel id.
 * `startSecondNode` adds a gateway-only node on the same NATS namespace that
 * reaches those services, and hears their broadcasts, over the transporter.
 */
import { randomBytes } from "node:crypto";
import { decodeJwt } from "jose";
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { buildBrokerOptions } from "../../../../bin/broker-options";
import { platformMiddlewares } from "../../../../bin/platform-middlewares";
import type { Role } from "../../../../lib/auth/auth-user";
import { builtInIssuer } from "../../../../lib/auth/issuer";
import type { TokenVerifier } from "../../../../lib/auth/token-verifier";
import type { ArenaConfig } from "../../../../lib/config";
import { signAccessToken } from "../../../../services/core/identity/access-token";
import type { IdentityThis } from "../../../../services/core/identity/identity.context";
import type { UsersThis } from "../../../../services/core/users/users.context";
import { followId } from "../../../../services/core/users/users.entities";
import { socketTokenVerifier } from "../../../../services/edge/realtime/node-parts";
import RealtimeService, { type RealtimeThis, type Settings } from "../../../../services/edge/realtime/realtime.service";
import ChatService from "../../../../services/media/chat/chat.service";
import { ok } from "../../../helpers/api-client";
import { startBrokerOrCleanUp } from "../../../helpers/broker";
import { uniqueId } from "../../../helpers/infra";
import { PASSWORD, startCore, type CoreHarness, type TestUser } from "../../core/core-harness";

export interface RealtimeNode {
  broker: ServiceBroker;
  url: string;
  realtime: RealtimeThis;
}

export interface RealtimeHarness extends RealtimeNode {
  core: CoreHarness;
  config: ArenaConfig;
  /** The user a spec calls `name`: registered and logged in on first use, the same user afterwards. */
  user(name: string): Promise<TestUser>;
  /** Registers these users at once (each costs two password hashes: do it before timing-sensitive steps). */
  users(...names: string[]): Promise<TestUser[]>;
  /** A new channel of `owner` with these moderators and VIPs, set through the channels routes; its id is the room. */
  room(owner: string, moderators?: string[], vips?: string[]): Promise<string>;
  /** `name` follows the channel through the REST route; `followedAt` backdates the stored follow. */
  follow(name: string, channelId: string, followedAt?: Date): Promise<void>;
  grantAdmin(name: string): Promise<void>;
  /** An access token of `name`'s session, signed with identity's current key, that expires in `ttlS` seconds. */
  tokenExpiringIn(name: string, ttlS: number): Promise<string>;
  /** A gateway-only node in the same namespace (start with TRANSPORTER in `env`); stopped with the harness. */
  startSecondNode(settings?: Settings): Promise<RealtimeNode>;
  stop(): Promise<void>;
}

export interface RealtimeOptions {
  env?: Record<string, string>;
  /** Wraps the gateway's real token verifier (e.g. to slow it down). */
  wrapVerifier?: (verifier: TokenVerifier) => TokenVerifier;
}

function realtimeSchema(settings: Settings, wrapVerifier?: RealtimeOptions["wrapVerifier"]): ServiceSchema {
  return {
    name: "realtime",
    mixins: [RealtimeService as ServiceSchema],
    settings: { host: "127.0.0.1", port: 0, ...settings },
    ...(wrapVerifier
      ? {
          methods: {
            createTokenVerifier(this: RealtimeThis) {
              return wrapVerifier(socketTokenVerifier(this));
            },
          },
        }
      : {}),
  };
}

function nodeOf(broker: ServiceBroker): RealtimeNode {
  const realtime = broker.getLocalService("realtime") as unknown as RealtimeThis;
  return { broker, realtime, url: `ws://127.0.0.1:${realtime.gateway.port}/` };
}

/**
 * Registers and logs in through the REST gateway. On a loaded machine a slow
 * register can time out and be retried by the broker after it succeeded: the
 * name is unique to this call, so "already exists" is that first success.
 */
async function register(core: CoreHarness, name: string): Promise<TestUser> {
  const username = uniqueId(name.replace(/[^a-zA-Z0-9]/g, "").slice(0, 10) || "u").slice(0, 24);
  const email = `${username}@example.test`;
  const reg = await core.api.auth.register({ email, username, password: PASSWORD });
  if (reg.status !== 201 && reg.status !== 409) throw new Error(`register ${name}: ${reg.status}`);
  const login = ok(await core.api.auth.login({ login: email, password: PASSWORD }));
  if (!("accessToken" in login)) throw new Error(`login ${name}: no token`);
  const token = login.accessToken;
  return { id: login.user.id, username, email, token, refreshToken: login.refreshToken, api: core.api.as(token) };
}

export async function startRealtime(settings: Settings = {}, opts: RealtimeOptions = {}): Promise<RealtimeHarness> {
  const core = await startCore({ CORS_ORIGINS: "http://allowed.test", ...opts.env }, [
    ChatService,
    realtimeSchema(settings, opts.wrapVerifier),
  ]);
  const config = core.config;
  const users = new Map<string, Promise<TestUser>>();
  const extraNodes: ServiceBroker[] = [];

  const user = (name: string): Promise<TestUser> => {
    let found = users.get(name);
    if (!found) {
      found = register(core, name);
      users.set(name, found);
    }
    return found;
  };

  return {
    ...nodeOf(core.broker),
    core,
    config,
    user,
    users: (...names) => Promise.all(names.map(user)),
    async room(owner, moderators = [], vips = []) {
      const o = await user(owner);
      const created = ok(
        await o.api.channels.create({ slug: `rt${randomBytes(5).toString("hex")}`, title: `${owner}'s room` }),
        201,
      );
      const channelId = created.channel.id;
      for (const name of moderators) ok(await o.api.channels.addModerator(channelId, (await user(name)).id));
      for (const name of vips) ok(await o.api.channels.addVip(channelId, (await user(name)).id));
      return channelId;
    },
    async follow(name, channelId, followedAt) {
      const u = await user(name);
      ok(await u.api.channels.follow(channelId));
      if (!followedAt) return;
      const usersSvc = core.broker.getLocalService("users") as unknown as UsersThis;
      await usersSvc.db.query("UPDATE follows SET created_at = $1 WHERE id = $2", [
        followedAt,
        followId(u.id, channelId),
      ]);
    },
    async grantAdmin(name) {
      const u = await user(name);
      await core.broker.call("identity.grantRole", { userId: u.id, role: "admin" });
    },
    async tokenExpiringIn(name, ttlS) {
      const u = await user(name);
      const claims = decodeJwt(u.token) as { sid: string; roles: Role[] };
      const identity = core.broker.getLocalService("identity") as unknown as IdentityThis;
      const signing = await identity.keys.signingMaterial();
      const { token } = await signAccessToken({
        issuer: builtInIssuer(config),
        audience: config.auth.audience,
        ttlS,
        userId: u.id,
        username: u.username,
        roles: claims.roles,
        sessionId: claims.sid,
        kid: signing.kid,
        alg: signing.alg,
        key: signing.key,
      });
      return token;
    },
    async startSecondNode(nodeSettings = settings) {
      const broker = new ServiceBroker({
        ...buildBrokerOptions({ ...config, nodeId: uniqueId("rtb") }),
        logger: { type: "Console", options: { level: process.env.TEST_LOG_LEVEL ?? "fatal" } },
        middlewares: platformMiddlewares(config, { retryBaseMs: 50, retryMaxMs: 200, relayIntervalMs: 200 }),
      });
      broker.createService(realtimeSchema(nodeSettings));
      await startBrokerOrCleanUp(broker, async () => undefined);
      extraNodes.push(broker);
      await broker.waitForServices(["channels", "chat", "identity", "users"], 30000);
      return nodeOf(broker);
    },
    async stop() {
      for (const broker of extraNodes) await broker.stop();
      await core.stop();
    },
  };
}
