import { readFileSync } from "node:fs";
import { API_DOC, endpointReference, renderApiDoc } from "../../../scripts/api-reference";
import { ROUTE_TABLES } from "../../../services/edge/api/route-tables";

describe("docs/api.md endpoint reference", () => {
  const reference = endpointReference();

  it("is what `npm run docs:api` generates from the route tables (run it after changing a route)", () => {
    const committed = readFileSync(API_DOC, "utf8");
    expect(renderApiDoc(committed, reference) === committed).toBe(true);
  });

  it("lists every route with its method and path", () => {
    for (const table of ROUTE_TABLES)
      for (const route of table.routes) {
        const path = `${table.basePath ?? "/api/v1"}${route.path}`.replace(
          /:([A-Za-z0-9_]+)(\([^)]*\))?[?*+]?/g,
          "{$1}",
        );
        expect(reference).toContain(`| ${route.method} | \`${path}\` |`);
      }
  });

  it("keeps the hand-written parts around the markers", () => {
    const doc =
      "# API\n\nprose\n<!-- endpoints:start (npm run docs:api) -->\nold\n<!-- endpoints:end -->\n\nmore prose\n";
    expect(renderApiDoc(doc, "new")).toBe(
      "# API\n\nprose\n<!-- endpoints:start (npm run docs:api) -->\nnew\n<!-- endpoints:end -->\n\nmore prose\n",
    );
    expect(() => renderApiDoc("no markers", "x")).toThrow(/markers/);
  });
});
