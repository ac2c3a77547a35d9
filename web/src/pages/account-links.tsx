import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, describeError } from "../api/http";
import { currentUser, logout } from "../api/session";
import { Field, formValues, Notice } from "../components/form";
import { setTitle, type PageProps } from "../router";

/**
 * The pages the identity service's mails link to (account-mail.ts):
 * /verify-email?token=… and /reset-password?token=…, plus /forgot-password
 * that sends the reset mail. The token stays in the page: it goes to the API
 * in a POST body, never into a later request's URL or a log.
 */

function linkProblem(err: unknown): string {
  // The API says the same for unknown, used and expired links: it does not tell which.
  return err instanceof ApiError && err.status === 400 && err.fieldErrors().token
    ? "This link is invalid, already used or expired."
    : describeError(err);
}

export function VerifyEmail({ query }: PageProps) {
  const token = query.get("token") ?? "";
  const [state, setState] = useState<{ ok: string } | { error: string } | null>(null);
  const sent = useRef(false);
  useEffect(() => setTitle("Confirm your email"), []);
  useEffect(() => {
    // A link is single-use: ask once per page, even if the component renders again.
    if (sent.current) return;
    sent.current = true;
    if (!token) {
      setState({ error: "This link has no token. Open the link from the mail again." });
      return;
    }
    api("post /api/v1/auth/email/verify", { body: { token } })
      .then((r) => setState({ ok: r.email }))
      .catch((err: unknown) => setState({ error: linkProblem(err) }));
  }, [token]);

  return (
    <div class="page narrow">
      <div class="panel auth-card" data-testid="verify-email">
        <h1>Confirm your email</h1>
        {state === null && <p aria-busy="true">Checking the link…</p>}
        {state && "ok" in state && (
          <>
            <Notice kind="ok">
              <strong>{state.ok}</strong> is confirmed.
            </Notice>
            <p>
              <a class="btn primary" href={currentUser.value ? "/account" : "/login"}>
                {currentUser.value ? "Back to your account" : "Log in"}
              </a>
            </p>
          </>
        )}
        {state && "error" in state && (
          <>
            <Notice kind="error">{state.error}</Notice>
            <p class="muted">
              A new confirmation link can be sent from your <a href="/account/data">account</a>.
            </p>
          </>
        )}
      </div>
    </div>
  );
}

export function ForgotPassword() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setTitle("Forgot your password"), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    const email = (formValues(e).email ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      await api("post /api/v1/auth/password/forgot", { body: { email } });
      setSentTo(email);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="page narrow">
      <div class="panel auth-card">
        <h1>Forgot your password?</h1>
        {sentTo ? (
          // The API answers alike for every address; so does the page.
          <Notice kind="ok">
            If <strong>{sentTo}</strong> belongs to an account, a link to choose a new password is on its way. It works
            once and expires soon.
          </Notice>
        ) : (
          <form class="form" onSubmit={submit}>
            {error && <Notice kind="error">{error}</Notice>}
            <p class="muted">Enter your account's email address and we'll mail you a link to choose a new password.</p>
            <Field id="email" label="Email">
              <input id="email" name="email" type="email" autoComplete="email" required maxLength={254} autoFocus />
            </Field>
            <button class="btn primary" type="submit" disabled={busy}>
              Send the link
            </button>
          </form>
        )}
        <p class="muted">
          <a href="/login">Back to log in</a>
        </p>
      </div>
    </div>
  );
}

export function ResetPassword({ query }: PageProps) {
  const token = query.get("token") ?? "";
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => setTitle("Choose a new password"), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    const v = formValues(e);
    if (v.newPassword !== v.confirm) {
      setErrors({ confirm: "The two passwords differ." });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      await api("post /api/v1/auth/password/reset", { body: { token, newPassword: v.newPassword ?? "" } });
      // The reset ended every session, this browser's too.
      if (currentUser.value) await logout();
      setDone(true);
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldErrors() : {};
      setErrors(fields.token ? { _: linkProblem(err) } : { ...fields, _: describeError(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="page narrow">
      <div class="panel auth-card">
        <h1>Choose a new password</h1>
        {done ? (
          <>
            <Notice kind="ok">Your password is changed and you're logged out everywhere.</Notice>
            <p>
              <a class="btn primary" href="/login">
                Log in
              </a>
            </p>
          </>
        ) : !token ? (
          <Notice kind="error">This link has no token. Open the link from the mail again.</Notice>
        ) : (
          <form class="form" onSubmit={submit}>
            {errors._ && <Notice kind="error">{errors._}</Notice>}
            {errors._ && !errors.newPassword && (
              <p class="muted">
                <a href="/forgot-password">Ask for a new link</a>
              </p>
            )}
            <Field id="newPassword" label="New password" hint="At least 10 characters." error={errors.newPassword}>
              <input
                id="newPassword"
                name="newPassword"
                type="password"
                autoComplete="new-password"
                required
                minLength={10}
                maxLength={128}
                autoFocus
              />
            </Field>
            <Field id="confirm" label="New password again" error={errors.confirm}>
              <input id="confirm" name="confirm" type="password" autoComplete="new-password" required />
            </Field>
            <button class="btn primary" type="submit" disabled={busy}>
              Set the password
            </button>
          </form>
        )}
      </div>
    </div>
  );
}
