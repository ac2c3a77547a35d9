/** fastest-validator schema of delivery.serve, with the params type it yields. */
export const SERVE = {
  path: [
    { type: "string", min: 1, max: 1024 },
    { type: "array", items: { type: "string", min: 1, max: 255 }, min: 1, max: 16 },
  ],
  p: { type: "string", optional: true, max: 1024 },
  exp: { type: "string", optional: true, max: 20 },
  sig: { type: "string", optional: true, max: 200 },
} as const;
export interface ServeParams {
  /** Path below /media: segments (gateway wildcard) or one string. */
  path: string | string[];
  p?: string;
  exp?: string;
  sig?: string;
}
