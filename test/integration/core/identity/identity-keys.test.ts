import { ServiceBroker, type Service } from "moleculer";
import { buildBrokerOptions } from "../../../../bin/broker-options";
import { setConfig } from "../../../../lib/config";
import IdentityService, { type IdentityThis } from "../../../../services/core/identity/identity.service";
import { createTestDatabase, testConfig, uniqueId, type TestDatabase } from "../../../helpers/infra";
import { platformMiddlewares } from "../../../../bin/platform-middlewares";

jest.setTimeout(60000);

/** Two identity nodes booting at once on one database must agree on one current signing key. */
describe("identity signing keys across nodes (real Postgres)", () => {
  let db: TestDatabase;
  const brokers: ServiceBroker[] = [];

  beforeAll(async () => {
    db = await createTestDatabase("arena_idkeys");
  });
  afterAll(async () => {
    await Promise.all(brokers.map((b) => b.stop()));
    await db?.drop();
  });

  it("creates exactly one current key when two nodes boot together, and rotation is seen by both", async () => {
    const config = await testConfig({
      DATABASE_URL: db.url,
      IDENTITY_KEY_ENCRYPTION_SECRET: "shared-secret-for-both-nodes-0123456789",
    });
    setConfig(config);
    for (let i = 0; i < 2; i++) {
      const broker = new ServiceBroker({
        ...buildBrokerOptions({ ...config, nodeId: uniqueId("id") }),
        logger: false,
        middlewares: platformMiddlewares(config),
      });
      broker.createService(IdentityService);
      brokers.push(broker);
    }
    await Promise.all(brokers.map((b) => b.start()));
    const [a, b] = brokers.map((broker) => broker.getLocalService("identity") as Service as IdentityThis) as [
      IdentityThis,
      IdentityThis,
    ];
    const current = await a.db.query<{ id: string }>("SELECT id FROM signing_keys WHERE status = 'current'");
    expect(current).toHaveLength(1);
    expect(await b.keys.jwks()).toEqual(await a.keys.jwks());
    expect((await b.keys.signingMaterial()).kid).toBe(current[0]?.id);

    const kid = await a.keys.rotate();
    b.keys.invalidate(); // what the identity.keys.rotated broadcast does on a cluster
    expect((await b.keys.signingMaterial()).kid).toBe(kid);
    expect((await b.keys.jwks()).keys.map((k) => k.kid)).toEqual([kid, current[0]?.id]);
  });
});
