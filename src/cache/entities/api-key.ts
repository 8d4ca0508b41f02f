import { EntitySchema } from "@mikro-orm/core";

export type Scope = "read" | "admin";

/**
 * A named API key. Only a SHA-256 hash of the secret part is stored; `keyId` is the public part
 * that lets the server find the row without comparing every hash.
 */
export interface ApiKey {
  id: number;
  keyId: string;
  name: string;
  /** Comma-separated scopes, e.g. "read" or "read,admin". */
  scopes: string;
  secretHash: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export const ApiKeySchema = new EntitySchema<ApiKey>({
  name: "ApiKey",
  tableName: "api_key",
  properties: {
    id: { type: "integer", primary: true, autoincrement: true },
    keyId: { type: "string", length: 32, unique: true },
    name: { type: "string", length: 64 },
    scopes: { type: "string", length: 64 },
    secretHash: { type: "string", length: 64 },
    createdAt: { type: "datetime" },
    revokedAt: { type: "datetime", nullable: true },
  },
  // Unique among active keys only, so a revoked key's name can be issued again (rotation).
  indexes: [
    {
      name: "api_key_active_name_unique",
      expression: "create unique index `api_key_active_name_unique` on `api_key` (`name`) where `revoked_at` is null",
    },
  ],
});
