import { useState } from "preact/hooks";
import { ApiError, describeError } from "../api/http";
import { login, needsTotp } from "../api/session";
import { Field, formValues, Notice } from "../components/form";
import { navigate, type PageProps } from "../router";

/** Password login; when the account has TOTP the same form asks for the one-time code. */
export default function Login({ query }: PageProps) {
  const [totp, setTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [creds, setCreds] = useState<{ login: string; password: string } | null>(null);
  const next = safeNext(query.get("next"));

  const submit = async (e: Event) => {
    e.preventDefault();
    const v = formValues(e);
    const c = creds && totp ? creds : { login: v.login ?? "", password: v.password ?? "" };
    setBusy(true);
    setError(null);
    try {
      await login(c.login, c.password, totp ? v.totpCode : undefined);
      navigate(next, { replace: true });
    } catch (err) {
      if (needsTotp(err) && !totp) {
        setCreds(c);
        setTotp(true);
      } else setError(err instanceof ApiError && err.status === 401 ? err.message : describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page narrow">
      <div class="panel auth-card">
        <h1>{totp ? "Two-factor check" : "Log in to Arena"}</h1>
        <form class="form" onSubmit={submit}>
          {error && <Notice kind="error">{error}</Notice>}
          {!totp ? (
            <>
              <Field id="login" label="Email or username">
                <input id="login" name="login" autoComplete="username" required autoFocus />
              </Field>
              <Field id="password" label="Password">
                <input id="password" name="password" type="password" autoComplete="current-password" required />
              </Field>
              <a class="muted" href="/forgot-password">
                Forgot your password?
              </a>
            </>
          ) : (
            <Field id="totpCode" label="One-time code" hint="The 6-digit code from your authenticator app.">
              <input
                id="totpCode"
                name="totpCode"
                inputMode="numeric"
                pattern="[0-9]{6}"
                maxLength={6}
                autoComplete="one-time-code"
                required
                autoFocus
              />
            </Field>
          )}
          <button class="btn primary" type="submit" disabled={busy}>
            {totp ? "Verify" : "Log in"}
          </button>
          <p class="muted">
            New here?{" "}
            <a href={`/register${next !== "/" ? `?next=${encodeURIComponent(next)}` : ""}`}>Create an account</a>
          </p>
        </form>
      </div>
    </div>
  );
}

/** Only same-site paths: an open redirect would make the login page a phishing tool. */
export function safeNext(value: string | null): string {
  return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : "/";
}
