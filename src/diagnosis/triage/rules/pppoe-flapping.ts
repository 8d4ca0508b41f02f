import type { Rule } from "../rule.js";
import { evidence, finding, threshold } from "../rule.js";
import { formatDuration } from "../../format.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** §4 (a heuristic, no standard): many new sessions in an hour or a day, or sessions always short. */
export const pppoeFlapping: Rule = {
  id: "pppoe.flapping",
  evaluate(facts, options) {
    const h = facts.sessionHistory;
    if (h === null) return null;
    const t = options.thresholds;
    const now = facts.now.getTime();
    const events = h.events.filter((e) => e.at.getTime() <= now).sort((a, b) => a.at.getTime() - b.at.getTime());
    const logins = events.filter((e) => e.kind === "login");
    const lastHour = logins.filter((e) => e.at.getTime() > now - HOUR_MS).length;
    const lastDay = logins.filter((e) => e.at.getTime() > now - DAY_MS).length;
    const durations = completedSessions(events, now - DAY_MS);
    const session = facts.pppoe?.session ?? null;
    if (session !== null) durations.push(session.uptimeS);
    const alwaysShort = durations.length >= t.flapShortMinSessions && durations.every((d) => d < t.flapShortUptimeS);
    const reasons: string[] = [];
    if (lastHour >= t.flapPerHour) reasons.push(`${lastHour} sesiones nuevas en la última hora`);
    if (lastDay >= t.flapPerDay) reasons.push(`${lastDay} en el último día`);
    if (alwaysShort) reasons.push(`${durations.length} sesiones todas de menos de ${formatDuration(t.flapShortUptimeS)}`);
    if (reasons.length === 0) return null;
    return finding(
      "pppoe.flapping",
      "warning",
      `PPPoE inestable: ${reasons.join(", ")}.`,
      [
        evidence("routeros", "log.pppoe_logins_1h", String(lastHour), h),
        evidence("routeros", "log.pppoe_logins_24h", String(lastDay), h),
        evidence("routeros", "log.session_durations_s", durations.slice(-6).map((d) => String(Math.round(d))).join(","), h),
      ],
      [threshold(options, "flapPerHour"), threshold(options, "flapPerDay"), threshold(options, "flapShortUptimeS"), threshold(options, "flapShortMinSessions")],
    );
  },
};

/** Durations (s) of sessions that ended after `from`: each logout paired with the login before it. */
function completedSessions(events: Array<{ at: Date; kind: "login" | "logout" }>, from: number): number[] {
  const out: number[] = [];
  let open: number | null = null;
  for (const e of events) {
    if (e.kind === "login") open = e.at.getTime();
    else if (open !== null) {
      if (e.at.getTime() > from) out.push((e.at.getTime() - open) / 1000);
      open = null;
    }
  }
  return out;
}
