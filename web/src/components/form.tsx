import type { ComponentChildren } from "preact";

/** A labelled input with hint and error wired for screen readers. */
export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <span class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      )}
      {props.error && (
        <span class="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </span>
      )}
    </div>
  );
}

export function Notice({ kind, children }: { kind: "error" | "ok" | "warn"; children: ComponentChildren }) {
  return (
    <div class={`alert ${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

/** Copies text with the Clipboard API and says so. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Reads a form's fields as strings. */
export function formValues(e: Event): Record<string, string> {
  const data = new FormData(e.currentTarget as HTMLFormElement);
  const out: Record<string, string> = {};
  data.forEach((v, k) => {
    if (typeof v === "string") out[k] = v;
  });
  return out;
}
