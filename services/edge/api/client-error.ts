/**
 * The answer to a request Node's HTTP parser refused before any route saw it: headers over the parser's
 * limit (a long query string with a bearer token is enough), a malformed request line, headers that never
 * finished arriving. The gateway used to destroy the socket, so a client saw "empty reply" / "other side
 * closed" with nothing to act on; now it gets the status Node itself would send (431, 408, 400) with the
 * one error body, then the connection closes (the parser's state is unusable after such an error).
 */
import type { Duplex } from "node:stream";
import type { ErrorBody, GatewayErrorCode } from "./error-body";
import { requestIdFrom } from "./http-preamble";

interface ParserError extends Error {
  code?: string;
}

interface ClientErrorAnswer {
  status: number;
  reason: string;
  code: GatewayErrorCode;
  message: string;
}

function answerFor(err: ParserError): ClientErrorAnswer {
  if (err.code === "HPE_HEADER_OVERFLOW")
    return {
      status: 431,
      reason: "Request Header Fields Too Large",
      code: "BAD_REQUEST",
      message: "The request line and headers are too large (shorten the URL or the query string)",
    };
  if (err.code === "ERR_HTTP_REQUEST_TIMEOUT")
    return {
      status: 408,
      reason: "Request Timeout",
      code: "BAD_REQUEST",
      message: "The request took too long to arrive",
    };
  return { status: 400, reason: "Bad Request", code: "BAD_REQUEST", message: "The request is not valid HTTP" };
}

/** `server.on("clientError", answerClientError)`. */
export function answerClientError(err: ParserError, socket: Duplex): void {
  // A reset peer, or a request already being answered: nothing can be written, only let go.
  if (err.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, reason, code, message } = answerFor(err);
  const body: ErrorBody = { error: { code, message, details: [], requestId: requestIdFrom(undefined) } };
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      "Content-Type: application/json; charset=utf-8\r\n" +
      `Content-Length: ${Buffer.byteLength(json)}\r\n` +
      "X-Content-Type-Options: nosniff\r\n" +
      "Connection: close\r\n\r\n" +
      json,
  );
}
