/**
 * A chatbot's side of Beholder in a few lines: find the subscriber a customer describes, diagnose
 * them, and say the customer sentence (Argentine Spanish, no jargon) back.
 *
 *   BEHOLDER_URL=http://127.0.0.1:8500 BEHOLDER_KEY=bh_… node --import tsx examples/bot.ts perez.maria
 *
 * Any text the search understands works: a PPPoE user, a name, a DNI, a phone, a customer code.
 * Exit codes: 0 answered, 1 Beholder failed or is unreachable, 2 usage, 3 nobody matches.
 */
import { pathToFileURL } from "node:url";
import { Code, ConnectError } from "@connectrpc/connect";
import { Action, Confidence } from "../gen/beholder/v1/diagnosis_pb.js";
import { createBeholderClient, type BeholderClient } from "../src/client/node.js";

export interface BotAnswer {
  pppoeUser: string;
  customerName: string;
  action: string;
  confidence: string;
  /** What the bot tells the customer. */
  customerMessage: string;
}

/** Search, take the best match, diagnose it. Undefined when the search finds nobody. */
export async function answer(client: BeholderClient, text: string): Promise<BotAnswer | undefined> {
  const { results } = await client.search.search({ query: text, pageSize: 1 });
  const best = results[0];
  if (!best) return undefined;
  // A bridged ONU has no PPPoE user: its serial names it instead.
  const target = best.pppoeUser ? { pppoeUser: best.pppoeUser } : best.onuSerial ? { onuSerial: best.onuSerial } : { customerCode: best.customerCode };
  const { diagnosis } = await client.diagnosis.getDiagnosis(target);
  const verdict = diagnosis?.verdict;
  return {
    pppoeUser: diagnosis?.pppoeUser || best.pppoeUser,
    customerName: diagnosis?.customer?.name ?? best.customerName,
    action: Action[verdict?.action ?? Action.UNSPECIFIED],
    confidence: Confidence[verdict?.confidence ?? Confidence.UNSPECIFIED],
    customerMessage: verdict?.customerMessage ?? "",
  };
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const text = argv.join(" ").trim();
  const key = env.BEHOLDER_KEY;
  if (!text || !key) {
    out("usage: BEHOLDER_KEY=bh_… [BEHOLDER_URL=http://127.0.0.1:8500] node --import tsx examples/bot.ts <text to search>");
    return 2;
  }
  const client = createBeholderClient(env.BEHOLDER_URL ?? "http://127.0.0.1:8500", key, { defaultTimeoutMs: 15_000 });
  try {
    const found = await answer(client, text);
    if (!found) {
      out(`nobody matches "${text}"`);
      return 3;
    }
    out(`${found.pppoeUser} (${found.customerName || "no customer record"}): ${found.action}, confidence ${found.confidence}`);
    out(found.customerMessage);
    return 0;
  } catch (err) {
    const e = ConnectError.from(err);
    out(`beholder answered ${Code[e.code]}: ${e.rawMessage}`);
    return e.code === Code.NotFound ? 3 : 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`)).then((code) => process.exit(code));
}
