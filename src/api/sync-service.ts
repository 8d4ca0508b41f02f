import type { ServiceImpl } from "@connectrpc/connect";
import { SyncJob, SyncService } from "../../gen/beholder/v1/sync_pb.js";
import { notYet } from "./not-yet.js";
import { invalid } from "./validate.js";

export function createSyncService(): ServiceImpl<typeof SyncService> {
  return {
    async *runSync(req) {
      if (req.job !== SyncJob.INVENTORY && req.job !== SyncJob.STATUS) throw invalid("job must be SYNC_JOB_INVENTORY or SYNC_JOB_STATUS");
      throw notYet("RunSync", "the vendor clients and the sync");
    },
    getSyncStatus() {
      throw notYet("GetSyncStatus", "the vendor clients and the sync");
    },
  } satisfies ServiceImpl<typeof SyncService>;
}
