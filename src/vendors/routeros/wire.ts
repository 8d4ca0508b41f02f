/**
 * RouterOS API wire shapes as node-routeros hands them over (shared/vendors/routeros.md §2.3, §3):
 * one plain object per `!re`, attribute names without the leading `=`, every value a string, and
 * any property possibly absent (§1.9).
 */
export type WireRow = Readonly<Record<string, string | undefined>>;

/**
 * What each print asks for (`=.proplist=`, §1.8). Never `password`: RouterOS returns it in clear
 * text (§3.2), and what is not asked for cannot leak into a log.
 */
export const PROPLIST = {
  secret: [
    "name",
    "service",
    "profile",
    "disabled",
    "remote-address",
    "caller-id",
    "last-logged-out",
    "last-caller-id",
    "last-disconnect-reason",
    "comment",
  ],
  active: ["name", "service", "caller-id", "address", "uptime", "session-id"],
  queue: ["name", "target", "max-limit", "rate"],
  log: ["time", "topics", "message"],
  identity: ["name"],
  resource: ["version"],
} as const satisfies Record<string, readonly string[]>;

export function proplistWord(props: readonly string[]): string {
  return `=.proplist=${props.join(",")}`;
}

/** The dynamic interface and simple queue RouterOS names after a PPPoE session (§3). */
export function pppoeInterface(user: string): string {
  return `<pppoe-${user}>`;
}
