/**
 * Every service that has HTTP routes, in ONE broker behind the real gateway
 * serving the gateway's own ROUTE_TABLES, on one fresh PostgreSQL database
 * with durable events in-process. The authorization guard starts it once per
 * file and shares its actors: anonymous, another user, a moderator of another
 * channel, the owner of a channel, a moderator of that channel and an admin.
 */
import { ServiceBroker, type Service, type ServiceSchema } from "moleculer";
import { buildBrokerOptions } from "../../../bin/broker-options";
import { platformMiddlewares } from "../../../bin/platform-middlewares";
import { setConfig, type ArenaConfig } from "../../../lib/config";
import ApiService, { type ApiSettings, type ApiThis } from "../../../services/edge/api/api.service";
import { ROUTE_TABLES } from "../../../services/edge/api/route-tables";
import IdentityService from "../../../services/core/identity/identity.service";
import UsersService from "../../../services/core/users/users.service";
import ChannelsService from "../../../services/core/channels/channels.service";
import SchedulesService from "../../../services/core/schedules/schedules.service";
import ModerationService from "../../../services/core/moderation/moderation.service";
import ChatService from "../../../services/media/chat/chat.service";
import StreamsService from "../../../services/media/streams/streams.service";
import DeliveryService from "../../../services/media/delivery/delivery.service";
import VideosService from "../../../services/media/videos/videos.service";
import ClipsService from "../../../services/media/clips/clips.service";
import BlogService from "../../../services/content/blog/blog.service";
import TournamentsService from "../../../services/content/tournaments/tournaments.service";
import SearchService from "../../../services/content/search/search.service";
import NotificationsService from "../../../services/engagement/notifications/notifications.service";
import AnalyticsService from "../../../services/engagement/analytics/analytics.service";
import StatusService from "../../../services/platform/status/status.service";
import { ApiClient, ok } from "../../helpers/api-client";
import { startBrokerOrCleanUp } from "../../helpers/broker";
import { createTestDatabase, testConfig, uniqueId, type TestDatabase } from "../../helpers/infra";
import type { ActorName, AnyActor, ExtraActor } from "./route-guard";

export const PASSWORD = "violet-tundra-42-kettle";

export interface GuardUser {
  id: string;
  username: string;
  email: string;
  token: string;
  api: ApiClient;
}

export interface GuardHarness {
  broker: ServiceBroker;
  config: ArenaConfig;
  base: string;
  /** No token. */
  anonymous: ApiClient;
  users: Record<Exclude<ActorName, "anonymous">, GuardUser>;
  /** The owner's channel (the moderator moderates it) and the other channel (moderatorOfOtherChannel's). */
  channelId: string;
  otherChannelId: string;
  /** A fresh user (targets for roles, blocks, entrants...). */
  newUser(prefix: string, roles?: string[]): Promise<GuardUser>;
  /** A fresh account that never logs in (an id to block, follow, promote): half the password hashing of newUser. */
  newTarget(prefix: string): Promise<string>;
  /** The API client of an actor (anonymous: no token). */
  client(actor: ActorName): ApiClient;
  /** A site editor (the `editor` role) or an editor the owner named on their channel's blog; made on first use. */
  extra(actor: ExtraActor): Promise<GuardUser>;
  /** The API client of any actor, the extras included. */
  actorClient(actor: AnyActor): Promise<ApiClient>;
  service<T = Service>(name: string): T;
  stop(): Promise<void>;
}

export async function startGuard(env: Record<string, string | undefined> = {}): Promise<GuardHarness> {
  const db: TestDatabase = await createTestDatabase("arena_guard");
  const adminName = `adm_${uniqueId("").slice(-10)}`;
  const config = await testConfig({
    DATABASE_URL: db.url,
    RATE_LIMIT_PER_IP: "1000000",
    RATE_LIMIT_PER_USER: "1000000",
    ARENA_ADMINS: adminName,
    RTMP_PORT: "0",
    // Every actor and stand-in registers and logs in: scrypt at 2^10 instead of 2^15 keeps the hashing
    // (the same code, salted and verified) from dominating the guard's time. What is asserted does not move.
    PASSWORD_HASH_COST: "10",
    // Fifteen services with a pool each share the machine's PostgreSQL (max_connections 100).
    DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? "2",
    ...env,
  });
  setConfig(config);
  const broker = new ServiceBroker({
    ...buildBrokerOptions({ ...config, nodeId: uniqueId("guard") }),
    logger: { type: "Console", options: { level: process.env.TEST_LOG_LEVEL ?? "fatal" } },
    middlewares: platformMiddlewares(config, { retryBaseMs: 50, retryMaxMs: 200, relayIntervalMs: 100 }),
  });
  broker.createService(IdentityService);
  broker.createService(UsersService);
  broker.createService(ChannelsService);
  broker.createService(SchedulesService as unknown as ServiceSchema);
  broker.createService(ModerationService as unknown as ServiceSchema);
  broker.createService(ChatService);
  broker.createService(StreamsService as unknown as ServiceSchema);
  broker.createService(DeliveryService as unknown as ServiceSchema);
  // No transcoding here: an upload the guard lets through must not start ffmpeg on a busy CI machine.
  broker.createService({
    name: "videos",
    mixins: [VideosService as unknown as ServiceSchema],
    // Every actor comments many times in a few seconds.
    settings: { processJobs: false, commentRateLimit: { max: 10_000, windowMs: 60_000 } },
  } as ServiceSchema);
  // Clips are queued, never cut (no ffmpeg here); each actor clips several times in a few seconds.
  broker.createService({
    name: "clips",
    mixins: [ClipsService as unknown as ServiceSchema],
    settings: { processJobs: false, createRateLimit: { max: 10_000, windowMs: 60_000 } },
  } as ServiceSchema);
  // The other user comments on a fresh post for every actor of a row.
  broker.createService({
    name: "blog",
    mixins: [BlogService as unknown as ServiceSchema],
    settings: { commentRateLimit: { max: 10_000, windowMs: 60_000 } },
  } as ServiceSchema);
  broker.createService(TournamentsService as unknown as ServiceSchema);
  broker.createService(SearchService as unknown as ServiceSchema);
  broker.createService(NotificationsService as unknown as ServiceSchema);
  broker.createService(AnalyticsService as unknown as ServiceSchema);
  broker.createService(StatusService);
  const gatewaySchema: ServiceSchema<ApiSettings> = {
    name: "api",
    mixins: [ApiService as ServiceSchema],
    settings: { routeTables: ROUTE_TABLES, jwksMinRefetchMs: 0 },
  };
  const gateway = broker.createService(gatewaySchema) as ApiThis;
  await startBrokerOrCleanUp(broker, () => db.drop());
  const base = `http://127.0.0.1:${gateway.boundPort()}`;
  const anonymous = new ApiClient(base);

  async function newUser(prefix: string, roles: string[], username?: string, admin?: GuardUser): Promise<GuardUser> {
    const name =
      username ??
      uniqueId(prefix)
        .slice(0, 24)
        .replace(/[^a-zA-Z0-9_]/g, "_");
    const email = `${name}@example.test`;
    const registered = await anonymous.auth.register({ email, username: name, password: PASSWORD });
    // 409: a retried call under load registered it already.
    if (registered.status !== 409) ok(registered, 201);
    const first = ok(await anonymous.auth.login({ login: email, password: PASSWORD }));
    const id = first.user.id;
    let token = first.accessToken;
    if (roles.length > 0) {
      // Roles travel in the token: grant them, then log in again.
      for (const role of roles) ok(await anonymous.as(admin?.token).auth.addRole(id, role));
      token = ok(await anonymous.auth.login({ login: email, password: PASSWORD })).accessToken;
    }
    return { id, username: name, email, token, api: anonymous.as(token) };
  }

  /**
   * The actors and their two channels. The owner is also an organizer, and so is the moderator of
   * the other channel: the organizer of another tournament, refused on the owner's (tournaments).
   */
  async function actors(): Promise<Pick<GuardHarness, "users" | "channelId" | "otherChannelId">> {
    const admin = await newUser("adm", [], adminName);
    const [owner, moderator, otherUser, moderatorOfOtherChannel, otherOwner] = await Promise.all(
      ["own", "mod", "oth", "mdo", "doo"].map((p) =>
        newUser(p, p === "own" || p === "mdo" ? ["organizer"] : [], undefined, admin),
      ),
    );
    const channelId = ok(
      await owner.api.channels.create({ slug: uniqueId("own").toLowerCase(), title: "Owner's channel" }),
      201,
    ).channel.id;
    const otherChannelId = ok(
      await otherOwner.api.channels.create({ slug: uniqueId("doo").toLowerCase(), title: "Other channel" }),
      201,
    ).channel.id;
    ok(await owner.api.channels.addModerator(channelId, moderator.id));
    ok(await otherOwner.api.channels.addModerator(otherChannelId, moderatorOfOtherChannel.id));
    return { users: { admin, owner, moderator, otherUser, moderatorOfOtherChannel }, channelId, otherChannelId };
  }
  let fixtures: Awaited<ReturnType<typeof actors>>;
  try {
    fixtures = await actors();
  } catch (err) {
    await broker.stop().catch(() => undefined);
    await db.drop();
    throw err;
  }
  const { users } = fixtures;
  const extras = new Map<ExtraActor, Promise<GuardUser>>();
  const makeExtra = async (actor: ExtraActor): Promise<GuardUser> => {
    if (actor === "siteEditor") return newUser("sed", ["editor"], undefined, users.admin);
    const editor = await newUser("che", [], undefined, users.admin);
    ok(await users.owner.api.request("POST", `/blog/channels/${fixtures.channelId}/editors`, { userId: editor.id }));
    return editor;
  };
  const extra = (actor: ExtraActor): Promise<GuardUser> => {
    let user = extras.get(actor);
    if (!user) {
      user = makeExtra(actor);
      extras.set(actor, user);
    }
    return user;
  };

  return {
    broker,
    config,
    base,
    anonymous,
    ...fixtures,
    async newTarget(prefix) {
      const name = uniqueId(prefix)
        .slice(0, 24)
        .replace(/[^a-zA-Z0-9_]/g, "_");
      const body = ok(
        await anonymous.auth.register({ email: `${name}@example.test`, username: name, password: PASSWORD }),
        201,
      ) as { id: string };
      return body.id;
    },
    client: (actor) => (actor === "anonymous" ? anonymous : users[actor].api),
    extra,
    async actorClient(actor) {
      if (actor === "siteEditor" || actor === "channelEditor") return (await extra(actor)).api;
      return actor === "anonymous" ? anonymous : users[actor].api;
    },
    newUser: (prefix, roles) => newUser(prefix, roles ?? [], undefined, users.admin),
    service: <T>(name: string) => broker.getLocalService(name) as unknown as T,
    async stop() {
      await broker.stop();
      await db.drop();
    },
  };
}
