import { ruleToSchema, paramsToObjectSchema } from "../../../../services/edge/api/fv-json-schema";
import { buildOpenApi, toOpenApiPath } from "../../../../services/edge/api/openapi";
import { buildOpenApiOffline } from "../../../../bin/openapi-offline";
import { s } from "../../../../lib/http/response-schema";
import { REASONS } from "../../../../services/core/moderation/report.types";
import { enumConstants } from "../../../../web/scripts/enum-constants";

describe("fastest-validator → JSON Schema", () => {
  it("converts shorthand and object rules", () => {
    expect(ruleToSchema("string|min:3|max:20|optional")).toEqual({
      schema: { type: "string", minLength: 3, maxLength: 20 },
      optional: true,
    });
    expect(ruleToSchema({ type: "number", integer: true, min: 1, max: 100, default: 20 })).toEqual({
      schema: { type: "integer", minimum: 1, maximum: 100, default: 20 },
      optional: true,
    });
    expect(ruleToSchema({ type: "enum", values: ["a", "b"] }).schema).toEqual({ enum: ["a", "b"] });
    expect(ruleToSchema("email").schema).toEqual({ type: "string", format: "email" });
    expect(ruleToSchema({ type: "array", items: "uuid", max: 5 }).schema).toEqual({
      type: "array",
      items: { type: "string", format: "uuid" },
      maxItems: 5,
    });
    expect(ruleToSchema({ type: "string", nullable: true }).schema).toEqual({ type: ["string", "null"] });
    expect(ruleToSchema({ type: "custom" }).schema).toEqual({});
  });

  it("builds object schemas, skipping $$ options", () => {
    expect(
      paramsToObjectSchema({
        $$strict: "remove" as unknown as string,
        a: "string",
        b: { type: "object", optional: true, props: { c: "boolean" } },
      }),
    ).toEqual({
      type: "object",
      properties: {
        a: { type: "string" },
        b: { type: "object", properties: { c: { type: "boolean" } }, required: ["c"] },
      },
      required: ["a"],
    });
  });
});

describe("OpenAPI document", () => {
  it("converts alias paths to templated paths", () => {
    expect(toOpenApiPath("/channels/:slug/videos/:id")).toEqual({
      path: "/channels/{slug}/videos/{id}",
      names: ["slug", "id"],
    });
    expect(toOpenApiPath("/:path(.*)")).toEqual({ path: "/{path}", names: ["path"] });
  });

  it("puts path, query and body params where they belong and marks security", () => {
    const doc = buildOpenApi(
      [
        {
          routes: [
            { method: "GET", path: "/channels/:slug", action: "channels.get", auth: "optional", summary: "Get" },
            {
              method: "PATCH",
              path: "/channels/:slug",
              action: "channels.update",
              auth: "required",
              roles: ["creator"],
              summary: "Update",
            },
          ],
        },
      ],
      (name) =>
        name === "channels.get"
          ? { slug: "string", expand: "boolean|optional" }
          : { slug: "string", title: "string|max:80" },
      { title: "t", version: "1", serverUrl: "http://x" },
    );
    const get = doc.paths["/api/v1/channels/{slug}"]?.get as Record<string, unknown>;
    expect(get.parameters).toEqual([
      { name: "slug", in: "path", required: true, schema: { type: "string" } },
      { name: "expand", in: "query", required: false, schema: { type: "boolean" } },
    ]);
    expect(get.security).toEqual([{}, { bearer: [] }]);
    const patch = doc.paths["/api/v1/channels/{slug}"]?.patch as Record<string, unknown>;
    expect(patch.requestBody).toEqual({
      required: true,
      content: {
        "application/json": {
          schema: { type: "object", properties: { title: { type: "string", maxLength: 80 } }, required: ["title"] },
        },
      },
    });
    expect(patch["x-roles"]).toEqual(["creator"]);
  });

  it("a DELETE's fields are a JSON body, not query parameters (a password must not travel in a URL)", () => {
    const doc = buildOpenApi(
      [{ routes: [{ method: "DELETE", path: "/me", action: "users.deleteMe", auth: "required", summary: "Delete" }] }],
      () => ({ password: "string", totpCode: "string|optional" }),
      { title: "t", version: "1", serverUrl: "http://x" },
    );
    const del = doc.paths["/api/v1/me"]?.delete as Record<string, unknown>;
    expect(del.parameters).toBeUndefined();
    expect(del.requestBody).toEqual({
      required: true,
      content: {
        "application/json": {
          schema: {
            type: "object",
            properties: { password: { type: "string" }, totpCode: { type: "string" } },
            required: ["password"],
          },
        },
      },
    });
  });
});

describe("non-JSON responses", () => {
  it("documents the media types a route declares for its success body", () => {
    const doc = buildOpenApi(
      [
        {
          routes: [
            {
              method: "GET",
              path: "/feeds/:blog/:format",
              action: "blog.feed",
              auth: "none",
              summary: "feed",
              responseTypes: ["application/rss+xml; charset=utf-8", "application/atom+xml; charset=utf-8"],
            },
          ],
        },
      ],
      () => undefined,
      { title: "t", version: "1", serverUrl: "http://x" },
    );
    const get = doc.paths["/api/v1/feeds/{blog}/{format}"]?.get as { responses: Record<string, { content?: object }> };
    const ok = get.responses["200"];
    expect(Object.keys(ok?.content ?? {})).toEqual([
      "application/rss+xml; charset=utf-8",
      "application/atom+xml; charset=utf-8",
    ]);
  });
});

describe("named request enums", () => {
  it("publishes a table's named enum and points request fields with exactly its values at it", () => {
    const REASON = s.named("Reason", s.enum(["spam", "other"] as const));
    const doc = buildOpenApi(
      [
        {
          schemas: [REASON],
          routes: [
            { method: "POST", path: "/reports", action: "reports.file", auth: "required", summary: "File" },
            { method: "GET", path: "/reports", action: "reports.list", auth: "required", summary: "List" },
          ],
        },
      ],
      (name) =>
        name === "reports.file"
          ? { reason: { type: "enum", values: ["spam", "other"] }, kind: { type: "enum", values: ["other", "spam"] } }
          : { reason: { type: "enum", values: ["spam", "other"], optional: true } },
      { title: "t", version: "1", serverUrl: "http://x" },
    );
    expect(doc.components.schemas.Reason).toEqual({ type: "string", enum: ["spam", "other"] });
    const post = doc.paths["/api/v1/reports"]?.post as {
      requestBody: { content: { "application/json": { schema: { properties: Record<string, unknown> } } } };
    };
    const body = post.requestBody.content["application/json"].schema.properties;
    expect(body.reason).toEqual({ $ref: "#/components/schemas/Reason" });
    // Another order is another list (the form's order matters): left inline.
    expect(body.kind).toEqual({ enum: ["other", "spam"] });
    const get = doc.paths["/api/v1/reports"]?.get as { parameters: Array<{ name: string; schema: unknown }> };
    expect(get.parameters.find((p) => p.name === "reason")?.schema).toEqual({ $ref: "#/components/schemas/Reason" });
  });

  it("the moderation service's report reasons are the document's ReportReason, which POST /reports takes", () => {
    const doc = buildOpenApiOffline();
    expect(doc.components.schemas.ReportReason).toEqual({ type: "string", enum: [...REASONS] });
    const post = doc.paths["/api/v1/reports"]?.post as {
      requestBody: { content: { "application/json": { schema: { properties: Record<string, unknown> } } } };
    };
    expect(post.requestBody.content["application/json"].schema.properties.reason).toEqual({
      $ref: "#/components/schemas/ReportReason",
    });
    expect(enumConstants(doc.components.schemas)).toContain(`export const ReportReason = ${JSON.stringify(REASONS)}`);
  });
});
