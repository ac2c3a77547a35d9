/** The typed `this` of the realtime service and its settings. */
import type { Service } from "moleculer";
import type { TokenVerifier } from "../../../lib/auth/token-verifier";
import type { GatewayIdentityThis } from "../../../mixins/gateway-identity";
import type { RoomFanout } from "./fanout";
import type { RealtimeGateway } from "./gateway";
import type { RealtimeSettings } from "./realtime-settings";
import type { ViewerCountStore } from "./viewer-counts";

/** Service settings: any RealtimeSettings field overrides what config resolves (tests, benchmarks). */
export type Settings = Partial<RealtimeSettings>;

export interface RealtimeThis extends Service<Settings>, Pick<GatewayIdentityThis, "resolveIdentity"> {
  gateway: RealtimeGateway;
  resolved: RealtimeSettings;
  /** Overridable (tests, benchmarks): the same verifier as the REST gateway by default. */
  createTokenVerifier(): TokenVerifier;
  createFanout(settings: RealtimeSettings): RoomFanout;
  createViewerStore(settings: RealtimeSettings): ViewerCountStore;
}
