/**
 * A real gateway on port 0 in front of a small test service, for the gateway
 * specs. The test service's actions exercise every path the gateway has:
 * identities, validation, typed and untyped errors, stream in, stream out.
 */
import { Readable } from "node:stream";
import type { JWK } from "jose";
import { ServiceBroker, type BrokerOptions, type Context, type ServiceSchema } from "moleculer";
import type { ArenaMeta } from "../../../../lib/auth/auth-user";
import { setConfig, type ArenaConfig } from "../../../../lib/config";
import { NotFoundError } from "../../../../lib/errors";
import ApiService, { type ApiSettings, type ApiThis } from "../../../../services/edge/api/api.service";
import type { RouteTable } from "../../../../services/edge/api/route-table";

export const TEST_TABLE: RouteTable = {
  routes: [
    { method: "GET", path: "/t/public", action: "gwtest.whoami", auth: "none", summary: "Public identity echo" },
    {
      method: "GET",
      path: "/t/optional",
      action: "gwtest.whoami",
      auth: "optional",
      summary: "Optional identity echo",
    },
    { method: "GET", path: "/t/me", action: "gwtest.whoami", auth: "required", summary: "Who am I" },
    {
      method: "POST",
      path: "/t/creators",
      action: "gwtest.whoami",
      auth: "required",
      roles: ["creator"],
      summary: "Creators only",
    },
    { method: "POST", path: "/t/echo", action: "gwtest.echo", auth: "none", summary: "Echo a name" },
    { method: "GET", path: "/t/items/:id", action: "gwtest.item", auth: "none", summary: "Get an item" },
    { method: "GET", path: "/t/boom", action: "gwtest.boom", auth: "none", summary: "Fails unexpectedly" },
    { method: "DELETE", path: "/t/items/:id", action: "gwtest.item", auth: "none", summary: "Delete an item" },
    { method: "GET", path: "/t/lists/:listId", action: "gwtest.list", auth: "none", summary: "Get a list" },
    {
      method: "PUT",
      path: "/t/uploads/:id",
      action: "gwtest.upload",
      auth: "required",
      stream: true,
      summary: "Raw upload",
    },
  ],
};

export const MEDIA_TABLE: RouteTable = {
  basePath: "/media",
  routes: [
    {
      method: "GET",
      path: "/:path(.*)",
      action: "gwtest.serve",
      auth: "none",
      rateLimitBucket: "media",
      summary: "Signed media delivery",
    },
  ],
};

type Ctx<P = Record<string, unknown>> = Context<P, ArenaMeta & Record<string, unknown>>;

export const TestService: ServiceSchema = {
  name: "gwtest",
  actions: {
    whoami: {
      params: {},
      handler(ctx: Ctx) {
        return { user: ctx.meta.user ?? null, requestId: ctx.meta.requestId, clientIp: ctx.meta.clientIp };
      },
    },
    echo: {
      params: { name: { type: "string", min: 2 }, tags: { type: "array", items: "string", optional: true } },
      handler(ctx: Ctx<{ name: string }>) {
        return { name: ctx.params.name };
      },
    },
    item: {
      params: { id: "string|min:3", verbose: { type: "boolean", optional: true, convert: true } },
      handler(ctx: Ctx<{ id: string }>) {
        if (ctx.params.id === "missing") throw new NotFoundError("Item", ctx.params.id);
        return { id: ctx.params.id };
      },
    },
    /** Throws the way a callee does that names its own parameter `id`. */
    list: {
      params: { listId: "string" },
      handler(ctx: Ctx<{ listId: string }>) {
        throw new NotFoundError("List", ctx.params.listId);
      },
    },
    boom: {
      params: {},
      handler() {
        throw new Error("db password=hunter2 at /srv/secret.ts:12");
      },
    },
    /** Not in any route table: must never be reachable over HTTP. */
    secret: {
      params: {},
      handler() {
        return { leaked: true };
      },
    },
    upload: {
      async handler(ctx: Ctx<Readable>) {
        let bytes = 0;
        for await (const chunk of ctx.params) bytes += (chunk as Buffer).length;
        const urlParams = ctx.meta.$params as { id?: string } | undefined;
        return {
          bytes,
          id: urlParams?.id,
          contentType: ctx.meta.contentType,
          contentLength: ctx.meta.contentLength,
          userId: ctx.meta.user?.id,
        };
      },
    },
    serve: {
      params: { path: "string", sig: { type: "string", optional: true } },
      handler(ctx: Ctx<{ path: string; sig?: string }>) {
        ctx.meta.$responseType = "video/mp2t";
        ctx.meta.$responseHeaders = { "Cache-Control": "private, max-age=60", "X-Served-Path": ctx.params.path };
        return Readable.from([Buffer.from(`segment:${ctx.params.path}:`), Buffer.from(`sig=${ctx.params.sig ?? ""}`)]);
      },
    },
  },
};

/**
 * Stand-ins for the identity and users services the gateway's identity hook
 * talks to: revoked sessions at start, Keycloak first-sight provisioning,
 * and (built-in issuer) the JWKS.
 */
export interface IdentityStubs {
  jwksKeys: JWK[];
  revokedSessionIds: string[];
  provisioned: string[];
  jwksCalls: number;
}

function stubServices(stubs: IdentityStubs): ServiceSchema[] {
  return [
    {
      name: "identity",
      actions: {
        jwks: {
          params: {},
          handler() {
            stubs.jwksCalls += 1;
            return { keys: stubs.jwksKeys };
          },
        },
        revokedSessions: {
          params: {},
          handler() {
            return { sessionIds: stubs.revokedSessionIds, expiresAt: new Date(Date.now() + 3600_000).toISOString() };
          },
        },
      },
    },
    {
      name: "users",
      actions: {
        provisionExternal: {
          params: {
            subject: "string",
            username: { type: "string", optional: true },
            email: { type: "string", optional: true },
          },
          handler(ctx: Ctx<{ subject: string }>) {
            stubs.provisioned.push(ctx.params.subject);
            return { id: ctx.params.subject, created: true };
          },
        },
      },
    },
  ];
}

export interface Gateway {
  broker: ServiceBroker;
  api: ApiThis;
  base: string;
  stubs: IdentityStubs;
  stop(): Promise<void>;
}

export async function startGateway(
  config: ArenaConfig,
  opts: {
    tables?: RouteTable[];
    withTestService?: boolean;
    withStubs?: boolean;
    jwksKeys?: JWK[];
    revokedSessionIds?: string[];
    extraServices?: ServiceSchema[];
    broker?: Partial<BrokerOptions>;
    settings?: Partial<ApiSettings>;
  } = {},
): Promise<Gateway> {
  setConfig(config);
  const broker = new ServiceBroker({
    logger: false,
    namespace: config.namespace,
    nodeID: `gw-${config.namespace}`,
    ...opts.broker,
  });
  const stubs: IdentityStubs = {
    jwksKeys: opts.jwksKeys ?? [],
    revokedSessionIds: opts.revokedSessionIds ?? [],
    provisioned: [],
    jwksCalls: 0,
  };
  if (opts.withStubs !== false) for (const svc of stubServices(stubs)) broker.createService(svc);
  if (opts.withTestService !== false) broker.createService(TestService);
  for (const svc of opts.extraServices ?? []) broker.createService(svc);
  const schema: ServiceSchema<ApiSettings, ApiThis> = {
    name: "api",
    mixins: [ApiService as unknown as ServiceSchema],
    settings: { routeTables: opts.tables ?? [TEST_TABLE, MEDIA_TABLE], jwksMinRefetchMs: 0, ...opts.settings },
  };
  const api = broker.createService(schema as unknown as ServiceSchema) as unknown as ApiThis;
  await broker.start();
  return { broker, api, stubs, base: `http://127.0.0.1:${api.boundPort()}`, stop: () => broker.stop() };
}

export interface ErrorBodyShape {
  error: { code: string; message: string; details?: unknown; requestId: string };
}
