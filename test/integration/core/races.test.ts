import type { Service, ServiceSchema } from "moleculer";
import { callAction, onEvent } from "../../../lib/contracts";
import { waitFor } from "../../helpers/infra";
import type { UserRolesChanged } from "../../../services/core/identity/identity.events";
import type { IdentityThis } from "../../../services/core/identity/identity.service";
import { newUser, PASSWORD, startCore, type CoreHarness } from "./core-harness";

jest.setTimeout(60000);

/** Check-then-insert races are decided by the unique indexes and answer 409, never 500. */
describe("core: concurrent writes of one unique thing answer 201 once and 409 otherwise", () => {
  let h: CoreHarness;
  const heard: UserRolesChanged[] = [];
  beforeAll(async () => {
    const listener: ServiceSchema = {
      name: "rolesheard",
      events: { ...onEvent("user.roles.changed", (payload) => void heard.push(payload)) },
    };
    h = await startCore({}, [listener]);
  });
  afterAll(() => h?.stop());

  it("two channels for one owner, and one slug for two owners", async () => {
    const [a, b] = await Promise.all([newUser(h, "rca"), newUser(h, "rcb")]);
    const mine = await Promise.all(
      [1, 2, 3].map((i) => a.api.channels.create({ slug: `rca-${i}-${Date.now().toString(36)}`, title: "A" })),
    );
    expect(mine.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const slug = `race-${Date.now().toString(36)}`;
    const c = await newUser(h, "rcc");
    const same = await Promise.all([b, c].map((u) => u.api.channels.create({ slug, title: "same" })));
    expect(same.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it("concurrent role grants and removals on one account all land (no lost update), each with its own version", async () => {
    const u = await newUser(h, "rcr");
    await Promise.all(
      (["creator", "editor", "organizer", "admin"] as const).map((role) =>
        h.broker.call("identity.grantRole", { userId: u.id, role }),
      ),
    );
    const identity = h.broker.getLocalService("identity") as Service as IdentityThis;
    expect([...((await identity.stores.accounts.findById(u.id))?.roles ?? [])].sort()).toEqual([
      "admin",
      "creator",
      "editor",
      "organizer",
      "viewer",
    ]);
    const admin = { meta: { user: { id: "someone-else", username: "root", roles: ["admin"] } } };
    await Promise.all(
      (["editor", "organizer"] as const).map((role) =>
        h.broker.call("identity.removeRole", { userId: u.id, role }, admin),
      ),
    );
    expect([...((await identity.stores.accounts.findById(u.id))?.roles ?? [])].sort()).toEqual([
      "admin",
      "creator",
      "viewer",
    ]);
    // Six changes, versions 1..6 once each: a cache ordering user.roles.changed by version keeps the last one.
    await waitFor(() => heard.filter((e) => e.userId === u.id).length === 6, { what: "six user.roles.changed" });
    const versions = heard.filter((e) => e.userId === u.id).map((e) => e.version);
    expect(versions.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const { items } = await callAction(h.broker, "identity.userRoles", { userIds: [u.id] });
    expect(items).toEqual([{ userId: u.id, roles: expect.any(Array), version: 6 }]);
  });

  it("two registrations with one email or one username", async () => {
    const stamp = Date.now().toString(36);
    const email = await Promise.all(
      [1, 2].map((i) =>
        h.api.auth.register({ email: `race-${stamp}@example.test`, username: `racee${i}${stamp}`, password: PASSWORD }),
      ),
    );
    expect(email.map((r) => r.status).sort()).toEqual([201, 409]);
    const name = await Promise.all(
      [1, 2].map((i) =>
        h.api.auth.register({ email: `race${i}-${stamp}@example.test`, username: `racen${stamp}`, password: PASSWORD }),
      ),
    );
    expect(name.map((r) => r.status).sort()).toEqual([201, 409]);
  });
});
