/**
 * Durations as people write them in Kubernetes (Go's `time.ParseDuration`: "90s", "1m30s",
 * "2h"), or a bare number of seconds. The engine's tick is one second, so a duration must be a
 * whole number of seconds.
 */

const PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
const UNIT_SECONDS: Readonly<Record<string, number>> = { h: 3600, m: 60, s: 1, ms: 0.001 };

/** Why a duration text was refused; the message says what is valid. */
export class DurationError extends Error {
  override readonly name = "DurationError";
  constructor(readonly text: string, reason: string) {
    super(`invalid duration ${JSON.stringify(text)}: ${reason}; write e.g. "90s", "1m30s", "2h" or a number of seconds`);
  }
}

/** Parses a duration to whole seconds. @throws DurationError */
export function parseDurationSeconds(text: string | number): number {
  if (typeof text === "number") {
    if (!Number.isInteger(text) || text < 0) throw new DurationError(String(text), "not a whole, non-negative number of seconds");
    return text;
  }
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    if (!Number.isSafeInteger(seconds)) throw new DurationError(text, "too large");
    return seconds;
  }
  if (text === "0") return 0;
  if (text.length === 0) throw new DurationError(text, "empty text");
  PART.lastIndex = 0;
  let milliseconds = 0;
  let consumed = 0;
  for (let match = PART.exec(text); match !== null; match = PART.exec(text)) {
    milliseconds += Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number) * 1000;
    consumed = PART.lastIndex;
  }
  if (consumed !== text.length) throw new DurationError(text, "not a duration");
  if (!Number.isSafeInteger(Math.round(milliseconds))) throw new DurationError(text, "too large");
  const rounded = Math.round(milliseconds);
  if (rounded % 1000 !== 0) throw new DurationError(text, "the tick is one second, so durations are whole seconds");
  return rounded / 1000;
}

/** Seconds → the short form kubectl prints: 0s, 45s, 2m, 2m30s, 1h5m, 3d4h. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (days > 0) return hours > 0 ? `${days}d${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h${minutes}m` : `${hours}h`;
  return rest > 0 ? `${minutes}m${rest}s` : `${minutes}m`;
}
