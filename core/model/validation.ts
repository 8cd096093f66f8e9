/**
 * The API server's shared validation rules and messages (apimachinery v0.35.0: util/validation,
 * api/validate/content, apis/meta/v1/validation), rendered as `field.Error`s render their body:
 * `Invalid value: -1: must be greater than or equal to 0`, `Required value`, `Unsupported value:
 * "Foo": supported values: "A", "B"`, `Forbidden: …`. Names, labels and label selectors.
 */
import type { DiagnosticList, FieldPath } from "./diagnostics.js";

/**
 * A value as `field.Invalid` prints it (v1.34+): numbers and booleans plainly, strings quoted,
 * anything else as JSON (`{"app":"web"}`, `{}`).
 */
export function renderValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value) ?? "null";
}

export const invalid = (value: unknown, detail: string): string => `Invalid value: ${renderValue(value)}: ${detail}`;
export const required = (detail?: string): string => (detail === undefined ? "Required value" : `Required value: ${detail}`);
export const forbidden = (detail: string): string => `Forbidden: ${detail}`;
export const unsupported = (value: unknown, supported: readonly string[]): string =>
  `Unsupported value: ${renderValue(value)}: supported values: ${supported.map((item) => JSON.stringify(item)).join(", ")}`;

/** `ValidateNonnegativeField`'s message. */
export const IS_NEGATIVE = "must be greater than or equal to 0";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

// The regexes' messages, as RegexError writes them (note the double space before "or").
const DNS1123_LABEL_MESSAGE = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_MESSAGE = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_LABEL_MESSAGE = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MESSAGE = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_KEY_MESSAGE = "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
const LABEL_VALUE_MESSAGE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const PERCENT_MESSAGE = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** `IsDNS1123Label`. */
export function dns1123LabelErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push("must be no more than 63 characters");
  if (!DNS1123_LABEL.test(value)) errors.push(DNS1123_SUBDOMAIN.test(value) ? "must not contain dots" : DNS1123_LABEL_MESSAGE);
  return errors;
}

/** `IsDNS1123Subdomain`. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 253) errors.push("must be no more than 253 characters");
  if (!DNS1123_SUBDOMAIN.test(value)) errors.push(DNS1123_SUBDOMAIN_MESSAGE);
  return errors;
}

/** `IsDNS1035Label` (Service names). */
export function dns1035LabelErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push("must be no more than 63 characters");
  if (!DNS1035_LABEL.test(value)) errors.push(DNS1035_LABEL_MESSAGE);
  return errors;
}

/** `content.IsLabelKey` (a qualified name), v0.35.0's wording ("bytes"). */
export function labelKeyErrors(key: string): string[] {
  const parts = key.split("/");
  let name: string;
  const errors: string[] = [];
  if (parts.length === 1) name = parts[0] as string;
  else if (parts.length === 2) {
    const prefix = parts[0] as string;
    name = parts[1] as string;
    if (prefix.length === 0) errors.push("prefix part must be non-empty");
    else {
      if (prefix.length > 253) errors.push("prefix part must be no more than 253 bytes");
      if (!DNS1123_SUBDOMAIN.test(prefix)) errors.push(`prefix part ${DNS1123_SUBDOMAIN_MESSAGE}`);
    }
  } else {
    return [LABEL_KEY_MESSAGE];
  }
  if (name.length === 0) errors.push("name part must be non-empty");
  else if (name.length > 63) errors.push("name part must be no more than 63 bytes");
  // kube checks the pattern even on an empty name part (IsQualifiedName): both messages.
  if (!QUALIFIED_NAME.test(name)) errors.push(NAME_PART_MESSAGE);
  return errors;
}

/** `content.IsLabelValue`. */
export function labelValueErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push("must be no more than 63 bytes");
  if (!LABEL_VALUE.test(value)) errors.push(LABEL_VALUE_MESSAGE);
  return errors;
}

/** Labels (`ValidateLabels`): errors at the map's own path, as kube reports them. */
export function checkLabels(value: unknown, path: FieldPath, out: DiagnosticList): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "object" || Array.isArray(value)) {
    out.error(path, invalid(value, "must be a map of string keys to string values"));
    return;
  }
  for (const [key, labelValue] of Object.entries(value as Record<string, unknown>)) {
    for (const message of labelKeyErrors(key)) out.error(path, invalid(key, message));
    if (typeof labelValue !== "string") out.error(path, invalid(labelValue, "label values must be strings"));
    else for (const message of labelValueErrors(labelValue)) out.error(path, invalid(labelValue, message));
  }
}

/** An int-or-string such as `maxSurge`: a whole number ≥ 0 or a percent `N%`; the number or percent, or undefined if invalid. */
export function checkIntOrPercent(value: unknown, path: FieldPath, out: DiagnosticList): { amount: number; percent: boolean } | undefined {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) {
      out.error(path, invalid(value, "must be an integer or a percent string"));
      return undefined;
    }
    if (value < 0) {
      out.error(path, invalid(value, IS_NEGATIVE));
      return undefined;
    }
    return { amount: value, percent: false };
  }
  if (typeof value === "string") {
    if (!/^[0-9]+%$/.test(value)) {
      out.error(path, invalid(value, PERCENT_MESSAGE));
      return undefined;
    }
    return { amount: Number(value.slice(0, -1)), percent: true };
  }
  out.error(path, invalid(value, "must be an integer or a percent string"));
  return undefined;
}

const SELECTOR_OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"];

/**
 * `ValidateLabelSelector` and `LabelSelectorAsSelector`: the selector's syntax. Returns a matcher
 * for label sets, or undefined when the selector is absent or invalid.
 */
export function checkLabelSelector(value: unknown, path: FieldPath, out: DiagnosticList): ((labels: Readonly<Record<string, string>>) => boolean) | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    out.error(path, invalid(value, "must be a label selector: {matchLabels, matchExpressions}"));
    return undefined;
  }
  const selector = value as Record<string, unknown>;
  const before = out.items.length;
  checkLabels(selector["matchLabels"], [...path, "matchLabels"], out);
  const expressions = Array.isArray(selector["matchExpressions"]) ? selector["matchExpressions"] as unknown[] : [];
  const tests: ((labels: Readonly<Record<string, string>>) => boolean)[] = [];
  expressions.forEach((item, index) => {
    const itemPath = [...path, "matchExpressions", index];
    const expression = (typeof item === "object" && item !== null ? item : {}) as Record<string, unknown>;
    const key = typeof expression["key"] === "string" ? expression["key"] : "";
    const operator = expression["operator"];
    const values = Array.isArray(expression["values"]) ? (expression["values"] as unknown[]).map(String) : [];
    for (const message of labelKeyErrors(key)) out.error([...itemPath, "key"], invalid(key, message));
    if (operator === "In" || operator === "NotIn") {
      if (values.length === 0) out.error([...itemPath, "values"], required("must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (operator === "Exists" || operator === "DoesNotExist") {
      if (values.length > 0) out.error([...itemPath, "values"], forbidden("may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      out.error([...itemPath, "operator"], invalid(operator, "not a valid selector operator"));
    }
    values.forEach((text, valueIndex) => {
      for (const message of labelValueErrors(text)) out.error([...itemPath, "values", valueIndex], invalid(text, message));
    });
    if (SELECTOR_OPERATORS.includes(operator as string)) {
      tests.push((labels) => {
        const present = Object.hasOwn(labels, key);
        switch (operator) {
          case "In": return present && values.includes(labels[key] as string);
          case "NotIn": return !present || !values.includes(labels[key] as string);
          case "Exists": return present;
          default: return !present;
        }
      });
    }
  });
  if (out.items.length > before) return undefined;
  const matchLabels = (selector["matchLabels"] ?? {}) as Record<string, string>;
  return (labels) => Object.entries(matchLabels).every(([key, wanted]) => labels[key] === wanted) && tests.every((test) => test(labels));
}

/** Whether a selector has neither matchLabels nor matchExpressions (kube: "empty", selects everything). */
export function isEmptySelector(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const selector = value as Record<string, unknown>;
  const labels = selector["matchLabels"];
  const expressions = selector["matchExpressions"];
  return (labels === undefined || labels === null || Object.keys(labels as object).length === 0) &&
    (!Array.isArray(expressions) || expressions.length === 0);
}
