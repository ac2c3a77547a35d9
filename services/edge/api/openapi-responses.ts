/**
 * The responses of an OpenAPI operation (openapi.ts): the success response
 * with its headers (201 Location, ETag/304 of a cached public read, 206 of a
 * byte range) and the failures the gateway itself can answer, in the one
 * error body.
 */
import type { JsonSchema } from "./fv-json-schema";
import type { RouteSpec } from "./route-table";

export const ERROR_SCHEMA: JsonSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "details", "requestId"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        details: {
          type: "array",
          items: {
            type: "object",
            required: ["message"],
            properties: { field: { type: "string" }, message: { type: "string" } },
          },
        },
        requestId: { type: "string" },
      },
    },
  },
};

export const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

export /**
 * The success response: its status (201 for creates, with Location) and the media types of a non-JSON body;
 * on a cached public read (`conditional`) the ETag of the 200 and the 304 a matching If-None-Match gets.
 */
function successResponses(route: RouteSpec, conditional: boolean): Record<string, unknown> {
  const response: Record<string, unknown> = {
    description: route.status === 201 ? "Created" : route.status === 202 ? "Accepted" : "Success",
  };
  if (route.responseTypes?.length)
    response.content = Object.fromEntries(route.responseTypes.map((type) => [type, { schema: { type: "string" } }]));
  else if (route.response)
    response.content = {
      "application/json": { schema: route.response.json },
      ...Object.fromEntries((route.response.textTypes ?? []).map((type) => [type, { schema: { type: "string" } }])),
    };
  if (route.status === 201)
    response.headers = { Location: { description: "Where the new resource is read", schema: { type: "string" } } };
  if (conditional) {
    response.headers = { ...(response.headers as object | undefined), ETag: ETAG_HEADER };
    return { [String(route.status ?? 200)]: response, "304": NOT_MODIFIED_RESPONSE };
  }
  if (!route.byteRanges) return { [String(route.status ?? 200)]: response };
  // A file (not a playlist) says it takes ranges; a satisfiable single range gets 206 with its part.
  response.headers = { "Accept-Ranges": ACCEPT_RANGES_HEADER, "Content-Length": CONTENT_LENGTH_HEADER };
  return {
    "200": response,
    "206": {
      description: "Partial Content: the bytes of the one range asked for",
      headers: {
        "Content-Range": {
          description: "`bytes <first>-<last>/<size>`",
          required: true,
          schema: { type: "string", pattern: "^bytes \\d+-\\d+/\\d+$" },
        },
        "Accept-Ranges": { ...ACCEPT_RANGES_HEADER, required: true },
        "Content-Length": { ...CONTENT_LENGTH_HEADER, required: true },
      },
      ...(response.content ? { content: response.content } : {}),
    },
  };
}

const ACCEPT_RANGES_HEADER = {
  description: "`bytes` on files that take a `Range` header (absent on playlists, always sent whole)",
  schema: { type: "string", enum: ["bytes"] },
};
/**
 * Sent when the gateway keeps this route's answers (fast-path.ts: a read cacher and READ_CACHE_TTL_S > 0,
 * no Authorization or Cookie header); a strong validator of the body bytes.
 */
const ETAG_HEADER = {
  description: "Strong validator of this body, for If-None-Match (anonymous requests, gateway cache on)",
  schema: { type: "string" },
};
const NOT_MODIFIED_RESPONSE = {
  description: "Not Modified: If-None-Match matched the current ETag (no body)",
  headers: { ETag: { ...ETAG_HEADER, required: true } },
};
const CONTENT_LENGTH_HEADER = { description: "Bytes in this body", schema: { type: "integer", minimum: 0 } };

export /** The failures the gateway itself can answer on this route (a service may add 409 and others: `default`). */
function errorResponses(route: RouteSpec, hasPathParams: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    "400": errorResponse(
      "Invalid parameters, unknown query parameter or malformed body (VALIDATION_ERROR, MALFORMED_JSON)",
    ),
  };
  if (route.auth !== "none") out["401"] = errorResponse("Missing, invalid or expired token (UNAUTHORIZED)");
  if (route.auth === "required" || route.roles?.length)
    out["403"] = errorResponse("A role or ownership is missing (FORBIDDEN)");
  if (hasPathParams) out["404"] = errorResponse("Nothing has this id; details name the path parameter (NOT_FOUND)");
  if (route.byteRanges)
    out["416"] = {
      description: "Range Not Satisfiable: the range starts past the end of the file (empty body)",
      headers: {
        "Content-Range": {
          description: "`bytes */<size>`: the file's size",
          required: true,
          schema: { type: "string", pattern: "^bytes \\*/\\d+$" },
        },
      },
    };
  const hasBody = route.stream === true || route.method !== "GET";
  if (hasBody) {
    out["413"] = errorResponse("Body too large (PAYLOAD_TOO_LARGE)");
    out["415"] = errorResponse("Body of a type this route does not take (UNSUPPORTED_MEDIA_TYPE)");
  }
  out["429"] = errorResponse("Rate limited; Retry-After says when to retry (RATE_LIMITED)");
  out["503"] = errorResponse("A service or its database is unavailable; Retry-After (SERVICE_UNAVAILABLE)");
  return out;
}
