import type { IncomingMessage, ServerResponse } from "node:http";
import { UnsupportedMediaTypeError } from "../../../lib/errors";

/**
 * JSON routes take JSON bodies only. Without this a form or text body would
 * be silently dropped by the JSON parser and the action would see `{}`.
 */
export function jsonOnly(req: IncomingMessage, _res: ServerResponse, next: (err?: unknown) => void): void {
  const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
  if (!hasBody) return next();
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"))) return next();
  next(new UnsupportedMediaTypeError("Request body must be application/json"));
}
