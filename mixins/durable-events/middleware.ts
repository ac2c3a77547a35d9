/**
 * Broker middleware that gives every service `channels:` (via
 * @moleculer/channels) and sets up the durable-events runtime for the
 * mixin and durableHandler. platformMiddlewares() adds it to every broker.
 */
import { Adapters, Middleware as ChannelsMiddleware } from "@moleculer/channels";
import { Errors, type Middleware, type Service, type ServiceBroker } from "moleculer";
import type { ArenaConfig } from "../../lib/config";
import { createAdapter, durableEventsUrl, transportOf } from "./adapter-factory";
import { InProcessAdapter } from "./in-process-adapter";
import { openDeliveryStore, wantsDeliveryStore, type OpenedDeliveryStore } from "./in-process-store";
import type { DurableChannelDefinition } from "./durable-channel-types";
import { isOutboxDb } from "./outbox-store";
import { DurableRuntime, registerRuntime } from "./runtime";
import { resolveTuning, type DurableEventsTuning } from "./tuning";

type BaseAdapter = InstanceType<typeof Adapters.Base>;
type ChannelsHooks = ReturnType<typeof ChannelsMiddleware>;
/**
 * @moleculer/channels' typings say `adapter` is a URL or options object, but
 * its Adapters.resolve() also takes an adapter instance (documented in its
 * README). Typed here once instead of casting at every call.
 */
const createChannelsMiddleware = ChannelsMiddleware as unknown as (opts: {
  adapter: BaseAdapter;
  context: boolean;
}) => ChannelsHooks;

export function DurableEventsMiddleware(
  config: ArenaConfig,
  tuningOverrides: Partial<DurableEventsTuning> = {},
): Middleware {
  const tuning = resolveTuning(tuningOverrides);
  // Built here (not inside the channels middleware) so the runtime holds the
  // typed instance rather than reaching for broker.channelAdapter.
  const adapter = createAdapter(config, tuning);
  const channels = createChannelsMiddleware({ adapter, context: false });
  let runtime: DurableRuntime | undefined;
  let broker: ServiceBroker | undefined;
  let deliveryStore: OpenedDeliveryStore | undefined;

  return {
    created(created: ServiceBroker) {
      broker = created;
      const logger = broker.getLogger("DurableEvents");
      const url = durableEventsUrl(config);
      if (url) logger.info(`Durable events over ${transportOf(url)} (${new URL(url).host})`);
      else if (config.transporter)
        logger.warn(
          "Durable events stay in this process (no DURABLE_EVENTS_URL): consumers on other nodes will not get them",
        );
      channels.created(broker);
      runtime = new DurableRuntime(broker, adapter, config, tuning);
      registerRuntime(broker, runtime);
    },
    serviceCreated(svc: Service) {
      checkDurableChannels(svc);
      for (const { type, group } of durableConsumers(svc)) runtime?.addConsumer(type, group);
      return channels.serviceCreated(svc);
    },
    serviceStopping: channels.serviceStopping,
    async started() {
      // After every local service started (their databases are open): the
      // in-process queues become durable before the first subscription.
      if (adapter instanceof InProcessAdapter && broker && wantsDeliveryStore(broker, tuning)) {
        deliveryStore = await openDeliveryStore(config, broker.getLogger("DurableEvents"));
        adapter.attachStore(deliveryStore.store);
      }
      await channels.started();
      runtime?.markReady();
      runtime?.startDeadLetterGauge();
    },
    async stopped() {
      runtime?.markStopping();
      await channels.stopped();
      await runtime?.close();
      if (adapter instanceof InProcessAdapter) adapter.attachStore(undefined);
      await deliveryStore?.release();
      deliveryStore = undefined;
    },
  };
}

/** The durable handlers a service declares: (type, group) pairs. */
function durableConsumers(svc: Service): Array<{ type: string; group: string }> {
  const defs = (svc.schema as { channels?: Record<string, Partial<DurableChannelDefinition>> }).channels ?? {};
  return Object.values(defs).flatMap((def) =>
    def?.durable ? [{ type: def.durable.type, group: def.group ?? svc.fullName }] : [],
  );
}

/**
 * Fails service creation (not every later delivery) when an ordered handler
 * sits on a service without a database: its applied versions must commit
 * with the handler's writes.
 */
function checkDurableChannels(svc: Service): void {
  const defs = (svc.schema as { channels?: Record<string, Partial<DurableChannelDefinition>> }).channels ?? {};
  for (const def of Object.values(defs)) {
    const info = def?.durable;
    if (info?.scope !== undefined && !isOutboxDb((svc as { db?: unknown }).db)) {
      throw new Errors.ServiceSchemaError(
        `Service '${svc.fullName}': ordered durableHandler('${info.type}') needs DbMixin (versions commit with the handler's writes)`,
        { type: info.type },
      );
    }
  }
}
