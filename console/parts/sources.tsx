import { Freshness, type SourceStatus } from "../../gen/beholder/v1/common_pb.js";
import { dateOf, durationSeconds, formatAge, FRESHNESS_LABEL, REASON_LABEL, SOURCE_LABEL } from "../format.js";

/** Where each source's data came from: live, cached with its age, or unavailable with the reason. */
export function Sources({ sources, now, flash }: { sources: readonly SourceStatus[]; now: Date; flash: (...paths: string[]) => string }) {
  return (
    <section class={`card ${flash("sources")}`} aria-labelledby="sources-title">
      <h2 id="sources-title">Frescura de los datos</h2>
      <ul class="sources">
        {sources.map((s) => {
          const latency = durationSeconds(s.latency);
          const reason = [REASON_LABEL[s.reason], s.detail].filter(Boolean).join(": ");
          return (
            <li key={s.source} class={`source fresh-${Freshness[s.freshness].toLowerCase()}`} data-source={SOURCE_LABEL[s.source]}>
              <strong>{SOURCE_LABEL[s.source]}</strong>{" "}
              <span class="chip">{FRESHNESS_LABEL[s.freshness]}</span>{" "}
              {s.freshness === Freshness.LIVE && latency !== undefined && <span class="muted">({Math.round(latency * 1000)} ms)</span>}
              {s.freshness === Freshness.CACHED && <span>{formatAge(dateOf(s.asOf), now) || "sin fecha"}</span>}
              {reason && <span class="source-reason"> — {reason}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
