import { buildWebRoutes } from "../../../../services/edge/api/route-aliases";

describe("buildWebRoutes", () => {
  it("groups by base path and body mode, one alias per route, spec attached", () => {
    const routes = buildWebRoutes([
      {
        routes: [
          { method: "GET", path: "/a", action: "a.get", auth: "none", summary: "a" },
          { method: "PUT", path: "/a/upload", action: "a.upload", auth: "required", stream: true, summary: "up" },
        ],
      },
      {
        basePath: "/media",
        routes: [{ method: "GET", path: "/:path(.*)", action: "delivery.serve", auth: "none", summary: "m" }],
      },
    ]);
    expect(routes.map((r) => [r.name, r.path, r.stream])).toEqual([
      ["/api/v1#json", "/api/v1", false],
      ["/api/v1#stream", "/api/v1", true],
      ["/media#json", "/media", false],
    ]);
    expect(routes[1]?.aliases["PUT /a/upload"]).toMatchObject({
      action: "a.upload",
      type: "stream",
      spec: { auth: "required" },
    });
    expect(routes[0]?.aliases["GET /a"]?.type).toBeUndefined();
  });

  it("tries literal segments before parameters, whatever the tables' order (the user named 'roles')", () => {
    const route = (path: string, action: string) => ({
      method: "GET" as const,
      path,
      action,
      auth: "none" as const,
      summary: action,
    });
    const [group] = buildWebRoutes([
      { routes: [route("/users/:userId/roles", "identity.roles"), route("/users/:id", "users.get")] },
      { routes: [route("/users/by-username/:username", "users.getByUsername"), route("/users/:id/private", "p")] },
      { basePath: "/api/v1", routes: [route("/files/:path(.*)", "files.get"), route("/files/latest", "files.latest")] },
    ]);
    expect(Object.keys(group?.aliases ?? {})).toEqual([
      "GET /files/latest",
      "GET /users/by-username/:username",
      "GET /users/:id",
      "GET /users/:userId/roles",
      "GET /users/:id/private",
      "GET /files/:path(.*)",
    ]);
  });

  it("refuses duplicate method+path across tables", () => {
    const spec = { method: "GET" as const, path: "/x", action: "x.get", auth: "none" as const, summary: "x" };
    expect(() => buildWebRoutes([{ routes: [spec] }, { routes: [{ ...spec, action: "y.get" }] }])).toThrow(
      /Duplicate route GET \/api\/v1\/x/,
    );
  });
});
