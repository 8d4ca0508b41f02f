import { test } from "node:test";
import { startDiagnosisLab } from "./helpers/diagnosis-lab.js";
test("dump", async () => {
  const env = await startDiagnosisLab("scenarios/triage-cases.json");
  try {
    for (const u of ["bustos.noelia", "navarro.julieta"]) {
      const d = await env.srv.app.diagnosis.diagnose({ kind: "pppoe_user", value: u });
      console.log(JSON.stringify(d.findings, null, 1));
      console.log(d.facts.onu?.odbName, d.facts.onu?.rxPowerDbm, JSON.stringify(d.facts.peers?.onus.map(p => [p.odbName, p.status, p.rxPowerDbm])));
    }
  } finally { await env.close(); }
});
