/** Who a diagnosis is about: exactly one identifier, already normalised at the edge. */
export type Target =
  | { kind: "pppoe_user"; value: string }
  | { kind: "onu_serial"; value: string }
  | { kind: "customer_code"; value: string };

/** How the target reads in messages: `pppoe_user "x"`. */
export function describeTarget(t: Target): string {
  return `${t.kind} "${t.value}"`;
}
