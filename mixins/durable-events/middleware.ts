/**
 * Broker middleware that gives every service `channels:` (via
 * @moleculer/channels) and sets up the durable-events runtime for the
 * mixin and durableHandler. platformMiddlewares() adds it to every broker.
 */
import { Adapters, Middleware as ChannelsMiddleware } from "@moleculer/channels";
import type { Middleware, ServiceBroker } from "moleculer";
import type { ArenaConfig } from "../../lib/config";
import { createAdapter, durableEventsUrl, transportOf } from "./adapter-factory";
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

  return {
    created(broker: ServiceBroker) {
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
    serviceCreated: channels.serviceCreated,
    serviceStopping: channels.serviceStopping,
    async started() {
      await channels.started();
      runtime?.markReady();
    },
    async stopped() {
      runtime?.markStopping();
      await channels.stopped();
      await runtime?.close();
    },
  };
}
