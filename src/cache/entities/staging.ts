import { EntitySchema, type EntitySchemaMetadata } from "@mikro-orm/core";
import { connectionMeta, customerMeta, onuMeta, pppSecretMeta, type ConnectionRow, type CustomerRow, type OnuRow, type PppSecretRow } from "./inventory.js";

/**
 * The `stage_*` twin of a table, derived from its entity so the two cannot drift: same columns and
 * primary key, no secondary indexes (they only slow the page-by-page inserts of one run's scratch data).
 */
function stagingOf<T>(meta: EntitySchemaMetadata<T>): EntitySchema<T> {
  return new EntitySchema<T>({
    name: `Stage${meta.name}`,
    tableName: `stage_${meta.tableName}`,
    properties: structuredClone(meta.properties),
  } as EntitySchemaMetadata<T>);
}

export const StageCustomerSchema = stagingOf<CustomerRow>(customerMeta);
export const StageConnectionSchema = stagingOf<ConnectionRow>(connectionMeta);
export const StageOnuSchema = stagingOf<OnuRow>(onuMeta);
export const StagePppSecretSchema = stagingOf<PppSecretRow>(pppSecretMeta);

/** The staged tables, by their real table's name. */
export const STAGED = {
  customer: StageCustomerSchema,
  connection: StageConnectionSchema,
  onu: StageOnuSchema,
  ppp_secret: StagePppSecretSchema,
} as const;
export type StagedTable = keyof typeof STAGED;
