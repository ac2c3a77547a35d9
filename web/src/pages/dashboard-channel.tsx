import { useState } from "preact/hooks";
import type { Channel } from "../api/schemas";
import { ApiError, api, describeError } from "../api/http";
import { Field, formValues, Notice } from "../components/form";

/** Edit the channel: title, category, tags, language, mature flag, address. */
export function ChannelSettings({ channel, onSaved }: { channel: Channel; onSaved(c: Channel): void }) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const v = formValues(e);
    const mature = (e.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>("#ch-mature")?.checked ?? false;
    setErrors({});
    setSaved(false);
    try {
      const updated = await api("patch /api/v1/channels/{id}", {
        path: { id: channel.id },
        body: {
          slug: v.slug,
          title: v.title,
          category: v.category ? v.category : null,
          tags: (v.tags ?? "")
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
          language: v.language,
          mature,
        },
      });
      onSaved(updated);
      setSaved(true);
    } catch (err) {
      setErrors(err instanceof ApiError ? { ...err.fieldErrors(), _: describeError(err) } : { _: describeError(err) });
    }
  };
  return (
    <form class="panel form" onSubmit={submit}>
      <h2>Channel settings</h2>
      {saved && <Notice kind="ok">Channel saved.</Notice>}
      {errors._ && <Notice kind="error">{errors._}</Notice>}
      <Field id="ch-slug" label="Address" hint="Changing it breaks links to the old address." error={errors.slug}>
        <input id="ch-slug" name="slug" defaultValue={channel.slug} required maxLength={64} />
      </Field>
      <Field id="ch-title" label="Title" error={errors.title}>
        <input id="ch-title" name="title" defaultValue={channel.title} required maxLength={140} />
      </Field>
      <Field id="ch-category" label="Game or category" error={errors.category}>
        <input id="ch-category" name="category" defaultValue={channel.category ?? ""} maxLength={64} />
      </Field>
      <Field id="ch-tags" label="Tags" hint="Comma separated, up to 10." error={errors.tags}>
        <input id="ch-tags" name="tags" defaultValue={channel.tags.join(", ")} />
      </Field>
      <Field id="ch-language" label="Language" hint="Two-letter code, e.g. en, de, pt-BR." error={errors.language}>
        <input id="ch-language" name="language" defaultValue={channel.language} pattern="[a-z]{2}(-[A-Z]{2})?" />
      </Field>
      <label class="check">
        <input id="ch-mature" type="checkbox" defaultChecked={channel.mature} />
        Mature content
      </label>
      <div class="row end">
        <button class="btn primary" type="submit">
          Save channel
        </button>
      </div>
    </form>
  );
}
