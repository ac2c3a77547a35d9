/**
 * A rule object shared by two fields of an action's params must reach the
 * other nodes as two fields: Moleculer announces actions through JSON that
 * drops any object it has seen before, so without UnsharedParamsMiddleware a
 * gateway on another node believed `scoreB` undeclared (400 in cluster mode).
 * Two brokers over the real NATS.
 */
import { ServiceBroker, type Middleware } from "moleculer";
import { UnsharedParamsMiddleware } from "../../../../lib/broker/unshared-params";
import { NATS_URL, uniqueId, waitFor } from "../../../helpers/infra";

const SCORE = { type: "number", integer: true, min: 0 } as const;
const brokers: ServiceBroker[] = [];

afterAll(async () => {
  await Promise.all(brokers.map((b) => b.stop()));
});

/** The params of `scores.report` as a second node sees them. */
async function paramsSeenRemotely(middlewares: Middleware[]): Promise<Record<string, unknown>> {
  const namespace = uniqueId("unshared");
  const make = (nodeID: string) => {
    const broker = new ServiceBroker({ namespace, nodeID, transporter: NATS_URL, logger: false, middlewares });
    brokers.push(broker);
    return broker;
  };
  const owner = make(uniqueId("owner"));
  owner.createService({
    name: "scores",
    actions: { report: { params: { scoreA: SCORE, scoreB: SCORE }, handler: () => true } },
  });
  const gateway = make(uniqueId("gateway"));
  await Promise.all([owner.start(), gateway.start()]);
  const action = await waitFor(
    () =>
      gateway.registry.getActionList({ onlyAvailable: true }).find((a) => a.name === "scores.report" && !a.hasLocal),
    { what: "scores.report seen by the gateway" },
  );
  return (action.action as { params: Record<string, unknown> }).params;
}

it("the hazard: without the middleware the second field is lost on the way", async () => {
  expect(Object.keys(await paramsSeenRemotely([]))).toEqual(["scoreA"]);
});

it("with it, every declared field reaches the other nodes with its rule", async () => {
  const params = await paramsSeenRemotely([UnsharedParamsMiddleware]);
  expect(params).toEqual({ scoreA: SCORE, scoreB: SCORE });
});
