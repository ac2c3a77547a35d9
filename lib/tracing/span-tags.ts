/**
 * What spans say about a call. Moleculer's default tags every span with the
 * action's full params, which would ship passwords, refresh tokens, stream
 * keys and chat text to the tracing backend: spans carry the request id and
 * the caller's user id instead, and the gateway's span names its method and
 * path without the query string (signed media URLs carry their signature there).
 */
import type { Context } from "moleculer";

export function safeSpanTags(ctx: Context): Record<string, string> {
  const meta = ctx.meta as { requestId?: unknown; user?: { id?: unknown } } | undefined;
  const tags: Record<string, string> = {};
  if (typeof meta?.requestId === "string") tags.requestId = meta.requestId;
  if (typeof meta?.user?.id === "string") tags.userId = meta.user.id;
  return tags;
}

interface RestParams {
  req?: { method?: string; originalUrl?: string; url?: string };
}

/** "GET /api/v1/channels/abc" for the gateway's request span. */
export function restSpanName(ctx: Context): string {
  const req = (ctx.params as RestParams | undefined)?.req;
  const path = (req?.originalUrl ?? req?.url ?? "/").split("?")[0];
  return `${req?.method ?? "HTTP"} ${path}`;
}

export function restSpanTags(ctx: Context): Record<string, string> {
  const req = (ctx.params as RestParams | undefined)?.req;
  return { ...safeSpanTags(ctx), "http.method": req?.method ?? "", "http.path": restSpanName(ctx).split(" ")[1] ?? "" };
}
