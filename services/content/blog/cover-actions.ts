/**
 * Cover images: uploaded as the raw request body, size-limited, typed by
 * their first bytes (PNG, JPEG, GIF, WebP; the declared type is only a
 * claim), stored through lib/storage under a content-hashed key and served
 * by blog.cover with long caching (a new cover gets a new URL).
 */
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { NotFoundError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from "../../../lib/errors";
import type { BlogContext, BlogThis } from "./blog.context";
import { isWriter, loadWritable } from "./blog-access";
import { announceChange, guardedUpdate } from "./post-writes";
import { postEventBody, toPostView } from "./post-rules";
import type { PostDoc, PostView } from "./post.types";

const IMAGE_TYPES = {
  png: "image/png",
  jpg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
} as const;
type ImageExt = keyof typeof IMAGE_TYPES;

export function sniffImage(head: Buffer): ImageExt | null {
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return "png";
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "jpg";
  if (head.length >= 6 && ["GIF87a", "GIF89a"].includes(head.toString("latin1", 0, 6))) return "gif";
  if (head.length >= 12 && head.toString("latin1", 0, 4) === "RIFF" && head.toString("latin1", 8, 12) === "WEBP")
    return "webp";
  return null;
}

const ID = /^[A-Za-z0-9_-]{1,120}$/;

/** Reads the whole body, refusing (413) as soon as it passes the limit. */
async function readLimited(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > maxBytes) {
      body.destroy();
      throw new PayloadTooLargeError(`${maxBytes} bytes`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

async function setCover(svc: BlogThis, post: PostDoc, coverKey: string | null): Promise<PostDoc> {
  const next = await svc.db.transaction(async () => {
    const updated = await guardedUpdate(svc, post, { coverKey });
    if (updated.status === "published")
      await svc.publishDurable("post.updated", {
        ...postEventBody(svc.publicUrl, updated),
        status: updated.status,
        publishedAt: updated.publishedAt ? updated.publishedAt.toISOString() : null,
      });
    announceChange(svc, post.blogId);
    return updated;
  });
  if (post.coverKey && post.coverKey !== coverKey) await svc.storage.delete(post.coverKey).catch(() => undefined);
  return next;
}

export async function uploadCover(svc: BlogThis, ctx: BlogContext<Readable>): Promise<PostView> {
  const id = String((ctx.meta.$params as { id?: unknown } | undefined)?.id ?? "");
  if (!ID.test(id)) {
    ctx.params.resume();
    throw new ValidationError("Invalid post id", [{ field: "id", message: "invalid" }]);
  }
  const { post } = await loadWritable(svc, ctx, id).catch((err: unknown) => {
    ctx.params.resume();
    throw err;
  });
  const max = svc.settings.coverMaxBytes;
  const declared = ctx.meta.contentLength;
  if (typeof declared === "number" && declared > max) {
    ctx.params.resume();
    throw new PayloadTooLargeError(`${max} bytes`);
  }
  const image = await readLimited(ctx.params, max);
  const ext = sniffImage(image);
  if (!ext) throw new UnsupportedMediaTypeError("The cover must be a PNG, JPEG, GIF or WebP image");
  const key = `blog/covers/${post.id}/${createHash("sha256").update(image).digest("hex").slice(0, 20)}.${ext}`;
  await svc.storage.put(key, image, { contentType: IMAGE_TYPES[ext] });
  return toPostView(svc.publicUrl, await setCover(svc, post, key), true);
}

export async function removeCover(svc: BlogThis, ctx: BlogContext<{ id: string }>): Promise<PostView> {
  const { post } = await loadWritable(svc, ctx, ctx.params.id);
  if (!post.coverKey) return toPostView(svc.publicUrl, post, true);
  return toPostView(svc.publicUrl, await setCover(svc, post, null), true);
}

/** The cover of a post anyone may read (writers also see their drafts'). */
export async function serveCover(svc: BlogThis, ctx: BlogContext<{ postId: string; file: string }>): Promise<Readable> {
  const post = await svc.stores.posts.findById(ctx.params.postId);
  const key = `blog/covers/${ctx.params.postId}/${ctx.params.file}`;
  if (!post || post.coverKey !== key) throw new NotFoundError("Cover");
  const published = post.status === "published";
  if (!published && !(await isWriter(svc, ctx, ctx.meta.user, post.blogId))) throw new NotFoundError("Cover");
  const ext = ctx.params.file.slice(ctx.params.file.lastIndexOf(".") + 1) as ImageExt;
  ctx.meta.$responseType = IMAGE_TYPES[ext] ?? "application/octet-stream";
  ctx.meta.$responseHeaders = {
    // Content-hashed names never change content: cache for good, but never share drafts.
    "Cache-Control": published ? "public, max-age=31536000, immutable" : "private, no-store",
  };
  return svc.storage.get(key);
}
