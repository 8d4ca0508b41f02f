import { useEffect, useRef, useState } from "preact/hooks";
import type { BeholderClient } from "../../src/client/browser.js";
import type { SearchResult } from "../../gen/beholder/v1/search_pb.js";
import { describeError } from "../errors.js";
import { hrefOf } from "../route.js";
import {
  CUSTOMER_STATUS_LABEL, CUSTOMER_STATUS_TONE, ONU_STATUS_LABEL, ONU_STATUS_TONE, SESSION_LABEL, SESSION_TONE,
} from "../format.js";
import { CustomerStatus, OnuStatus } from "../../gen/beholder/v1/common_pb.js";

const DEBOUNCE_MS = 250;
const MIN_CHARS = 3;
const PAGE_SIZE = 20;

/** What the agent typed last, kept while the tab lives (coming back from a diagnosis keeps the list). */
let lastQuery = "";

/** Search as you type, as a combobox with a listbox (WAI-ARIA APG): ↑/↓ move, Enter opens, Esc clears. */
export function SearchView({ client, onAuthError }: { client: BeholderClient; onAuthError: (why: string) => void }) {
  const [query, setQuery] = useState(lastQuery);
  const [results, setResults] = useState<SearchResult[]>([]);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | undefined>();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => input.current?.focus(), []);

  useEffect(() => {
    lastQuery = query;
    const q = query.trim();
    if (q.length < MIN_CHARS) {
      setResults([]);
      setActive(-1);
      setError(undefined);
      setStatus(q.length === 0 ? "" : `Escribí al menos ${MIN_CHARS} caracteres.`);
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      setStatus("Buscando…");
      client.search.search({ query: q.slice(0, 100), pageSize: PAGE_SIZE }, { signal: abort.signal }).then(
        (res) => {
          setResults(res.results);
          setActive(res.results.length > 0 ? 0 : -1);
          setError(undefined);
          const n = res.results.length;
          setStatus(n === 0 ? "Sin resultados." : `${n}${res.nextPageToken ? " o más" : ""} resultado${n === 1 ? "" : "s"}. Usá ↑ y ↓ para elegir y Enter para abrir.`);
        },
        (err: unknown) => {
          if (abort.signal.aborted) return;
          const view = describeError(err);
          if (view.signOut) return onAuthError(view.message);
          setError(view.message);
          setStatus("");
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [query, client]);

  const open = (r: SearchResult | undefined): void => {
    if (r) location.hash = hrefOf({ view: "customer", user: r.pppoeUser });
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (results.length > 0) setActive((i) => Math.min(results.length - 1, i + 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      if (results.length > 0) setActive((i) => Math.max(0, i - 1));
    } else if (e.key === "Enter") {
      e.preventDefault();
      open(results[active]);
    } else if (e.key === "Escape") {
      setQuery("");
    }
  };

  useEffect(() => {
    if (active >= 0) document.getElementById(optionId(active))?.scrollIntoView({ block: "nearest" });
  }, [active]);

  const expanded = results.length > 0;
  return (
    <section class="search" aria-labelledby="search-title">
      <h1 id="search-title">Buscar un abonado</h1>
      <label for="search-input">Buscá por nombre, usuario PPPoE, teléfono, DNI, dirección, serie de ONU o MAC</label>
      <input
        ref={input}
        id="search-input"
        class="search-input"
        type="text"
        role="combobox"
        autocomplete="off"
        spellcheck={false}
        aria-autocomplete="list"
        aria-expanded={expanded ? "true" : "false"}
        aria-controls="search-results"
        aria-activedescendant={active >= 0 && expanded ? optionId(active) : undefined}
        aria-describedby="search-status"
        value={query}
        onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
        onKeyDown={onKeyDown}
      />
      <p id="search-status" class="muted" role="status" aria-live="polite">{status}</p>
      {error && <p class="error" role="alert">{error}</p>}
      <ul id="search-results" class="results" role="listbox" aria-label="Resultados de la búsqueda" hidden={!expanded}>
        {results.map((r, i) => (
          <li
            key={r.pppoeUser}
            id={optionId(i)}
            role="option"
            aria-selected={i === active ? "true" : "false"}
            class={`result${i === active ? " is-active" : ""}`}
            data-pppoe={r.pppoeUser}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => open(r)}
            onMouseMove={() => i !== active && setActive(i)}
          >
            <span class="result-name">{r.customerName || "Sin cliente en ISPCube"}</span>
            <span class="result-user">{r.pppoeUser}</span>
            <span class="result-address">{[r.address, r.city].filter(Boolean).join(", ") || "Sin dirección"}</span>
            <span class="chips">
              <span class={`chip tone-${CUSTOMER_STATUS_TONE[r.customerStatus]}`}>
                Cliente {r.customerStatus === CustomerStatus.UNSPECIFIED ? "sin dato" : CUSTOMER_STATUS_LABEL[r.customerStatus]}
              </span>
              <span class={`chip tone-${ONU_STATUS_TONE[r.onuStatus]}`}>
                ONU {r.onuStatus === OnuStatus.UNSPECIFIED ? "sin dato" : ONU_STATUS_LABEL[r.onuStatus]}
              </span>
              <span class={`chip tone-${SESSION_TONE[r.session]}`}>{SESSION_LABEL[r.session]}</span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function optionId(i: number): string {
  return `search-option-${i}`;
}
