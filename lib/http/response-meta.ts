/**
 * What an action may ask of the HTTP gateway through ctx.meta (moleculer-web
 * reads these after the action returns).
 */
export interface HttpResponseMeta {
  $statusCode?: number;
  $responseType?: string;
  $responseHeaders?: Record<string, string>;
}

/** 201 for a created resource. */
export function markCreated(ctx: { meta: object }): void {
  (ctx.meta as HttpResponseMeta).$statusCode = 201;
}

/** Response headers of this call (replaces any set before). */
export function setResponseHeaders(ctx: { meta: object }, headers: Record<string, string>): void {
  (ctx.meta as HttpResponseMeta).$responseHeaders = headers;
}
