/**
 * Checks real response bodies against the OpenAPI document the gateway
 * serves: a `fetch` to hand to ApiClient that, for every answer of an
 * `/api/v1` route or a system route (health, the document itself), finds the
 * operation (method + templated path), checks the status is one the
 * operation declares and the JSON body against the schema declared for that
 * status (lib/http/json-schema-check.ts). Specs then assert
 * no violations and that each operation was answered with success at least
 * once, so every declared schema met a real body.
 *
 *   const check = await ResponseCheck.load(h.base);
 *   const api = new ApiClient(h.base, token, check.fetch);
 *   ...
 *   expect(check.violationsOf("videos.")).toEqual([]);
 */
import { checkJsonSchema, type SchemaViolation } from "../../lib/http/json-schema-check";
import type { JsonSchema } from "../../lib/http/response-schema";

interface DocOperation {
  "x-action": string;
  responses: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

interface Doc {
  paths: Record<string, Record<string, DocOperation>>;
  components: { schemas: Record<string, JsonSchema> };
}

interface Template {
  method: string;
  path: string;
  pattern: RegExp;
  literalSegments: number;
  operation: DocOperation;
}

/** The gateway's own routes outside /api/v1, in the document too (services/edge/api/openapi-system.ts). */
const SYSTEM_PATHS = new Set(["/health/live", "/health/ready", "/api/openapi.json"]);

export interface Violation {
  operation: string;
  action: string;
  status: number;
  problems: Array<SchemaViolation | string>;
}

export class ResponseCheck {
  readonly violations: Violation[] = [];
  /** "<method> <templated path>" → success statuses seen. */
  readonly answered = new Map<string, number[]>();
  private readonly templates: Template[];

  private constructor(private readonly doc: Doc) {
    this.templates = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
        literalSegments: path.split("/").filter((seg) => seg && !seg.startsWith("{")).length,
        operation,
      })),
    );
  }

  static async load(base: string): Promise<ResponseCheck> {
    const res = await fetch(`${base}/api/openapi.json`);
    if (res.status !== 200) throw new Error(`openapi.json answered ${res.status}`);
    return new ResponseCheck((await res.json()) as Doc);
  }

  /** The operations of the document whose action starts with `prefix` ("videos."). */
  operations(prefix: string): string[] {
    return this.templates
      .filter((t) => t.operation["x-action"].startsWith(prefix))
      .map((t) => `${t.method} ${t.path}`)
      .sort();
  }

  /** What was wrong with the answers of the operations whose action starts with `prefix`. */
  violationsOf(prefix: string): Violation[] {
    return this.violations.filter((v) => v.action.startsWith(prefix));
  }

  /** Operations of `prefix` never answered with success during the spec. */
  unanswered(prefix: string): string[] {
    return this.operations(prefix).filter((op) => !this.answered.has(op));
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? "GET").toUpperCase();
    if (url.pathname.startsWith("/api/v1") || SYSTEM_PATHS.has(url.pathname))
      this.check(method, url.pathname, res.status, res.headers.get("content-type") ?? "", await res.clone().text());
    return res;
  };

  private check(method: string, pathname: string, status: number, contentType: string, text: string): void {
    const template = this.templates
      .filter((t) => t.method === method && t.pattern.test(pathname))
      .sort((a, b) => b.literalSegments - a.literalSegments)[0];
    // A path no operation has (404/405 from the router) has nothing to check against; a 304 has no body.
    if (!template || status === 304) return;
    const name = `${method} ${template.path}`;
    const declared = template.operation.responses[String(status)];
    const response = declared ?? template.operation.responses.default;
    const problems: Violation["problems"] = [];
    if (status < 400 && !declared) problems.push(`success status ${status} is not the one the document declares`);
    const content = response?.content ?? {};
    const mediaType = contentType.split(";")[0]?.trim() ?? "";
    const declaredTypes = Object.keys(content).map((type) => type.split(";")[0]?.trim());
    // A success is checked against the media types the operation declares (JSON, or a feed, an image, CSV…);
    // a JSON body against the JSON schema.
    if (status < 300 && declaredTypes.length > 0 && !declaredTypes.includes(mediaType))
      problems.push(`media type ${mediaType} is not declared`);
    const schema = mediaType === "application/json" ? content["application/json"]?.schema : undefined;
    if (status < 400 && declaredTypes.length === 0) problems.push("no JSON schema declared for this success");
    if (schema) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        problems.push(`body is not JSON: ${text.slice(0, 80)}`);
      }
      if (body !== undefined) problems.push(...checkJsonSchema(body, schema, this.doc.components.schemas));
    }
    if (problems.length)
      this.violations.push({ operation: name, action: template.operation["x-action"], status, problems });
    if (status < 300) this.answered.set(name, [...(this.answered.get(name) ?? []), status]);
  }
}
