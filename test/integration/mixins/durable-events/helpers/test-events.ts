/** Events only the durable-events tests publish; declared like a service would. */
export interface TestPinged {
  seq: number;
  note?: string;
}

/** A versioned document, for per-key ordering tests. */
export interface TestDocSaved {
  docId: string;
  rev: number;
}
export interface TestDocDeleted {
  docId: string;
}

declare module "../../../../../mixins/durable-events/catalog" {
  interface DurableEventMap {
    "dtest.pinged": TestPinged;
    "dtest.failed": TestPinged;
    "dtest.flaky": TestPinged;
    "dtest.docSaved": TestDocSaved;
    "dtest.docDeleted": TestDocDeleted;
    "dtest.docViewed": TestDocDeleted;
  }
}
