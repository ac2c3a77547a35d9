import { useState } from "preact/hooks";
import type { PublicProfile } from "../api/schemas";
import type { Channel } from "../api/schemas";
import { api, describeError } from "../api/http";
import { Field, formValues, Notice } from "../components/form";
import { useAsync } from "../lib/use-async";

/** Moderators (name, remove), current bans and timeouts (lift), blocked terms (add, remove). */
export function ModeratorsTab({ channel }: { channel: Channel }) {
  const [note, setNote] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const team = useAsync(
    async (signal) => {
      const policy = await api("get /api/v1/channels/{channelId}/chat-policy", {
        path: { channelId: channel.id },
        signal,
      });
      const profile = (id: string) =>
        api("get /api/v1/users/{id}", { path: { id }, signal }).catch(
          () => ({ id, username: id, displayName: id }) as PublicProfile,
        );
      return { moderators: await Promise.all(policy.moderatorIds.map(profile)) };
    },
    [channel.id],
  );
  const state = useAsync(
    (signal) => api("get /api/v1/channels/{channelId}/chat/moderation", { path: { channelId: channel.id }, signal }),
    [channel.id],
  );

  const run = async (what: () => Promise<unknown>, done: string, reload: () => void) => {
    setNote(null);
    try {
      await what();
      setNote({ kind: "ok", text: done });
      reload();
    } catch (err) {
      setNote({ kind: "error", text: describeError(err) });
    }
  };
  const command = (cmd: Record<string, unknown>) =>
    api("post /api/v1/channels/{channelId}/chat/moderation", {
      path: { channelId: channel.id },
      body: { command: cmd },
    });

  return (
    <>
      {note && <Notice kind={note.kind}>{note.text}</Notice>}
      <section class="panel" aria-labelledby="mods-title">
        <h2 id="mods-title">Moderators</h2>
        <p class="muted">Name a moderator from chat: select their name, then “Make moderator”.</p>
        {team.error && <Notice kind="error">{describeError(team.error)}</Notice>}
        {team.data?.moderators.length === 0 && <p class="muted">No moderators yet.</p>}
        <ul class="list">
          {team.data?.moderators.map((m) => (
            <li key={m.id}>
              <span>
                <strong>{m.displayName}</strong> <span class="muted">@{m.username}</span>
              </span>
              <button
                class="btn small"
                onClick={() =>
                  void run(
                    () =>
                      api("delete /api/v1/channels/{id}/moderators/{userId}", {
                        path: { id: channel.id, userId: m.id },
                      }),
                    `${m.username} is no longer a moderator.`,
                    team.reload,
                  )
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            const userId = (formValues(e).userId ?? "").trim();
            if (userId)
              void run(
                () => api("put /api/v1/channels/{id}/moderators/{userId}", { path: { id: channel.id, userId } }),
                "Moderator added.",
                team.reload,
              );
          }}
        >
          <Field id="mod-user" label="Add by user id">
            <input id="mod-user" name="userId" maxLength={120} />
          </Field>
          <button class="btn" type="submit">
            Add moderator
          </button>
        </form>
      </section>
      <section class="panel" aria-labelledby="bans-title">
        <h2 id="bans-title">Bans and timeouts</h2>
        {state.error && <Notice kind="error">{describeError(state.error)}</Notice>}
        {state.data && Object.keys(state.data.bans).length === 0 && <p class="muted">Nobody is banned or timed out.</p>}
        <ul class="list">
          {Object.entries(state.data?.bans ?? {}).map(([userId, ban]) => (
            <li key={userId}>
              <span>
                <span class="mono">{userId}</span>{" "}
                <span class="muted">
                  {ban.until ? `until ${new Date(ban.until).toLocaleString()}` : "permanent"}
                  {ban.reason ? ` · ${ban.reason}` : ""}
                </span>
              </span>
              <button
                class="btn small"
                onClick={() =>
                  void run(
                    () => command({ action: ban.until ? "untimeout" : "unban", userId }),
                    "Lifted.",
                    state.reload,
                  )
                }
              >
                Lift
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section class="panel" aria-labelledby="terms-title">
        <h2 id="terms-title">Blocked terms</h2>
        <p class="muted">Messages containing these are refused. End a term with * to match word beginnings.</p>
        <ul class="list">
          {state.data?.blockedTerms.map((term) => (
            <li key={term}>
              <code>{term}</code>
              <button
                class="btn small"
                onClick={() =>
                  void run(() => command({ action: "unblockTerm", term }), `“${term}” removed.`, state.reload)
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget as HTMLFormElement;
            const term = (formValues(e).term ?? "").trim();
            if (term)
              void run(
                () => command({ action: "blockTerm", term }),
                `“${term}” blocked.`,
                () => {
                  form.reset();
                  state.reload();
                },
              );
          }}
        >
          <Field id="block-term" label="New blocked term">
            <input id="block-term" name="term" maxLength={100} />
          </Field>
          <button class="btn" type="submit">
            Block term
          </button>
        </form>
      </section>
    </>
  );
}
