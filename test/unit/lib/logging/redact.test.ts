import { jsonLogFormatter } from "../../../../lib/logging/json-formatter";
import { redactString, redactValue } from "../../../../lib/logging/redact";

describe("log redaction", () => {
  it("masks credentials by key at any depth", () => {
    const out = redactValue({
      user: "ann",
      password: "hunter2",
      nested: { refreshToken: "r1", streamKey: "live_x", ok: 1 },
    }) as any;
    expect(out).toEqual({
      user: "ann",
      password: "[REDACTED]",
      nested: { refreshToken: "[REDACTED]", streamKey: "[REDACTED]", ok: 1 },
    });
  });

  it("masks bearer tokens, JWTs and URL credentials inside strings", () => {
    const jwt = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXZhbHVl";
    expect(redactString(`Authorization: Bearer abc.def-ghi`)).toBe("Authorization: Bearer [REDACTED]");
    expect(redactString(`token ${jwt} seen`)).toBe("token [REDACTED] seen");
    expect(redactString("postgres://arena:s3cret@db:5432/arena")).toBe("postgres://arena:[REDACTED]@db:5432/arena");
  });

  it("writes one JSON object per line with bindings, message and no secrets", () => {
    const [line] = jsonLogFormatter(
      "warn",
      [{ requestId: "r-1", authorization: "Bearer zzz" }, "login failed for", "redis://u:pw@h:6379"],
      { nodeID: "n1", mod: "api" },
    );
    const parsed = JSON.parse(line!);
    expect(parsed).toMatchObject({
      level: "warn",
      nodeID: "n1",
      mod: "api",
      requestId: "r-1",
      authorization: "[REDACTED]",
    });
    expect(parsed.message).toBe("login failed for redis://u:[REDACTED]@h:6379");
    expect(line).not.toContain("pw@");
  });
});
