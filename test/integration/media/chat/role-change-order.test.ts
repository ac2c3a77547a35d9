/**
 * Two quick role changes of one user reach a chat node out of order: the
 * core (identity on real PostgreSQL, the REST gateway) on one node, chat alone
 * on another, over the real NATS. A middleware on the chat node holds back
 * the older user.roles.changed until the newer one has been handled, as two
 * senders racing over NATS can deliver them. Chat must keep the newer roles
 * (identity's version orders them), not whichever arrived last, for its
 * 60 s cache TTL.
 */
import { ServiceBroker, type Context, type Middleware, type ServiceEvent } from "moleculer";
import { buildBrokerOptions } from "../../../../bin/broker-options";
import { platformMiddlewares } from "../../../../bin/platform-middlewares";
import type { Role } from "../../../../lib/auth/auth-user";
import type { UserRolesChanged } from "../../../../services/core/identity/identity.events";
import { chatRoutes } from "../../../../services/media/chat/chat.routes";
import ChatService from "../../../../services/media/chat/chat.service";
import { ok } from "../../../helpers/api-client";
import { startBrokerOrCleanUp } from "../../../helpers/broker";
import { NATS_URL, uniqueId } from "../../../helpers/infra";
import { newUser, startCore, type CoreHarness, type TestUser } from "../../core/core-harness";
import { cleanupNats } from "../../mixins/durable-events/helpers/cleanup";

jest.setTimeout(90000);

/** One user's next `count` changes: held until all arrived, then handled with the last two swapped. */
interface Hold {
  count: number;
  arrived: Array<Context<UserRolesChanged>>;
  done: (rolesInArrivalOrder: Role[][]) => void;
}

/**
 * The chat node's middleware, and `reorder` to arm it for a user before their changes: resolves, once all were
 * handled, with the roles in the order they arrived (the order identity sent them: one NATS connection keeps it).
 */
function lastTwoSwapped(): { middleware: Middleware; reorder(userId: string, count: number): Promise<Role[][]> } {
  const holds = new Map<string, Hold>();
  const middleware: Middleware = {
    localEvent(next: (ctx: Context<UserRolesChanged>) => Promise<void>, event: ServiceEvent) {
      if (event.name !== "user.roles.changed") return next;
      return async (ctx: Context<UserRolesChanged>) => {
        const hold = holds.get(ctx.params.userId);
        if (!hold) return next(ctx);
        hold.arrived.push(ctx);
        if (hold.arrived.length < hold.count) return;
        holds.delete(ctx.params.userId);
        const [older, newer] = hold.arrived.slice(-2) as [Context<UserRolesChanged>, Context<UserRolesChanged>];
        for (const change of [...hold.arrived.slice(0, -2), newer, older]) await next(change);
        hold.done(hold.arrived.map((change) => change.params.roles));
      };
    },
  };
  return {
    middleware,
    reorder: (userId, count) => new Promise<Role[][]>((done) => holds.set(userId, { count, arrived: [], done })),
  };
}

describe("chat hears a user's role changes out of order (two nodes over NATS)", () => {
  let h: CoreHarness;
  let chatNode: ServiceBroker;
  const changes = lastTwoSwapped();
  let owner: TestUser, mod: TestUser;
  let channelId: string;
  const admin = { meta: { user: { id: "site-admin", username: "root", roles: ["admin"] } } };
  const timeout = (userId: string) =>
    mod.api.request("POST", `/channels/${channelId}/chat/moderation`, {
      command: { action: "timeout", userId, durationS: 60 },
    });

  beforeAll(async () => {
    h = await startCore({ TRANSPORTER: NATS_URL }, [], { routes: [chatRoutes] });
    chatNode = new ServiceBroker({
      ...buildBrokerOptions({ ...h.config, nodeId: uniqueId("chatnode") }),
      logger: { type: "Console", options: { level: process.env.TEST_LOG_LEVEL ?? "fatal" } },
      middlewares: [
        ...platformMiddlewares(h.config, { retryBaseMs: 50, retryMaxMs: 200, relayIntervalMs: 200 }),
        changes.middleware,
      ],
    });
    chatNode.createService(ChatService);
    await startBrokerOrCleanUp(chatNode, async () => undefined);
    await chatNode.waitForServices(["identity", "channels"], 30000);
    await h.broker.waitForServices(["chat"], 30000);
    [owner, mod] = await Promise.all([newUser(h, "rco"), newUser(h, "rcm")]);
    channelId = ok(await owner.api.channels.create({ slug: uniqueId("rc"), title: "Role order" }), 201).channel.id;
    ok(await owner.api.channels.addModerator(channelId, mod.id));
  });

  afterAll(async () => {
    await chatNode?.stop();
    await h?.stop();
    if (h) await cleanupNats(NATS_URL, h.config.namespace);
  });

  it("keeps a removed admin role removed when the grant before it arrives last", async () => {
    const target = await newUser(h, "rct");
    const handled = changes.reorder(target.id, 2);
    await h.broker.call("identity.grantRole", { userId: target.id, role: "admin" });
    await h.broker.call("identity.removeRole", { userId: target.id, role: "admin" }, admin);
    // Sent (and arrived) grant then removal; handled removal then grant.
    expect(await handled).toEqual([["viewer", "admin"], ["viewer"]]);
    // No longer an admin: the channel's moderator may time them out.
    ok(await timeout(target.id));
  });

  it("keeps a new admin grant when the removal before it arrives last", async () => {
    const target = await newUser(h, "rcg");
    const handled = changes.reorder(target.id, 3);
    await h.broker.call("identity.grantRole", { userId: target.id, role: "admin" });
    await h.broker.call("identity.removeRole", { userId: target.id, role: "admin" }, admin);
    await h.broker.call("identity.grantRole", { userId: target.id, role: "admin" });
    expect(await handled).toEqual([["viewer", "admin"], ["viewer"], ["viewer", "admin"]]);
    // An admin again: a moderator may not time them out.
    expect((await timeout(target.id)).status).toBe(403);
  });
});
