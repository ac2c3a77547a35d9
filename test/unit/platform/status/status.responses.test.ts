import { ServiceBroker } from "moleculer";
import { checkJsonSchema } from "../../../../lib/http/json-schema-check";
import StatusService from "../../../../services/platform/status/status.service";
import { STATUS } from "../../../../services/platform/status/status.routes";

/** GET /status answers the body the OpenAPI document declares (issue 9). */
describe("status response", () => {
  const broker = new ServiceBroker({ logger: false });
  beforeAll(async () => {
    broker.createService(StatusService);
    await broker.start();
  });
  afterAll(() => broker.stop());

  it("matches the Status schema", async () => {
    const answer = JSON.parse(JSON.stringify(await broker.call("status.get"))) as unknown;
    expect(checkJsonSchema(answer, STATUS.json, { ...STATUS.defs })).toEqual([]);
    expect(checkJsonSchema({ version: "1" }, STATUS.json, { ...STATUS.defs })).not.toEqual([]);
  });
});
