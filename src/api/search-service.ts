import type { ServiceImpl } from "@connectrpc/connect";
import { CustomerStatus, OnuStatus, Source } from "../../gen/beholder/v1/common_pb.js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { SearchService, SessionState, type SearchResultSchema } from "../../gen/beholder/v1/search_pb.js";
import { timestampFromDate } from "./time.js";
import type { SearchHit } from "../domain/search.js";
import type { CustomerStatus as DomainCustomerStatus, OnuStatus as DomainOnuStatus } from "../domain/types.js";
import { invalid, pageSize, searchQuery } from "./validate.js";

const CUSTOMER_STATUS: Record<DomainCustomerStatus, CustomerStatus> = {
  enabled: CustomerStatus.ENABLED,
  blocked: CustomerStatus.BLOCKED,
  no_service: CustomerStatus.NO_SERVICE,
  other: CustomerStatus.OTHER,
};
const ONU_STATUS: Record<DomainOnuStatus, OnuStatus> = {
  online: OnuStatus.ONLINE,
  offline: OnuStatus.OFFLINE,
  power_fail: OnuStatus.POWER_FAIL,
  los: OnuStatus.LOS,
  admin_disabled: OnuStatus.ADMIN_DISABLED,
  unknown: OnuStatus.UNSPECIFIED,
};
/** Results beyond this offset are not served: refine the query instead. */
const MAX_OFFSET = 1000;

export function createSearchService(
  search: (query: string, limit: number, offset: number) => Promise<SearchHit[]>,
): ServiceImpl<typeof SearchService> {
  return {
    async search(req) {
      const query = searchQuery(req.query);
      const size = pageSize(req.pageSize, 20, 100);
      const offset = pageOffset(req.pageToken);
      // One extra row tells whether there is a next page.
      const hits = await search(query, size + 1, offset);
      const more = hits.length > size && offset + size < MAX_OFFSET;
      return {
        results: hits.slice(0, size).map(result),
        nextPageToken: more ? Buffer.from(`o:${offset + size}`).toString("base64url") : "",
      };
    },
  } satisfies ServiceImpl<typeof SearchService>;
}

function pageOffset(token: string): number {
  if (token === "") return 0;
  const match = /^o:(\d{1,4})$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  const offset = match ? Number(match[1]) : NaN;
  if (!(offset >= 0 && offset < MAX_OFFSET)) throw invalid("page_token is not a token this server issued");
  return offset;
}

function result(h: SearchHit): MessageInitShape<typeof SearchResultSchema> {
  return {
    pppoeUser: h.pppoeUser,
    knownIn: [
      ...(h.inIspcube ? [Source.ISPCUBE] : []),
      ...(h.inSmartolt ? [Source.SMARTOLT] : []),
      ...(h.inRouteros ? [Source.ROUTEROS] : []),
    ],
    customerName: h.customerName ?? "",
    customerCode: h.customerCode ?? "",
    docNumber: h.docNumber ?? "",
    address: h.address ?? "",
    customerStatus: h.customerStatus ? CUSTOMER_STATUS[h.customerStatus] : CustomerStatus.UNSPECIFIED,
    onuSerial: h.onuSerial ?? "",
    onuStatus: h.onuStatus ? ONU_STATUS[h.onuStatus] : OnuStatus.UNSPECIFIED,
    mac: h.mac ?? "",
    matchedField: h.matchedField,
    phones: h.phones,
    emails: h.emails,
    city: h.city ?? "",
    plan: h.plan ?? "",
    router: h.router ?? "",
    session: h.session === "up" ? SessionState.UP : h.session === "down" ? SessionState.DOWN : SessionState.UNSPECIFIED,
    sessionAsOf: h.sessionAsOf ? timestampFromDate(h.sessionAsOf) : undefined,
  };
}
