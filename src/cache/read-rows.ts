import type { EntitySchema } from "@mikro-orm/core";
import type { Orm } from "./orm.js";

/**
 * An entity's rows read by prepared statements, shaped as MikroORM shapes them: the select list and
 * the conversion back come from the ORM's own metadata (field names, types), so they follow the
 * entity definitions. The inverse of `sqliteValue` (batch.ts): instants are integer milliseconds,
 * booleans 0/1.
 */
export interface RowReader<T> {
  /** The entity's table. */
  table: string;
  /** `alias.field as "property", …` for every property (or those named), for a select list. */
  columns(alias: string, only?: readonly (keyof T & string)[]): string;
  /** A row selected with `columns`, as the entity's properties. */
  read(raw: Record<string, unknown>): T;
}

export function rowReader<T extends object>(orm: Orm, entity: EntitySchema<T>): RowReader<T> {
  const meta = orm.getMetadata().get(entity.meta.className);
  const q = (id: string): string => orm.em.getPlatform().quoteIdentifier(id);
  const props = meta.props.filter((p) => p.fieldNames?.length === 1);
  const dates = props.filter((p) => p.runtimeType === "Date").map((p) => p.name as string);
  const booleans = props.filter((p) => p.runtimeType === "boolean").map((p) => p.name as string);
  return {
    table: q(meta.tableName),
    columns(alias, only) {
      const wanted = only ? new Set<string>(only) : undefined;
      if (wanted) for (const name of wanted) if (!props.some((p) => p.name === name)) throw new Error(`${meta.className} has no property ${name}`);
      return props
        .filter((p) => !wanted || wanted.has(p.name as string))
        .map((p) => `${alias}.${q(p.fieldNames[0] as string)} as ${q(p.name as string)}`)
        .join(", ");
    },
    read(raw) {
      for (const name of dates) {
        const v = raw[name];
        if (v !== null && v !== undefined) raw[name] = new Date(Number(v));
      }
      for (const name of booleans) {
        const v = raw[name];
        if (v !== null && v !== undefined) raw[name] = Boolean(v);
      }
      return raw as T;
    },
  };
}
