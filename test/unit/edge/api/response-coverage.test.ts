import { ROUTE_TABLES } from "../../../../services/edge/api/route-tables";
import { buildOpenApiOffline } from "../../../../bin/openapi-offline";

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
      responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
    }>;
    expect(ops.length).toBeGreaterThan(0);
    for (const op of ops) {
      const success = Object.entries(op.responses).filter(([status]) => status.startsWith("2"));
      expect(success).toHaveLength(1);
      const content = success[0]?.[1].content;
      expect({ action: op["x-action"], hasContent: content !== undefined }).toEqual({
        action: op["x-action"],
        hasContent: true,
      });
    }
  });
});
