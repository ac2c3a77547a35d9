import type { paths } from "./generated/schema";

/**
 * The typed REST client. Paths, path/query parameters and JSON bodies come
 * from the OpenAPI document (generated/schema.d.ts, rebuilt before every
 * build and typecheck), response bodies too (api/schemas.ts names the shared
 * ones). Auth (bearer + one refresh on
 * 401) is plugged in by session.ts, the one place tokens live.
 */
export type Method = "get" | "post" | "put" | "patch" | "delete";

type Defined<T> = Exclude<T, undefined | never>;
/** Every "<method> <path>" the gateway routes. */
export type OperationKey = {
  [P in keyof paths]: { [M in Method]: [Defined<paths[P][M]>] extends [never] ? never : `${M} ${P & string}` }[Method];
}[keyof paths];

type PathOf<K> = K extends `${Method} ${infer P}` ? (P extends keyof paths ? P : never) : never;
type MethodOf<K> = K extends `${infer M} ${string}` ? (M extends Method ? M : never) : never;
export type Operation<K extends OperationKey> = Defined<paths[PathOf<K>][MethodOf<K>]>;

type PathParams<O> = O extends { parameters: { path: infer X } } ? ([X] extends [never] ? never : X) : never;
type QueryParams<O> = O extends { parameters: { query?: infer Q } } ? ([Q] extends [never] ? never : Q) : never;
type RequestBodyOf<O> = O extends { requestBody?: infer RB } ? NonNullable<RB> : never;
type JsonBody<O> = [RequestBodyOf<O>] extends [never]
  ? never
  : RequestBodyOf<O> extends { content: { "application/json": infer B } }
    ? B
    : never;
type RawBody<O> = [RequestBodyOf<O>] extends [never]
  ? never
  : RequestBodyOf<O> extends { content: { "application/octet-stream": unknown } }
    ? true
    : never;

/** The success body the document declares for an operation (never while it declares none). */
export type DocumentedResponse<O> = O extends { responses: infer R }
  ? {
      [S in keyof R]: S extends 200 | 201 | 202 | "200" | "201" | "202"
        ? R[S] extends { content: { "application/json": infer B } }
          ? B
          : never
        : never;
    }[keyof R]
  : never;

/** Every JSON operation declares its body (test/unit/edge/api/response-coverage.test.ts); feeds and files read as unknown. */
export type ResponseOf<K extends OperationKey> = [DocumentedResponse<Operation<K>>] extends [never]
  ? unknown
  : DocumentedResponse<Operation<K>>;

type Opt<Name extends string, T> = [T] extends [never] ? { [K in Name]?: never } : { [K in Name]: T };
export type RequestOptions<K extends OperationKey> = Opt<"path", PathParams<Operation<K>>> &
  ([QueryParams<Operation<K>>] extends [never] ? { query?: never } : { query?: QueryParams<Operation<K>> }) &
  ([JsonBody<Operation<K>>] extends [never] ? { body?: never } : { body: JsonBody<Operation<K>> }) & {
    signal?: AbortSignal;
  };
/** Operations whose options are all optional can be called without them. */
type OptionsArg<K extends OperationKey> =
  object extends RequestOptions<K> ? [options?: RequestOptions<K>] : [options: RequestOptions<K>];
export type RawBodyOperation = {
  [K in OperationKey]: [RawBody<Operation<K>>] extends [never] ? never : K;
}[OperationKey];

/** One entry of an error's `details` (always a list; empty when nothing more is to say). */
export interface ErrorDetail {
  field?: string;
  message: string;
}

export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[]; requestId?: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly requestId?: string,
    readonly retryAfterS?: number,
  ) {
    super(message);
  }

  /** The field-level messages of a VALIDATION_ERROR, keyed by field. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) if (d.field && d.message) out[d.field] ??= d.message;
    return out;
  }
}

/** Hooks session.ts installs: the current access token and one refresh attempt. */
export interface AuthHooks {
  token(): string | undefined;
  /** Called once after a 401 on an authenticated call; resolves true when a new token is ready. */
  refresh(): Promise<boolean>;
}

let auth: AuthHooks = { token: () => undefined, refresh: async () => false };
export function installAuth(hooks: AuthHooks): void {
  auth = hooks;
}

export function buildUrl(path: string, params?: Record<string, unknown>, query?: Record<string, unknown>): string {
  const filled = path.replace(/\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === "") continue;
    if (Array.isArray(v)) for (const item of v) search.append(k, String(item));
    else search.append(k, String(v));
  }
  const qs = search.toString();
  return qs ? `${filled}?${qs}` : filled;
}

export async function toApiError(res: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> = {};
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // not our error body (proxy page, network)
  }
  const retry = Number(res.headers.get("Retry-After"));
  const err = body.error;
  return new ApiError(
    res.status,
    err?.code ?? `HTTP_${res.status}`,
    err?.message ?? (res.statusText || "Request failed"),
    Array.isArray(err?.details) ? err.details : [],
    err?.requestId,
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}

async function send(method: Method, url: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const token = auth.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return fetch(url, {
    method: method.toUpperCase(),
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
    credentials: "same-origin",
  });
}

/** Calls `"<method> <path>"` with typed params; resolves the typed body, rejects with ApiError. */
export async function api<K extends OperationKey>(key: K, ...[options]: OptionsArg<K>): Promise<ResponseOf<K>> {
  const space = key.indexOf(" ");
  const method = key.slice(0, space) as Method;
  const opts = (options ?? {}) as { path?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
  const url = buildUrl(key.slice(space + 1), opts.path, opts.query);
  const signal = (options as { signal?: AbortSignal } | undefined)?.signal;
  const hadToken = auth.token() !== undefined;
  let res = await send(method, url, opts.body, signal);
  if (res.status === 401 && hadToken && (await auth.refresh())) res = await send(method, url, opts.body, signal);
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as ResponseOf<K>;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as ResponseOf<K>;
}

/**
 * GET of a non-JSON body (a CSV export) with the same auth, refresh and
 * errors as `api`: a plain link cannot carry the in-memory access token.
 */
export async function getText(url: string): Promise<string> {
  const hadToken = auth.token() !== undefined;
  let res = await send("get", url, undefined);
  if (res.status === 401 && hadToken && (await auth.refresh())) res = await send("get", url, undefined);
  if (!res.ok) throw await toApiError(res);
  return res.text();
}

/**
 * Raw-body PUT (video source upload) with progress, through XMLHttpRequest
 * (fetch has no upload progress). Same auth and errors as `api`.
 */
export function uploadRaw<K extends RawBodyOperation>(
  key: K,
  options: Opt<"path", PathParams<Operation<K>>>,
  file: Blob,
  onProgress: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<ResponseOf<K>> {
  const space = key.indexOf(" ");
  const url = buildUrl(key.slice(space + 1), (options as { path?: Record<string, unknown> }).path);
  return putWithProgress(key.slice(0, space).toUpperCase(), url, file, onProgress, signal, {
    ...(auth.token() ? { Authorization: `Bearer ${auth.token()}` } : {}),
    "Content-Type": file.type || "application/octet-stream",
  }).then((xhr) => JSON.parse(xhr.responseText) as ResponseOf<K>);
}

/** PUT with upload progress; resolves the finished request (2xx), rejects with ApiError otherwise. */
export function putWithProgress(
  method: string,
  url: string,
  body: Blob,
  onProgress: (loaded: number, total: number) => void,
  signal: AbortSignal | undefined,
  headers: Record<string, string>,
): Promise<XMLHttpRequest> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : body.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve(xhr);
      let parsed: Partial<ErrorBody> = {};
      try {
        parsed = JSON.parse(xhr.responseText) as ErrorBody;
      } catch {
        // not JSON (S3 answers XML)
      }
      reject(
        new ApiError(xhr.status, parsed.error?.code ?? `HTTP_${xhr.status}`, parsed.error?.message ?? "Upload failed"),
      );
    };
    xhr.onerror = () => reject(new ApiError(0, "NETWORK", "Network error during upload"));
    xhr.onabort = () => reject(new ApiError(0, "ABORTED", "Upload cancelled"));
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(body);
  });
}

/** A human line for any error a call can throw. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return err.message;
    if (err.code === "RATE_LIMITED")
      return `Too many requests${err.retryAfterS ? `: try again in ${err.retryAfterS} s` : ""}`;
    // Only a validation error's fields are the user's own inputs; a 404's detail names the route's path
    // parameter ("slug", "id"), which read as "slug: Channel x not found" on the not-found pages.
    const fields = err.code === "VALIDATION_ERROR" ? Object.entries(err.fieldErrors()) : [];
    if (fields.length) return fields.map(([f, m]) => `${f}: ${m}`).join("; ");
    return err.message;
  }
  if (err instanceof DOMException && err.name === "AbortError") return "Cancelled";
  return err instanceof Error ? err.message : "Something went wrong";
}
