import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ListIncidentsRequest, ListIncidentsResponseSchema } from "../../gen/beholder/v1/diagnosis_pb.js";
import type { DiagnosisEngine } from "../diagnosis/index.js";
import { incidentMessage } from "./diagnosis-mapper.js";
import { durationFromMs, timestampFromDate } from "./time.js";
import { invalid, pageSize } from "./validate.js";

const OLT_ID = /^[0-9A-Za-z_-]{1,32}$/;

/**
 * Current incidents from the latest status snapshot, widest first. The page token carries the
 * snapshot it was cut from: a token from an older snapshot starts over rather than skipping rows.
 */
export function createListIncidents(engine: DiagnosisEngine) {
  return async function listIncidents(req: ListIncidentsRequest): Promise<MessageInitShape<typeof ListIncidentsResponseSchema>> {
    const size = pageSize(req.pageSize, 100, 1000);
    const oltId = req.oltId.trim();
    if (oltId !== "" && !OLT_ID.test(oltId)) throw invalid("olt_id must be 1 to 32 letters, digits, dashes or underscores");
    const { incidents, asOf, ageMs } = await engine.incidents(oltId === "" ? undefined : oltId);
    const snapshot = String(asOf?.getTime() ?? 0);
    const offset = pageOffset(req.pageToken, snapshot);
    const page = incidents.slice(offset, offset + size);
    const next = offset + size < incidents.length ? Buffer.from(`${snapshot}:${offset + size}`).toString("base64url") : "";
    return {
      incidents: page.map(incidentMessage),
      asOf: asOf ? timestampFromDate(asOf) : undefined,
      nextPageToken: next,
      totalSize: incidents.length,
      snapshotAge: ageMs === null ? undefined : durationFromMs(ageMs),
    };
  };
}

function pageOffset(token: string, snapshot: string): number {
  if (token === "") return 0;
  const match = /^(\d+):(\d{1,6})$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (!match) throw invalid("page_token is not a token this server issued");
  return match[1] === snapshot ? Number(match[2]) : 0;
}
