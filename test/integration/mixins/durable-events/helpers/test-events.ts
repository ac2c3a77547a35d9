/** Events only the durable-events tests publish; declared like a service would. */
export interface TestPinged {
  seq: number;
  note?: string;
}

declare module "../../../../../mixins/durable-events/catalog" {
  interface DurableEventMap {
    "dtest.pinged": TestPinged;
    "dtest.failed": TestPinged;
    "dtest.flaky": TestPinged;
  }
}
