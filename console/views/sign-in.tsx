import { useRef, useState } from "preact/hooks";
import { clientFor } from "../session.js";
import { describeError } from "../errors.js";

/**
 * The agent types the key; one cheap authenticated call (ListIncidents, one row) proves it before it
 * is kept for the tab.
 */
export function SignIn({ onSignedIn, notice }: { onSignedIn: (key: string) => void; notice: string | undefined }) {
  const [key, setKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const input = useRef<HTMLInputElement>(null);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const k = key.trim();
    if (k === "") {
      setError("Ingresá tu clave.");
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await clientFor(k).diagnosis.listIncidents({ pageSize: 1 }, { timeoutMs: 20_000 });
      onSignedIn(k);
    } catch (err) {
      setError(describeError(err).message);
      setBusy(false);
      input.current?.select();
    }
  };

  return (
    <section class="card signin" aria-labelledby="signin-title">
      <h1 id="signin-title">Ingresá a la consola</h1>
      <p class="muted">Tu clave queda solo en esta pestaña: al cerrarla, se olvida.</p>
      {notice && <p class="notice" role="status">{notice}</p>}
      <form onSubmit={submit} noValidate>
        <label for="api-key">Ingresá tu clave</label>
        <input
          ref={input}
          id="api-key"
          name="api-key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          value={key}
          onInput={(e) => setKey((e.currentTarget as HTMLInputElement).value)}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? "signin-error" : undefined}
        />
        <button type="submit" class="btn btn-primary" disabled={busy}>{busy ? "Verificando…" : "Ingresar"}</button>
        <p id="signin-error" class="error" role="alert">{error ?? ""}</p>
      </form>
    </section>
  );
}
