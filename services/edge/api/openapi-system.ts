import { s, type JsonSchema } from "../../../lib/http/response-schema";
import type { ReadinessCheck } from "./health";

/**
 * The OpenAPI operations of the system routes the gateway answers before any
 * routing (http-entry.ts `serveSystem`): liveness, readiness and this
 * document. They sit outside the route tables (no auth, no route-table
 * limits: an orchestrator's probe must never get a 401 or 429), so they are
 * written here, next to what answers them, and the document covers every
 * route the server answers.
 */

const SERVED_BY = "gateway (services/edge/api/http-entry.ts)";

const READINESS_CHECK = s.named(
  "ReadinessCheck",
  s.object<ReadinessCheck>()({
    name: s.string(),
    ok: s.boolean(),
    error: s.optional(s.string()),
  }),
);

/** The readiness body: the same shape on 200 and 503, `status` tells them apart. */
const readiness = <V extends "ok" | "unavailable">(status: V) =>
  s.object<{ status: V; checks: ReadinessCheck[] }>()({ status: s.literal(status), checks: s.array(READINESS_CHECK) });

export const HEALTH_LIVE = s.object<{ status: "ok" }>()({ status: s.literal("ok") });

/** What GET /api/openapi.json promises of itself (the rest is OpenAPI 3.1). */
interface OpenApiShape {
  openapi: "3.1.0";
  info: { title: string; version: string };
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, object>>;
  components: { securitySchemes: Record<string, object>; schemas: Record<string, object> };
}

export const OPENAPI_DOCUMENT = s.named(
  "OpenApiDocument",
  s.object<OpenApiShape>()({
    openapi: s.literal("3.1.0"),
    info: s.object<OpenApiShape["info"]>()({ title: s.string(), version: s.string() }),
    servers: s.array(s.object<{ url: string }>()({ url: s.string() })),
    paths: s.record(s.record(s.opaque<object>("An OpenAPI 3.1 operation object, by lower-case method"))),
    components: s.object<OpenApiShape["components"]>()({
      securitySchemes: s.record(s.opaque<object>("An OpenAPI 3.1 security scheme object")),
      schemas: s.record(s.opaque<object>("A JSON Schema (2020-12)")),
    }),
  }),
);

/** The named schemas these operations use, for components/schemas. */
export const SYSTEM_SCHEMAS = [READINESS_CHECK, OPENAPI_DOCUMENT];

const NO_STORE = { "Cache-Control": { schema: { type: "string", const: "no-store" } } };

const json = (description: string, schema: JsonSchema) => ({
  description,
  headers: NO_STORE,
  content: { "application/json": { schema } },
});

const errorRef = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

function operation(
  name: string,
  spec: { summary: string; description: string; responses: Record<string, unknown> },
): Record<string, unknown> {
  return {
    summary: spec.summary,
    description: spec.description,
    operationId: `get_system_${name}`,
    "x-action": `system.${name}`,
    "x-served-by": SERVED_BY,
    security: [],
    responses: { ...spec.responses, default: errorRef("Error") },
  };
}

/** The system routes' path items (GET; HEAD answers the same without a body). */
export function systemPaths(): Record<string, unknown> {
  return {
    "/health/live": {
      get: operation("live", {
        summary: "Liveness: the process answers HTTP",
        description: "Checks nothing else; never rate limited. A failing probe means restart the process.",
        responses: { "200": json("The process is alive", HEALTH_LIVE.json) },
      }),
    },
    "/health/ready": {
      get: operation("ready", {
        summary: "Readiness: 200 while this node can serve requests, 503 (with the failing check) when not",
        description:
          "The broker started, the transporter (when configured) connected, and every local database answers " +
          "within 2 s; not while the node drains after SIGTERM (check `gateway`). Never rate limited; " +
          "requests arriving while a check runs share its result.",
        responses: {
          "200": json("Every check passed", readiness("ok").json),
          "503": json(
            "A check failed (its `error` says why): take the node out of rotation",
            readiness("unavailable").json,
          ),
        },
      }),
    },
    "/api/openapi.json": {
      get: operation("openapi", {
        summary: "This document, built from the live registry",
        description: "Counts against the caller's per-IP API budget (it is built on every call).",
        responses: {
          "200": json("The OpenAPI 3.1 document", OPENAPI_DOCUMENT.json),
          "429": errorRef("Rate limited; Retry-After says when to retry (RATE_LIMITED)"),
        },
      }),
    },
  };
}
