/** The editors a channel owner names for the channel's blog (kept here, not in channels). */
import { callAction } from "../../../lib/contracts";
import type { BlogContext, BlogThis } from "./blog.context";
import { editorId, requireChannelOwner } from "./blog-access";
import { announceChange } from "./post-writes";

export interface EditorView {
  channelId: string;
  userId: string;
  addedBy: string;
  addedAt: string;
}

export interface EditorRef {
  channelId: string;
  userId: string;
}

export async function listEditors(
  svc: BlogThis,
  ctx: BlogContext<{ channelId: string }>,
): Promise<{ items: EditorView[] }> {
  await requireChannelOwner(ctx, ctx.params.channelId);
  const rows = await svc.stores.editors.find({
    query: { channelId: ctx.params.channelId },
    sort: ["createdAt", "id"],
    limit: 500,
  });
  return {
    items: rows.map((e) => ({
      channelId: e.channelId,
      userId: e.userId,
      addedBy: e.addedBy,
      addedAt: new Date(e.createdAt).toISOString(),
    })),
  };
}

export async function addEditor(svc: BlogThis, ctx: BlogContext<EditorRef>): Promise<{ items: EditorView[] }> {
  const owner = await requireChannelOwner(ctx, ctx.params.channelId);
  // 404 for an unknown user, rather than naming a ghost.
  await callAction(ctx, "users.get", { id: ctx.params.userId });
  await svc.stores.editors.insertIfAbsent({
    id: editorId(ctx.params.channelId, ctx.params.userId),
    channelId: ctx.params.channelId,
    userId: ctx.params.userId,
    addedBy: owner.id,
  });
  // The blog's writers are memoized with its reads (readsAsWriter): drop them on every node.
  announceChange(svc, ctx.params.channelId);
  return listEditors(svc, ctx);
}

export async function removeEditor(svc: BlogThis, ctx: BlogContext<EditorRef>): Promise<{ items: EditorView[] }> {
  await requireChannelOwner(ctx, ctx.params.channelId);
  await svc.stores.editors.removeById(editorId(ctx.params.channelId, ctx.params.userId));
  announceChange(svc, ctx.params.channelId);
  return listEditors(svc, ctx);
}
