import { useState } from "preact/hooks";
import type { Post } from "../api/schemas";
import { ApiError, api, describeError } from "../api/http";
import { currentUser } from "../api/session";
import { Field, formValues, Notice } from "../components/form";
import { useAsync } from "../lib/use-async";
import { navigate, type PageProps } from "../router";

type Kind = Post["kind"];

/**
 * Write or edit a post in markdown (`?blog=site|<channelId>`, `&id=<post>` to
 * edit). The blog service renders and sanitizes it; who may write is its call
 * (editors on the site blog, the owner and named editors on a channel blog).
 */
export default function BlogWrite({ query }: PageProps) {
  const blog = query.get("blog") ?? "site";
  const id = query.get("id");
  const existing = useAsync(
    async (signal) => (id ? api("get /api/v1/blog/posts/{id}", { path: { id }, signal }) : undefined),
    [id],
  );
  const [post, setPost] = useState<Post | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [note, setNote] = useState<string | null>(null);
  const current = post ?? existing.data ?? null;
  if (!currentUser.value)
    return (
      <div class="empty">
        <a href={`/login?next=${encodeURIComponent(location.pathname + location.search)}`}>Log in</a> to write.
      </div>
    );
  if (id && !existing.data && !existing.error)
    return <div class="page-loading" aria-busy="true" aria-label="Loading" />;

  const save = async (e: Event) => {
    const publish = (e as SubmitEvent).submitter?.getAttribute("value") === "publish";
    e.preventDefault();
    const v = formValues(e);
    const fields = {
      title: v.title ?? "",
      body: v.body ?? "",
      summary: v.summary ?? "",
      kind: (v.kind ?? "news") as Kind,
      tags: (v.tags ?? "")
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
      ...(v.category ? { category: v.category } : {}),
    };
    setErrors({});
    setNote(null);
    try {
      let saved = current
        ? await api("patch /api/v1/blog/posts/{id}", { path: { id: current.id }, body: fields })
        : await api("post /api/v1/blog/posts", { body: { blog, ...fields } });
      if (publish) saved = await api("post /api/v1/blog/posts/{id}/publish", { path: { id: saved.id }, body: {} });
      setPost(saved);
      if (publish) navigate(`/blog/${encodeURIComponent(saved.blogId)}/${encodeURIComponent(saved.slug)}`);
      else {
        setNote("Draft saved.");
        history.replaceState(
          null,
          "",
          `/blog/write?blog=${encodeURIComponent(saved.blogId)}&id=${encodeURIComponent(saved.id)}`,
        );
      }
    } catch (err) {
      setErrors(err instanceof ApiError ? { ...err.fieldErrors(), _: describeError(err) } : { _: describeError(err) });
    }
  };

  return (
    <div class="page" style={{ maxWidth: "900px" }}>
      <form class="panel form" onSubmit={save}>
        <h1>{current ? "Edit post" : "New post"}</h1>
        {note && <Notice kind="ok">{note}</Notice>}
        {errors._ && <Notice kind="error">{errors._}</Notice>}
        <Field id="p-title" label="Title" error={errors.title}>
          <input id="p-title" name="title" required maxLength={200} defaultValue={current?.title} />
        </Field>
        <Field id="p-summary" label="Summary" error={errors.summary}>
          <input id="p-summary" name="summary" maxLength={300} defaultValue={current?.summary} />
        </Field>
        <div class="row">
          <Field id="p-kind" label="Kind">
            <select id="p-kind" name="kind" defaultValue={current?.kind ?? "news"}>
              <option value="news">News</option>
              <option value="review">Review</option>
              <option value="guide">Guide</option>
            </select>
          </Field>
          <Field id="p-category" label="Category" error={errors.category}>
            <input id="p-category" name="category" maxLength={64} defaultValue={current?.category ?? ""} />
          </Field>
          <Field id="p-tags" label="Tags (comma separated)" error={errors.tags}>
            <input id="p-tags" name="tags" defaultValue={current?.tags.join(", ")} />
          </Field>
        </div>
        <Field
          id="p-body"
          label="Body (markdown)"
          hint="Links, images, and YouTube or Vimeo embeds are kept; scripts and styles are removed."
          error={errors.body}
        >
          <textarea id="p-body" name="body" rows={16} required defaultValue={current?.markdown ?? ""} class="mono" />
        </Field>
        <div class="row end">
          <button class="btn" type="submit" value="draft">
            Save draft
          </button>
          <button class="btn primary" type="submit" value="publish">
            Publish
          </button>
        </div>
      </form>
    </div>
  );
}
