import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { KeyScope, KeyService, type KeyInfoSchema } from "../../gen/beholder/v1/keys_pb.js";
import { KeyError, type KeyInfo, type KeyStore, type Scope } from "../auth/keys.js";
import { timestampFromDate } from "./time.js";
import { invalid } from "./validate.js";

const SCOPE: Record<Scope, KeyScope> = { read: KeyScope.READ, admin: KeyScope.ADMIN };

/**
 * KeyService: the key store over the API (admin scope, like every service auth.ts does not list as
 * read). The created key travels only in CreateKey's response; the logging interceptor never sees it.
 */
export function createKeyService(keys: KeyStore): ServiceImpl<typeof KeyService> {
  return {
    async createKey(req) {
      const name = keyName(req.name);
      const scopes = req.scopes.length === 0 ? (["read"] as Scope[]) : req.scopes.map(scopeName);
      try {
        const created = await keys.create(name, scopes);
        return { info: keyInfo(created), key: created.key };
      } catch (err) {
        // A taken name is a state the caller must change first; anything else KeyError says is bad input.
        if (err instanceof KeyError) throw new ConnectError(err.message, err.message.includes("already exists") ? Code.AlreadyExists : Code.InvalidArgument);
        throw err;
      }
    },

    async listKeys() {
      return { keys: (await keys.list()).map(keyInfo) };
    },

    async revokeKey(req) {
      const name = keyName(req.name);
      const active = (await keys.list()).find((k) => k.name === name && k.revokedAt === null);
      if (!active || !(await keys.revoke(name))) throw new ConnectError(`no active key named ${name}`, Code.NotFound);
      return { info: keyInfo({ ...active, revokedAt: new Date() }) };
    },
  } satisfies ServiceImpl<typeof KeyService>;
}

function keyName(value: string): string {
  const name = value.trim();
  if (name === "") throw invalid("name must be set");
  return name;
}

function scopeName(scope: KeyScope): Scope {
  if (scope === KeyScope.READ) return "read";
  if (scope === KeyScope.ADMIN) return "admin";
  throw invalid("scopes must be KEY_SCOPE_READ or KEY_SCOPE_ADMIN");
}

function keyInfo(k: KeyInfo): MessageInitShape<typeof KeyInfoSchema> {
  return {
    name: k.name,
    keyId: k.keyId,
    scopes: k.scopes.map((s) => SCOPE[s]),
    createdAt: timestampFromDate(k.createdAt),
    revokedAt: k.revokedAt ? timestampFromDate(k.revokedAt) : undefined,
  };
}
