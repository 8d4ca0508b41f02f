import { EXAMPLE_SUBSCRIBERS } from "./examples-data.js";
import { EXAMPLE_SUBSCRIBERS_NORTE } from "./examples-data-norte.js";

/** scenarios/README.md: the files, then the subscriber → triage case table built from the data. */
export function exampleReadme(): string {
  return `${HEAD}${exampleTable()}\n`;
}

const HEAD = `# Example scenarios

Small, hand-readable ISPs for the lab (format: docs/scenarios.md). They are built by
\`lab/scenario/examples.ts\` from the table in \`examples-data*.ts\`; after editing that table run
\`node --import tsx lab/scenario/examples.ts\` (a test fails while the files are stale).
Instants are relative to each file's \`now\` (2026-03-10T18:00:00Z, 15:00 in Córdoba).

| file | what it holds |
|---|---|
| \`triage-cases.json\` | every subscriber below: two OLTs, three routers (rb-centro 6.49, rb-sur 7.18, rb-norte 7.8, which refuses API connections) |
| \`healthy.json\` | \`gomez.lucia\` (fibre) and \`sosa.ramon\` (fixed wireless) |
| \`single-los.json\` | \`perez.maria\` in LOS with two healthy neighbours on NAP-C02 |
| \`feeder-cut.json\` | the 8 ONUs of PON 2/0/2 in LOS within 20 s, plus a healthy ONU on another port |
| \`area-power-cut.json\` | NAP-N01: 5 of 7 ONUs in Power fail within a minute |
| \`smartolt-down.json\` | the healthy pair, with fault \`smartolt["*"] = {down: true}\` |
| \`ispcube-down.json\` | the healthy pair, with fault \`ispcube["*"] = {down: true}\` |
| \`router-refusing.json\` | \`paz.gabriel\` on rb-norte (fault \`routeros["rb-norte"]["*"] = {refuse: true}\`) and \`gomez.lucia\` on rb-centro |

The demo ISP (\`demoScenario()\`, \`--scenario demo\`) is 3,000 generated subscribers with all of
\`triage-cases.json\` spliced in. SmartOLT or ISPCube down would blank the whole demo, so those two
cases live in their own files, or are switched on at run time with \`POST /faults\`.

## Subscribers by triage case (shared/triage.md)

`;

/** Markdown table of the example subscribers: PPPoE user → triage case. */
export function exampleTable(): string {
  const rows = [...EXAMPLE_SUBSCRIBERS, ...EXAMPLE_SUBSCRIBERS_NORTE].map((s) => `| \`${s.user}\` | ${s.case} | ${s.router} | ${s.note} |`);
  return ["| PPPoE user | case | router | what it shows |", "|---|---|---|---|", ...rows].join("\n");
}
