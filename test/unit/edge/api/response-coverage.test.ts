import { ROUTE_TABLES } from "../../../../services/edge/api/route-tables";
import { buildOpenApiOffline } from "../../../../bin/openapi-offline";
import { WEB_SESSION_ACTIONS, WEB_SESSION_PATH } from "../../../../services/edge/api/web-session";

const ROUTES = ROUTE_TABLES.flatMap((table) => table.routes);

describe("every operation declares its success body", () => {
  it("each route has a response schema (or declares its non-JSON media types)", () => {
    const missing = ROUTES.filter((r) => r.response === undefined && !r.responseTypes?.length).map(
      (r) => `${r.method} ${r.path} (${r.action})`,
    );
    expect(missing).toEqual([]);
  });

  it("the OpenAPI document carries each schema in the success response, and every $ref resolves", () => {
    const doc = buildOpenApiOffline();
    const text = JSON.stringify(doc);
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/([A-Za-z0-9]+)"/g))
      expect({ name, defined: name !== undefined && name in doc.components.schemas }).toEqual({ name, defined: true });
    const ops = Object.values(doc.paths).flatMap((item) => Object.values(item)) as Array<{
      "x-action": string;
      parameters?: Array<{ name: string; in: string }>;
      responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
    }>;
    expect(ops.length).toBeGreaterThan(0);
    for (const op of ops) {
      // One success status per operation; 206 besides it only where the operation takes a Range header.
      const success = Object.entries(op.responses).filter(([status]) => status.startsWith("2") && status !== "206");
      expect(success).toHaveLength(1);
      const ranged = op.parameters?.some((p) => p.in === "header" && p.name === "Range") ?? false;
      expect({ action: op["x-action"], partial: "206" in op.responses }).toEqual({
        action: op["x-action"],
        partial: ranged,
      });
      // 304 only where the operation takes If-None-Match (a cached public read), and its 200 then names the ETag.
      const conditional = op.parameters?.some((p) => p.in === "header" && p.name === "If-None-Match") ?? false;
      expect({ action: op["x-action"], notModified: "304" in op.responses }).toEqual({
        action: op["x-action"],
        notModified: conditional,
      });
      const headers = (success[0]?.[1] as { headers?: Record<string, unknown> } | undefined)?.headers ?? {};
      expect({ action: op["x-action"], etag: "ETag" in headers }).toEqual({
        action: op["x-action"],
        etag: conditional,
      });
      const content = success[0]?.[1].content;
      expect({ action: op["x-action"], hasContent: content !== undefined }).toEqual({
        action: op["x-action"],
        hasContent: true,
      });
    }
  });
});

describe("byte ranges in the document", () => {
  it("declares Range, 206 with Content-Range and 416 for signed media, and only there", () => {
    const doc = buildOpenApiOffline();
    const media = doc.paths["/media/{path}"]?.get as {
      parameters: Array<{ name: string; in: string }>;
      responses: Record<string, { headers?: Record<string, { required?: boolean }>; content?: object }>;
    };
    expect(media.parameters).toContainEqual(expect.objectContaining({ name: "Range", in: "header", required: false }));
    expect(Object.keys(media.responses)).toEqual(expect.arrayContaining(["200", "206", "416"]));
    expect(media.responses["206"]?.headers?.["Content-Range"]?.required).toBe(true);
    expect(media.responses["206"]?.content).toEqual(media.responses["200"]?.content);
    expect(media.responses["416"]?.headers?.["Content-Range"]?.required).toBe(true);
    const ranged = ROUTES.filter((r) => r.byteRanges).map((r) => r.action);
    expect(ranged).toEqual(["delivery.serve"]);
  });
});

describe("conditional reads in the document", () => {
  it("declares If-None-Match, ETag and 304 on the public cached reads the gateway keeps, and only there", () => {
    const doc = buildOpenApiOffline();
    const conditional = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { parameters?: Array<{ name: string; in: string }> }>)
        .filter(([, op]) => op.parameters?.some((p) => p.in === "header" && p.name === "If-None-Match"))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(conditional).toEqual(
      expect.arrayContaining([
        "GET /api/v1/channels",
        "GET /api/v1/channels/{id}",
        "GET /api/v1/users/{id}",
        "GET /api/v1/users/by-username/{username}",
      ]),
    );
    // Per-user and authenticated reads, writes and media never are.
    expect(conditional.filter((op) => !op.startsWith("GET ") || op.includes("/me") || op.includes("/media/"))).toEqual(
      [],
    );
    const get = doc.paths["/api/v1/channels/{id}"]?.get as {
      responses: Record<string, { headers?: Record<string, { required?: boolean }>; content?: object }>;
    };
    expect(get.responses["304"]?.headers?.ETag?.required).toBe(true);
    expect(get.responses["304"]?.content).toBeUndefined();
    expect(get.responses["200"]?.headers?.ETag).toBeDefined();
  });
});

describe("routes outside the route tables", () => {
  it("the web session routes the gateway answers itself are in the document, each with its success body", () => {
    const doc = buildOpenApiOffline();
    for (const action of WEB_SESSION_ACTIONS) {
      const op = doc.paths[`${WEB_SESSION_PATH}/${action}`]?.post as
        | { responses: Record<string, { content?: Record<string, { schema?: unknown }> }>; security: unknown[] }
        | undefined;
      expect({ action, documented: op !== undefined }).toEqual({ action, documented: true });
      expect(op?.responses["200"]?.content?.["application/json"]?.schema).toBeDefined();
    }
    expect(doc.components.securitySchemes.webSession).toEqual(expect.objectContaining({ in: "cookie" }));
  });

  it("the system routes (health, this document) are in the document; readiness declares its 503 body", () => {
    const doc = buildOpenApiOffline();
    type Op = { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
    const statuses = (path: string) => Object.keys((doc.paths[path]?.get as Op | undefined)?.responses ?? {});
    expect(statuses("/health/live")).toEqual(["200", "default"]);
    expect(statuses("/health/ready")).toEqual(["200", "503", "default"]);
    expect(statuses("/api/openapi.json")).toEqual(["200", "429", "default"]);
    const ready = doc.paths["/health/ready"]?.get as Op;
    expect(ready.responses["503"]?.content?.["application/json"]?.schema).toEqual(
      expect.objectContaining({
        properties: expect.objectContaining({ status: { type: "string", const: "unavailable" } }),
      }),
    );
  });
});
