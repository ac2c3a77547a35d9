/** The broadcast ReadCacheMixin sends after a service's write (see ./index.ts). */
declare module "../../lib/contracts/events" {
  interface PlainEventMap {
    /** `service` changed its data: every instance drops its cached reads. */
    "cache.invalidated": { service: string };
  }
}

export {};
