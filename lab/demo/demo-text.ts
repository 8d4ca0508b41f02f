import { resolve } from "node:path";
import type { SourceResult, SyncProgress } from "../../src/sync/types.js";

/** The query the printed commands search for: a surname the demo ISP is sure to hold (perez.maria). */
export const DEMO_SEARCH = "perez";
/**
 * What agents type, each of which finds perez.maria (stored `+54 9 353 4765432`, DNI 29334501,
 * mariajose.perez@gmail.com, ONU HWTC2B3C4D03): a phone with the trunk 0 and the old 15, the bare
 * subscriber number, a CUIT around the DNI, the serial's hex tail, the e-mail, a PPPoE user prefix.
 */
export const DEMO_SEARCH_FORMS: readonly string[] = ["0353 15 476-5432", "4765432", "27-29334501-4", "2B3C4D03", "mariajose.perez@gmail.com", "perez.ma"];
/** The subscriber whose ONU the printed lab example puts in LOS. */
export const DEMO_LOS_TARGET = "gomez.lucia";

/** Triage cases from scenarios/README.md whose search result already shows something; all are in the demo ISP. */
export const DEMO_USERS: readonly [user: string, why: string][] = [
  ["perez.maria", "ONU in LOS while its NAP neighbours are online: one drop fibre, a truck"],
  ["diaz.carlos", "ONU in LOS with all 8 ONUs of PON 2/0/2: a feeder cut"],
  ["acosta.raul", "Power fail with most of NAP-N01: an area power cut, no truck"],
  ["lopez.ricardo", "customer blocked for debt: billing, never a truck"],
  ["martinez.ines", "ONU admin-disabled at the OLT (a debt cut)"],
  ["paz.gabriel", "known to ISPCube and SmartOLT only: its router rb-norte refuses the API"],
  ["quiroga.pedro", "ONU and PPPoE secret, but no ISPCube customer"],
];

/** The printed GetDiagnosis examples: one per kind of identifier. */
export const DEMO_DIAGNOSES: readonly Record<string, string>[] = [
  { pppoe_user: "perez.maria" },
  { onu_serial: "ZTEG4D5E6F02" },
  // Example customer 000101 (gomez.lucia), renumbered by the demo; the padding is optional.
  { customer_code: "3101" },
];

export interface DemoSummary {
  url: string;
  key: string;
  keyName: string;
  controlUrl: string;
  dbPath: string;
}

/** One line for a sync source as it finishes, e.g. `  ispcube    done     3,042 in 1.2 s`. */
export function sourceLine(p: SyncProgress, startedAt: Date): string {
  const seconds = ((p.at.getTime() - startedAt.getTime()) / 1000).toFixed(1);
  const count = p.total > 0 ? `${p.done.toLocaleString("en-US")}`.padStart(6) : "".padStart(6);
  const why = p.error ? `: ${p.error}` : "";
  return `  ${p.job.padEnd(10)} ${p.source.padEnd(9)} ${p.phase.padEnd(8)} ${count} after ${seconds} s${why}`;
}

/** What a finished source's counts say that its progress line does not (a refusing router). */
export function sourceNote(s: SourceResult): string | undefined {
  const failed = s.counts.routersFailed ?? 0;
  if (s.source === "routeros" && failed > 0) {
    return `  ${"".padEnd(10)} routeros: ${failed} router(s) refused (rb-norte refuses the API on purpose: the router-refusing case)`;
  }
  return undefined;
}

/** `npm run keys` against the demo's own cache, which is not the server's default DB_PATH. */
export function keysCommand(dbPath: string): string {
  const path = resolve(dbPath);
  const quoted = /^[\w./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
  return `DB_PATH=${quoted} npm run keys -- create agent-1 --scope read`;
}

/** The copy-paste block printed once Beholder is ready. Every command works against this very run. */
export function demoSummary(s: DemoSummary): string[] {
  const hostPort = s.url.replace(/^http:\/\//, "");
  const key = `-H 'x-api-key: ${s.key}'`;
  const buf = "npx buf curl --protocol grpc --http2-prior-knowledge";
  const search = JSON.stringify({ query: DEMO_SEARCH });
  return [
    "",
    `Beholder is ready at ${s.url}  (cache ${s.dbPath})`,
    `API key "${s.keyName}" (read + admin, shown once; a new one each run):`,
    "",
    `  ${s.key}`,
    "",
    `Consola: ${s.url}/console/  (the agent console: open it in a browser and sign in with the key above)`,
    "",
    "Another key for this demo (the running server accepts it within 5 s):",
    `  ${keysCommand(s.dbPath)}`,
    "",
    "Search, Connect JSON over HTTP/1.1:",
    `  curl -s ${key} -H 'content-type: application/json' -d '${search}' ${s.url}/beholder.v1.SearchService/Search`,
    "Search as agents type (each finds perez.maria: phone, subscriber number, CUIT, serial tail, e-mail, user prefix):",
    ...DEMO_SEARCH_FORMS.map(
      (query) => `  curl -s ${key} -H 'content-type: application/json' -d '${JSON.stringify({ query })}' ${s.url}/beholder.v1.SearchService/Search`,
    ),
    "Sync status, Connect GET:",
    `  curl -s -G ${key} --data-urlencode encoding=json --data-urlencode 'message={}' ${s.url}/beholder.v1.SyncService/GetSyncStatus`,
    "buf curl, gRPC over h2c (schema by server reflection):",
    `  ${buf} --list-services ${s.url}`,
    `  ${buf} ${key} -d '${JSON.stringify({ query: "perez.maria" })}' ${s.url}/beholder.v1.SearchService/Search`,
    `  ${buf} ${key} -d '{}' ${s.url}/beholder.v1.SyncService/GetSyncStatus`,
    "grpcurl (if installed):",
    `  grpcurl -plaintext ${hostPort} list`,
    `  grpcurl -plaintext ${key} -d '${search}' ${hostPort} beholder.v1.SearchService/Search`,
    `  grpcurl -plaintext ${key} -d '{}' ${hostPort} beholder.v1.SyncService/GetSyncStatus`,
    "",
    "PPPoE users worth a diagnosis (every triage case is listed in scenarios/README.md):",
    ...DEMO_USERS.map(([user, why]) => `  ${user.padEnd(15)} ${why}`),
    "Diagnose one by PPPoE user, ONU serial or customer code (example code 000101 is 003101 here):",
    ...DEMO_DIAGNOSES.map(
      (body) => `  curl -s ${key} -H 'content-type: application/json' -d '${JSON.stringify(body)}' ${s.url}/beholder.v1.DiagnosisService/GetDiagnosis`,
    ),
    `  ${buf} ${key} -d '${JSON.stringify({ pppoe_user: "diaz.carlos" })}' ${s.url}/beholder.v1.DiagnosisService/GetDiagnosis`,
    `  curl -s ${key} ${s.url}/diagnosis/lopez.ricardo    (the old path, in the old JSON)`,
    "",
    `Lab control API: ${s.controlUrl}  (routes in docs/scenarios.md). Put ${DEMO_LOS_TARGET}'s ONU in LOS,`,
    "refresh statuses now (the scheduled refresh runs every 5 minutes), and search for it:",
    `  curl -s -XPOST ${s.controlUrl}/onus/${DEMO_LOS_TARGET} -d '{"status":"LOS"}'`,
    `  ${buf} ${key} -d '{"job":"SYNC_JOB_STATUS"}' ${s.url}/beholder.v1.SyncService/RunSync`,
    `  curl -s ${key} -H 'content-type: application/json' -d '${JSON.stringify({ query: DEMO_LOS_TARGET })}' ${s.url}/beholder.v1.SearchService/Search`,
    "",
    "Ctrl-C stops Beholder and the lab.",
  ];
}
