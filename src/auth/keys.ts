import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Orm } from "../cache/orm.js";
import { ApiKeySchema, type ApiKey, type Scope } from "../cache/entities/api-key.js";

export type { Scope };
export const SCOPES: readonly Scope[] = ["read", "admin"];

/** Who is calling: the key's name (safe to log) and what it may do. */
export interface Principal {
  name: string;
  scopes: ReadonlySet<Scope>;
}

export interface KeyInfo {
  name: string;
  keyId: string;
  scopes: Scope[];
  createdAt: Date;
  revokedAt: Date | null;
}

export interface CreatedKey extends KeyInfo {
  /** The full key. Shown once; only its hash is stored. */
  key: string;
}

export class KeyError extends Error {
  override name = "KeyError";
}

export interface KeyStore {
  create(name: string, scopes: Scope[]): Promise<CreatedKey>;
  list(): Promise<KeyInfo[]>;
  /** Revokes the key with this name; false when there is no such active key. */
  revoke(name: string): Promise<boolean>;
  /** The principal for a presented key, or undefined for a missing, unknown or revoked key. */
  verify(presented: string): Promise<Principal | undefined>;
}

export const LEGACY_KEY_NAME = "legacy-api-key";
const KEY_PATTERN = /^bh_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/i;
/** How long a verified key is trusted without asking the database again (revocation from another process). */
const VERIFY_CACHE_MS = 5000;
const DUMMY_HASH = sha256("beholder-dummy-secret");

/**
 * API keys: `bh_<keyId>_<secret>`. The key id finds the row; the secret is compared as a SHA-256
 * hash in constant time. The old single API_KEY (when configured) is an admin key named
 * "legacy-api-key".
 */
export function createKeyStore(orm: Orm, legacyApiKey: string | undefined, now: () => Date = () => new Date()): KeyStore {
  const legacyHash = legacyApiKey === undefined ? undefined : sha256(legacyApiKey);
  const verified = new Map<string, { principal: Principal; secretHash: Buffer; until: number }>();

  return {
    async create(name, scopes) {
      if (!NAME_PATTERN.test(name)) throw new KeyError("name must be 1 to 64 letters, digits, '.', '_' or '-'");
      if (name === LEGACY_KEY_NAME) throw new KeyError(`name ${LEGACY_KEY_NAME} is reserved`);
      const unique = [...new Set(scopes)];
      if (unique.length === 0 || unique.some((s) => !SCOPES.includes(s))) {
        throw new KeyError(`scopes must be one or more of ${SCOPES.join(", ")}`);
      }
      const em = orm.em.fork();
      if (await em.findOne(ApiKeySchema, { name, revokedAt: null })) throw new KeyError(`an active key named ${name} already exists`);
      const keyId = randomBytes(6).toString("hex");
      const secret = randomBytes(32).toString("base64url");
      const row = em.create(ApiKeySchema, {
        keyId,
        name,
        scopes: unique.join(","),
        secretHash: sha256(secret).toString("hex"),
        createdAt: now(),
        revokedAt: null,
      });
      await em.persistAndFlush(row);
      return { ...info(row), key: `bh_${keyId}_${secret}` };
    },

    async list() {
      const rows = await orm.em.fork().find(ApiKeySchema, {}, { orderBy: { createdAt: "asc", id: "asc" } });
      return rows.map(info);
    },

    async revoke(name) {
      const em = orm.em.fork();
      const row = await em.findOne(ApiKeySchema, { name, revokedAt: null });
      if (!row) return false;
      row.revokedAt = now();
      await em.flush();
      verified.delete(row.keyId);
      return true;
    },

    async verify(presented) {
      if (legacyHash !== undefined && timingSafeEqual(sha256(presented), legacyHash)) {
        return { name: LEGACY_KEY_NAME, scopes: new Set(SCOPES) };
      }
      const match = KEY_PATTERN.exec(presented);
      if (!match) return undefined;
      const [, keyId = "", secret = ""] = match;
      const presentedHash = sha256(secret);
      const cached = verified.get(keyId);
      // Only a match may take the short path: a wrong secret for a cached id answering faster than an
      // unknown id would tell an attacker which ids are in use, so every failure does the lookup below.
      if (cached && cached.until > now().getTime() && timingSafeEqual(presentedHash, cached.secretHash)) return cached.principal;
      const row = await orm.em.fork().findOne(ApiKeySchema, { keyId, revokedAt: null });
      // Compare against a dummy hash when the id is unknown, so timing does not tell ids apart.
      const stored = row ? Buffer.from(row.secretHash, "hex") : DUMMY_HASH;
      if (!timingSafeEqual(presentedHash, stored) || !row) return undefined;
      const principal: Principal = { name: row.name, scopes: new Set(parseScopes(row.scopes)) };
      verified.set(keyId, { principal, secretHash: stored, until: now().getTime() + VERIFY_CACHE_MS });
      return principal;
    },
  };
}

/** The public id of a presented key (`bh_<keyId>_…`), or undefined for the legacy key or garbage. */
export function keyIdOf(presented: string): string | undefined {
  return KEY_PATTERN.exec(presented)?.[1];
}

function info(row: ApiKey): KeyInfo {
  return { name: row.name, keyId: row.keyId, scopes: parseScopes(row.scopes), createdAt: row.createdAt, revokedAt: row.revokedAt };
}

function parseScopes(s: string): Scope[] {
  return s.split(",").filter((x): x is Scope => (SCOPES as readonly string[]).includes(x));
}

function sha256(s: string): Buffer {
  return createHash("sha256").update(s, "utf8").digest();
}
