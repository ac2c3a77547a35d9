import { assertAccessTokenType, claimsToUser, toArenaRoles } from "../../../../lib/auth/claims";

describe("claims → AuthUser", () => {
  it("maps built-in tokens: sub, preferred_username, roles, sid", () => {
    const user = claimsToUser(
      { sub: "u1", preferred_username: "ana", roles: ["creator", "bogus"], sid: "s1" },
      "builtin",
      "arena",
    );
    expect(user).toEqual({ id: "u1", username: "ana", roles: ["viewer", "creator"], sessionId: "s1" });
  });

  it("maps Keycloak realm and client roles, drops unknown ones, everyone is a viewer", () => {
    const user = claimsToUser(
      {
        sub: "kc-1",
        preferred_username: "bo",
        roles: ["admin"], // top-level roles are not a Keycloak claim: ignored
        realm_access: { roles: ["offline_access", "organizer"] },
        resource_access: { arena: { roles: ["editor"] }, other: { roles: ["admin"] } },
      },
      "keycloak",
      "arena",
    );
    expect(user.roles).toEqual(["viewer", "editor", "organizer"]);
    expect(user.id).toBe("kc-1");
    expect(user.sessionId).toBeUndefined();
  });

  it("rejects a token without subject", () => {
    expect(() => claimsToUser({ preferred_username: "x" }, "builtin", "arena")).toThrow(/subject/);
  });

  it("falls back to sub as username and ignores non-array roles", () => {
    expect(claimsToUser({ sub: "u2", roles: "admin" }, "builtin", "arena")).toEqual({
      id: "u2",
      username: "u2",
      roles: ["viewer"],
    });
  });

  it("toArenaRoles keeps canonical order", () => {
    expect(toArenaRoles(["admin", "viewer", 3, "moderator"])).toEqual(["viewer", "moderator", "admin"]);
  });

  it("refuses Keycloak ID tokens as bearer tokens", () => {
    expect(() => assertAccessTokenType({ typ: "ID" }, "keycloak")).toThrow(/access token/);
    expect(() => assertAccessTokenType({ typ: "Bearer" }, "keycloak")).not.toThrow();
  });

  // Cases found by mutation testing (npm run test:mutation): each fails if its check is weakened.
  it("rejects an empty subject; a username or sid that is not a non-empty string is not used", () => {
    expect(() => claimsToUser({ sub: "" }, "builtin", "arena")).toThrow(/subject/);
    const odd = claimsToUser({ sub: "u3", preferred_username: 5, sid: 42 } as never, "builtin", "arena");
    expect(odd).toEqual({ id: "u3", username: "u3", roles: ["viewer"] });
    expect(claimsToUser({ sub: "u4", preferred_username: "", sid: "" }, "builtin", "arena")).toEqual({
      id: "u4",
      username: "u4",
      roles: ["viewer"],
    });
  });

  it("maps Keycloak tokens that carry only client roles, or only another client's", () => {
    expect(
      claimsToUser({ sub: "k2", resource_access: { arena: { roles: ["editor"] } } }, "keycloak", "arena").roles,
    ).toEqual(["viewer", "editor"]);
    expect(
      claimsToUser({ sub: "k3", resource_access: { other: { roles: ["admin"] } } }, "keycloak", "arena").roles,
    ).toEqual(["viewer"]);
  });

  it("checks the token type of Keycloak tokens only, and accepts one without typ", () => {
    expect(() => assertAccessTokenType({}, "keycloak")).not.toThrow();
    expect(() => assertAccessTokenType({ typ: "ID" }, "builtin")).not.toThrow();
  });
});
