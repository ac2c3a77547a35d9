/**
 * What an action may ask of the HTTP gateway through ctx.meta (moleculer-web
 * reads these after the action returns).
 */
export interface HttpResponseMeta {
  $statusCode?: number;
  $location?: string;
  $responseType?: string;
  $responseHeaders?: Record<string, string>;
}

/** Where the REST API is mounted; a route table's paths are relative to it. */
export const API_BASE_PATH = "/api/v1";

/**
 * 201 for a created resource, with its Location (RFC 9110 §15.3.2): `path` is
 * where the new resource is read, relative to the API base ("/channels/<id>").
 * Without a Location moleculer-web also logs a warning on every 201.
 */
export function markCreated(ctx: { meta: object }, path: string): void {
  const meta = ctx.meta as HttpResponseMeta;
  meta.$statusCode = 201;
  meta.$location = `${API_BASE_PATH}${path}`;
}

/** Response headers of this call (replaces any set before). */
export function setResponseHeaders(ctx: { meta: object }, headers: Record<string, string>): void {
  (ctx.meta as HttpResponseMeta).$responseHeaders = headers;
}
