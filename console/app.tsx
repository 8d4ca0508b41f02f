import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import type { BeholderClient } from "../src/client/browser.js";
import { clearKey, clientFor, storedKey, storeKey } from "./session.js";
import { hrefOf, parseRoute, type Route } from "./route.js";
import { SignIn } from "./views/sign-in.js";
import { SearchView } from "./views/search.js";
import { DiagnosisView } from "./views/diagnosis.js";
import { IncidentsView } from "./views/incidents.js";

export function App() {
  const [key, setKey] = useState<string | undefined>(storedKey);
  const [notice, setNotice] = useState<string | undefined>();
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const client = useMemo<BeholderClient | undefined>(() => (key ? clientFor(key) : undefined), [key]);

  useEffect(() => {
    const onHash = (): void => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);

  useEffect(() => {
    const titles: Record<Route["view"], string> = { search: "Buscar", customer: "Diagnóstico", incidents: "Incidentes" };
    document.title = `${key ? titles[route.view] : "Ingresar"} · Beholder`;
  }, [route, key]);

  const signIn = useCallback((k: string) => {
    storeKey(k);
    setNotice(undefined);
    setKey(k);
  }, []);
  /** Sign out, by the agent's button or because the server refused the key. */
  const signOut = useCallback((why?: string) => {
    clearKey();
    setKey(undefined);
    setNotice(why);
  }, []);

  if (!client) {
    return (
      <div class="shell">
        <Header />
        <main id="main" class="main" tabIndex={-1}>
          <SignIn onSignedIn={signIn} notice={notice} />
        </main>
      </div>
    );
  }
  return (
    <div class="shell">
      <Header>
        <nav class="nav" aria-label="Secciones">
          <a href={hrefOf({ view: "search" })} aria-current={route.view === "search" ? "page" : undefined}>Buscar</a>
          <a href={hrefOf({ view: "incidents" })} aria-current={route.view === "incidents" ? "page" : undefined}>Incidentes</a>
        </nav>
        <button type="button" class="btn btn-quiet" onClick={() => signOut()}>Salir</button>
      </Header>
      <main id="main" class="main" tabIndex={-1}>
        {route.view === "search" && <SearchView client={client} onAuthError={signOut} />}
        {route.view === "customer" && <DiagnosisView key={route.user} client={client} user={route.user} onAuthError={signOut} />}
        {route.view === "incidents" && <IncidentsView client={client} onAuthError={signOut} />}
      </main>
    </div>
  );
}

function Header({ children }: { children?: ComponentChildren }) {
  return (
    <header class="top">
      <a class="skip" href="#main" onClick={skipToMain}>Saltar al contenido</a>
      <span class="brand">Beholder <span class="brand-sub">consola de agentes</span></span>
      {children}
    </header>
  );
}

/** The hash is the route: the skip link moves focus instead of changing it. */
function skipToMain(e: Event): void {
  e.preventDefault();
  document.getElementById("main")?.focus();
}
