import type { Context } from "moleculer";
import type { ArenaMeta, AuthUser } from "../../../../lib/auth/auth-user";
import { assertOwner, currentUser, hasRole, isAdmin, requireRole, requireUser } from "../../../../lib/auth/ownership";
import { ForbiddenError, UnauthorizedError } from "../../../../lib/errors";

const user = (id: string, roles: AuthUser["roles"] = ["viewer"]): AuthUser => ({ id, username: id, roles });
const ctxOf = (u?: AuthUser) => ({ meta: { user: u } }) as unknown as Context<unknown, ArenaMeta>;

describe("ownership checks in the services", () => {
  it("requireUser: the caller, or 401 for anonymous", () => {
    const ana = user("ana");
    expect(requireUser(ctxOf(ana))).toBe(ana);
    expect(currentUser(ctxOf(ana))).toBe(ana);
    expect(currentUser(ctxOf())).toBeUndefined();
    expect(() => requireUser(ctxOf())).toThrow(UnauthorizedError);
  });

  it("assertOwner: the owner and admins pass, anyone else 403, anonymous 401", () => {
    expect(assertOwner(ctxOf(user("ana")), "ana").id).toBe("ana");
    expect(assertOwner(ctxOf(user("root", ["viewer", "admin"])), "ana").id).toBe("root");
    expect(() => assertOwner(ctxOf(user("bob")), "ana", "video")).toThrow(ForbiddenError);
    expect(() => assertOwner(ctxOf(user("bob")), "ana", "video")).toThrow("Only the owner may change this video");
    expect(() => assertOwner(ctxOf(user("mod", ["viewer", "moderator"])), "ana")).toThrow(ForbiddenError);
    expect(() => assertOwner(ctxOf(), "ana")).toThrow(UnauthorizedError);
    expect(() => assertOwner(ctxOf(user("bob")), "ana")).toThrow("Only the owner may change this resource");
  });

  it("roles: a role or admin grants it; nothing grants it to anonymous", () => {
    expect(hasRole(user("c", ["viewer", "creator"]), "creator")).toBe(true);
    expect(hasRole(user("a", ["viewer", "admin"]), "creator")).toBe(true);
    expect(hasRole(user("v"), "creator")).toBe(false);
    expect(hasRole(undefined, "viewer")).toBe(false);
    expect(isAdmin(user("a", ["viewer", "admin"]))).toBe(true);
    expect(isAdmin(user("v", ["viewer", "creator"]))).toBe(false);
    expect(isAdmin(undefined)).toBe(false);
    expect(requireRole(ctxOf(user("c", ["viewer", "creator"])), "creator").id).toBe("c");
    expect(() => requireRole(ctxOf(user("v")), "creator")).toThrow("Requires the creator role");
    expect(() => requireRole(ctxOf(), "creator")).toThrow(UnauthorizedError);
  });
});
