/** The status service's one action (GET /api/v1/status); status.service.ts is checked against it. */

/** Which node served the call and how long it has run. */
export interface StatusResult {
  version: string;
  nodeId: string;
  uptimeS: number;
}

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    "status.get": { params: Record<string, never>; result: StatusResult };
  }
}
