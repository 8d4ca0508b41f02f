import type { ServiceImpl } from "@connectrpc/connect";
import { SearchService } from "../../gen/beholder/v1/search_pb.js";
import { notYet } from "./not-yet.js";
import { pageSize, searchQuery } from "./validate.js";

export function createSearchService(): ServiceImpl<typeof SearchService> {
  return {
    search(req) {
      searchQuery(req.query);
      pageSize(req.pageSize, 20, 100);
      throw notYet("Search", "the cache and its search index");
    },
  } satisfies ServiceImpl<typeof SearchService>;
}
