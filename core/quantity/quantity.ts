/**
 * Kubernetes resource quantities (`resource.Quantity` of k8s.io/apimachinery, v1.35), parsed
 * exactly with BigInt.
 *
 * Grammar (the one Kubernetes documents on `Quantity` and uses as its OpenAPI pattern):
 *
 *   quantity  ::= sign? number suffix?
 *   number    ::= digits | digits "." digits? | "." digits
 *   suffix    ::= binarySI | decimalSI | ("e" | "E") sign? digits
 *   binarySI  ::= "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei"          (powers of 1024)
 *   decimalSI ::= "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" (powers of 1000)
 *
 * Like Kubernetes, a parsed value keeps nano precision (10^-9): anything finer is rounded up,
 * away from zero ("if you want some resources, you should get some resources"), so every
 * quantity is an exact integer number of nano-units, which is what we store.
 *
 * Where apimachinery's hand-written parser is laxer than its own documented grammar — it reads
 * "Mi", "+" and "." as zero — we refuse the text: a request that silently becomes zero would
 * falsify a capacity answer. Kubernetes silently caps values above 2^63-1 units; we refuse them.
 */

/** How a quantity was written; the canonical form keeps the family (Kubernetes' `Format`). */
export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

/** An exact quantity: `nanos` × 10^-9 units. Plain data; compare with `===` on `nanos`. */
export interface Quantity {
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

/** Thrown for text that is not a Kubernetes quantity; the message quotes the text. */
export class QuantityError extends Error {
  override readonly name = "QuantityError";
  constructor(
    /** The text that failed to parse, exactly as given. */
    readonly text: string,
    /** Why, in a few words, e.g. "unknown suffix \"KB\"". */
    readonly reason: string,
  ) {
    super(`invalid quantity ${JSON.stringify(text)}: ${reason}; ${VALID_FORMS}`);
  }
}

const VALID_FORMS =
  'a quantity is a number with an optional suffix, e.g. "100m", "0.5", "128M", "2Gi", "1e3" ' +
  "(decimal suffixes n u m k M G T P E, binary suffixes Ki Mi Gi Ti Pi Ei)";

const NANOS_PER_UNIT = 1_000_000_000n;
/** Kubernetes stores at most 2^63-1 units. */
const MAX_UNITS = (1n << 63n) - 1n;
const MAX_NANOS = MAX_UNITS * NANOS_PER_UNIT;

const DECIMAL_EXPONENT: Readonly<Record<string, number>> = {
  n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18,
};
const BINARY_EXPONENT: Readonly<Record<string, number>> = {
  Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60,
};
const DECIMAL_SUFFIX_BY_EXPONENT: ReadonlyMap<number, string> = new Map(
  Object.entries(DECIMAL_EXPONENT).map(([suffix, exponent]) => [exponent, suffix]),
);
const BINARY_SUFFIXES = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"] as const;

const QUANTITY_PATTERN = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(.*)$/;
const EXPONENT_PATTERN = /^[eE]([+-]?\d+)$/;

/** Suggestions for suffixes people often write by mistake. */
const SUFFIX_HINTS: Readonly<Record<string, string>> = {
  K: 'did you mean "k" (1000) or "Ki" (1024)?',
  KB: 'did you mean "k" (1000) or "Ki" (1024)?',
  MB: 'did you mean "M" or "Mi"?',
  GB: 'did you mean "G" or "Gi"?',
  TB: 'did you mean "T" or "Ti"?',
  ki: 'did you mean "Ki"?',
  mi: 'did you mean "Mi"? ("m" is milli)',
  gi: 'did you mean "Gi"?',
  KiB: 'did you mean "Ki"?',
  MiB: 'did you mean "Mi"?',
  GiB: 'did you mean "Gi"?',
};

/**
 * Parses Kubernetes quantity text exactly.
 * @throws QuantityError for anything outside the grammar above or beyond 2^63-1 units.
 */
export function parseQuantity(text: string): Quantity {
  if (text.length === 0) throw new QuantityError(text, "empty text");
  const match = QUANTITY_PATTERN.exec(text);
  if (match === null) {
    throw new QuantityError(text, "it does not start with a number");
  }
  const [, sign = "", intDigits, fracAfterInt, fracOnly, suffix = ""] = match;
  const integerPart = intDigits ?? "";
  const fractionPart = fracAfterInt ?? fracOnly ?? "";

  let format: QuantityFormat;
  let exponent10 = 0;
  let exponent2 = 0;
  if (suffix in DECIMAL_EXPONENT) {
    format = "DecimalSI";
    exponent10 = DECIMAL_EXPONENT[suffix] as number;
  } else if (suffix in BINARY_EXPONENT) {
    format = "BinarySI";
    exponent2 = BINARY_EXPONENT[suffix] as number;
  } else {
    const exponentMatch = EXPONENT_PATTERN.exec(suffix);
    if (exponentMatch === null) {
      const hint = SUFFIX_HINTS[suffix];
      throw new QuantityError(text, `unknown suffix ${JSON.stringify(suffix)}` + (hint ? ` (${hint})` : ""));
    }
    format = "DecimalExponent";
    const parsedExponent = Number(exponentMatch[1]);
    if (!Number.isSafeInteger(parsedExponent) || Math.abs(parsedExponent) > 1_000_000) {
      throw new QuantityError(text, "exponent out of range");
    }
    exponent10 = parsedExponent;
  }

  // value = mantissa × 10^(exponent10 - fractionDigits) × 2^exponent2; nanos = value × 10^9.
  const mantissa = BigInt(integerPart + fractionPart || "0") << BigInt(exponent2);
  const nanos = scaleToNanos(mantissa, exponent10 - fractionPart.length + 9, text);
  if (nanos > MAX_NANOS) {
    throw new QuantityError(text, "value beyond 2^63-1 units, the largest quantity Kubernetes stores");
  }
  return { nanos: sign === "-" ? -nanos : nanos, format };
}

/** mantissa × 10^power10, rounded up (away from zero) to an integer; mantissa ≥ 0. */
function scaleToNanos(mantissa: bigint, power10: number, text: string): bigint {
  if (mantissa === 0n) return 0n;
  if (power10 >= 0) {
    // Anything with more than ~40 decimal digits is beyond the cap; don't build huge numbers.
    if (power10 > 64) throw new QuantityError(text, "value beyond 2^63-1 units, the largest quantity Kubernetes stores");
    return mantissa * 10n ** BigInt(power10);
  }
  const digits = mantissa.toString().length;
  if (-power10 > digits + 1) return 1n; // a positive value below one nano rounds up to 1n
  const divisor = 10n ** BigInt(-power10);
  return (mantissa + divisor - 1n) / divisor;
}

/** Quantity → integer units, rounded up like Kubernetes' `ScaledValue` for non-negative values. */
function ceilDiv(nanos: bigint, nanosPerUnit: bigint): bigint {
  return (nanos + nanosPerUnit - 1n) / nanosPerUnit;
}

function toSafeNumber(value: bigint, text: string, unit: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new QuantityError(text, `${value} ${unit} is beyond 2^53-1, the largest exact number Timoneiro computes with`);
  }
  return Number(value);
}

function nonNegative(text: string): Quantity {
  const quantity = parseQuantity(text);
  if (quantity.nanos < 0n) throw new QuantityError(text, "a resource amount must not be negative");
  return quantity;
}

/**
 * CPU text → integer millicores, rounded up like `Quantity.MilliValue()`.
 * Examples: "1" → 1000, "0.5" → 500, "100m" → 100, "0.0001" → 1, "1.5m" → 2.
 * @throws QuantityError for invalid or negative text, or a result beyond 2^53-1.
 */
export function cpuMillis(text: string): number {
  return toSafeNumber(ceilDiv(nonNegative(text).nanos, 1_000_000n), text, "millicores");
}

/**
 * Memory (or storage, or any count) text → integer units, rounded up like `Quantity.Value()`.
 * Examples: "128M" → 128000000, "1.5Gi" → 1610612736, "0.5" → 1.
 * @throws QuantityError for invalid or negative text, or a result beyond 2^53-1.
 */
export function memoryBytes(text: string): number {
  return toSafeNumber(ceilDiv(nonNegative(text).nanos, NANOS_PER_UNIT), text, "units");
}


/**
 * The canonical text of a quantity, as Kubernetes' `Quantity.String()` writes it.
 *
 * Decimal forms move every factor of ten into the exponent, then lower the exponent to a
 * multiple of three and pick its suffix: 1000 → "1k", 1500 → "1500", 0.1 → "100m",
 * 1.5 → "1500m". Binary forms divide by 1024 while exact: 1.5Gi → "1536Mi"; a binary value
 * below 1024 in magnitude or with a fraction is written in the decimal form ("0.5Ki" → "512").
 * Worked example: "1536Ki" = 1572864 = 1536 × 1024 → 1572864/1024 = 1536, not divisible again → "1536Ki".
 */
export function formatQuantity(quantity: Quantity): string {
  const { nanos } = quantity;
  if (nanos === 0n) return "0";
  if (quantity.format === "BinarySI") {
    const absolute = nanos < 0n ? -nanos : nanos;
    if (absolute >= 1024n * NANOS_PER_UNIT && absolute % NANOS_PER_UNIT === 0n) {
      let amount = nanos / NANOS_PER_UNIT;
      let power = 0;
      while (power < 6 && amount % 1024n === 0n) {
        amount /= 1024n;
        power += 1;
      }
      return `${amount}${BINARY_SUFFIXES[power]}`;
    }
    return formatDecimal(nanos, "DecimalSI");
  }
  return formatDecimal(nanos, quantity.format);
}

function formatDecimal(nanos: bigint, format: "DecimalSI" | "DecimalExponent"): string {
  let amount = nanos;
  let exponent = -9;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exponent += 1;
  }
  while (((exponent % 3) + 3) % 3 !== 0) {
    amount *= 10n;
    exponent -= 1;
  }
  if (format === "DecimalExponent") return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
  while (exponent > 18) {
    amount *= 1000n;
    exponent -= 3;
  }
  return `${amount}${DECIMAL_SUFFIX_BY_EXPONENT.get(exponent) ?? ""}`;
}

/** Formats integer millicores as the shortest canonical CPU text: 500 → "500m", 2000 → "2". */
export function formatCpuMillis(millis: number): string {
  return formatQuantity({ nanos: BigInt(millis) * 1_000_000n, format: "DecimalSI" });
}

/**
 * Formats a byte count for people: the shorter of its canonical binary and decimal forms, binary
 * on a tie. 268435456 → "256Mi", 256000000 → "256M" (not "250000Ki"), 1024 → "1Ki".
 */
export function formatBytes(bytes: number): string {
  const nanos = BigInt(bytes) * NANOS_PER_UNIT;
  const binary = formatQuantity({ nanos, format: "BinarySI" });
  const decimal = formatQuantity({ nanos, format: "DecimalSI" });
  return decimal.length < binary.length ? decimal : binary;
}
