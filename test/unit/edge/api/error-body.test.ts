import { Errors } from "moleculer";
import {
  ArenaClientError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  ValidationError,
} from "../../../../lib/errors";
import { toErrorResponse } from "../../../../services/edge/api/error-body";

describe("toErrorResponse", () => {
  it("keeps typed Arena errors' status, code and details", () => {
    const r = toErrorResponse(new NotFoundError("Channel", "abc"), "rid-1");
    expect(r).toMatchObject({
      status: 404,
      body: {
        error: {
          code: "NOT_FOUND",
          message: "Channel abc not found",
          details: [{ field: "id", message: "Channel abc not found" }],
          requestId: "rid-1",
        },
      },
    });
    expect(toErrorResponse(new ConflictError("taken"), "r").body.error.code).toBe("CONFLICT");
    expect(toErrorResponse(new ValidationError("bad", [{ field: "x", message: "no" }]), "r").body.error).toMatchObject({
      code: "VALIDATION_ERROR",
      details: [{ field: "x", message: "no" }],
    });
  });

  it("a typed 404 names the path parameter of the route that held the missing id", () => {
    // channels.get throws NotFoundError("Channel", id) for PUT /channels/:channelId/follow too.
    const routed = toErrorResponse(new NotFoundError("Channel", "c9"), "r", 5, { channelId: "c9" });
    expect(routed.body.error.details).toEqual([{ field: "channelId", message: "Channel c9 not found" }]);
    // A route param of the same name wins; a value no path param holds keeps the thrower's field.
    const own = toErrorResponse(new NotFoundError("Comment", "k1"), "r", 5, { videoId: "k1", id: "k1" });
    expect(own.body.error.details).toEqual([{ field: "id", message: "Comment k1 not found" }]);
    const body = toErrorResponse(new NotFoundError("Comment", "p1", "parentId"), "r", 5, { videoId: "v1" });
    expect(body.body.error.details).toEqual([{ field: "parentId", message: "Comment p1 not found" }]);
  });

  it.each<[string, unknown]>([
    ["a 404 without an id", new NotFoundError("Route")],
    ["a conflict", new ConflictError("taken")],
    ["a 429", new RateLimitedError(3)],
    ["a 413", new PayloadTooLargeError("1 MB")],
    ["a foreign client error with object data", new Errors.MoleculerClientError("x", 403, "FORBIDDEN", { a: 1 })],
    ["a 503", new Errors.ServiceNotFoundError({ action: "x.y" })],
    ["a 500", new Error("boom")],
    ["malformed JSON", Object.assign(new SyntaxError("x"), { type: "entity.parse.failed", status: 400 })],
  ])("details is always a list of { field?, message } (%s)", (_name, err) => {
    const details: unknown = toErrorResponse(err, "r").body.error.details;
    expect(Array.isArray(details)).toBe(true);
    for (const d of details as Array<Record<string, unknown>>) {
      expect(typeof d.message).toBe("string");
      expect(Object.keys(d).every((k) => k === "field" || k === "message")).toBe(true);
    }
  });

  it("the MFA login refusal names the totpCode field (the web client asks for a code on it)", () => {
    const err = new ArenaClientError("A one-time code is required", 401, "UNAUTHORIZED", [
      { field: "totpCode", message: "A one-time code is required" },
    ]);
    expect(toErrorResponse(err, "r").body.error.details).toEqual([
      { field: "totpCode", message: "A one-time code is required" },
    ]);
  });

  it("429 carries Retry-After from the error", () => {
    const r = toErrorResponse(new RateLimitedError(17), "r");
    expect(r.status).toBe(429);
    expect(r.headers["Retry-After"]).toBe("17");
    expect(r.body.error.details).toEqual([]);
  });

  it("Moleculer validator errors → 400 with field/message only", () => {
    const err = new Errors.ValidationError("Parameters validation error!", "VALIDATION_ERROR", [
      {
        type: "stringMin",
        field: "name",
        message: "The 'name' field length must be greater than or equal to 2 characters long.",
        actual: "x",
        expected: 2,
      },
    ]);
    const r = toErrorResponse(err, "r");
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([{ field: "name", message: expect.stringContaining("name") }]);
  });

  it.each([
    new Errors.ServiceNotFoundError({ action: "x.y" }),
    new Errors.ServiceNotAvailableError({ action: "x.y", nodeID: "n1" }),
    new Errors.RequestTimeoutError({ action: "x.y", nodeID: "n1" }),
    new Errors.RequestRejectedError({ action: "x.y", nodeID: "n1" }),
    new Errors.QueueIsFullError({ action: "x.y", nodeID: "n1", size: 10, limit: 10 }),
  ])("unavailability (%p) → 503 with Retry-After and no internals", (err) => {
    const r = toErrorResponse(err, "r");
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe("SERVICE_UNAVAILABLE");
    expect(r.headers["Retry-After"]).toBe("5");
    expect(JSON.stringify(r.body)).not.toMatch(/x\.y|n1/);
    expect(r.unexpected).toBe(false);
  });

  it("body-parser failures: malformed JSON → 400, too large → 413", () => {
    expect(
      toErrorResponse(
        Object.assign(new SyntaxError("Unexpected token"), { type: "entity.parse.failed", status: 400 }),
        "r",
      ),
    ).toMatchObject({ status: 400, body: { error: { code: "MALFORMED_JSON" } } });
    expect(
      toErrorResponse(
        Object.assign(new Error("request entity too large"), { type: "entity.too.large", status: 413 }),
        "r",
      ),
    ).toMatchObject({ status: 413, body: { error: { code: "PAYLOAD_TOO_LARGE" } } });
  });

  it("anything else → 500 INTERNAL_ERROR without message or stack", () => {
    const r = toErrorResponse(new Error("password=hunter2"), "r");
    expect(r).toMatchObject({
      status: 500,
      unexpected: true,
      body: { error: { code: "INTERNAL_ERROR", message: "Internal server error", requestId: "r" } },
    });
    expect(JSON.stringify(r.body)).not.toMatch(/hunter2|stack/);
    expect(toErrorResponse("a string", "r").status).toBe(500);
    expect(toErrorResponse(new Errors.MoleculerServerError("db down", 500, "DB"), "r").body.error.message).toBe(
      "Internal server error",
    );
  });

  it("unknown 4xx types fall back to a code by status", () => {
    expect(
      toErrorResponse(new Errors.MoleculerClientError("nope", 403, "ORIGIN_NOT_ALLOWED"), "r").body.error.code,
    ).toBe("FORBIDDEN");
    expect(toErrorResponse(new Errors.MoleculerClientError("odd", 418, "TEAPOT"), "r").body.error.code).toBe(
      "BAD_REQUEST",
    );
  });
});
