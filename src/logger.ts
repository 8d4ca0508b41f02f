import { pino, type Logger } from "pino";
import type { Config } from "./config.js";

export type { Logger };

/**
 * pino: JSON lines in production (journald, data/logs), readable in a terminal. Fields that could
 * carry a credential are redacted wherever they appear, as a second line of defence: the code never
 * logs keys or passwords on purpose.
 */
export function createLogger(config: Config["log"], destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.level,
    base: { service: "beholder" },
    redact: {
      paths: [
        "*.password",
        "*.token",
        "*.apiKey",
        "*.authorization",
        "*['x-api-key']",
        "req.headers.authorization",
        "req.headers['x-api-key']",
      ],
      censor: "[redacted]",
    },
  };
  if (destination) return pino(options, destination);
  if (config.format === "pretty") {
    return pino({ ...options, transport: { target: "pino-pretty", options: { colorize: true, translateTime: "SYS:HH:MM:ss.l" } } });
  }
  return pino(options);
}
