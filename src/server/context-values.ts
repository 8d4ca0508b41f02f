import { createContextKey } from "@connectrpc/connect";
import type { Principal } from "../auth/keys.js";

/** Set by the auth interceptor for every authenticated call. */
export const kPrincipal = createContextKey<Principal | undefined>(undefined, { description: "the calling API key" });

/** The peer address of the connection, set by the adapter from the raw request. */
export const kClientIp = createContextKey<string>("unknown", { description: "client IP address" });
