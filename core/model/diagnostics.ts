/**
 * Problems found in user input, named by field path so a loader can point at the file and line.
 */

/** A field path: `["spec", "containers", 0, "resources"]` is `spec.containers[0].resources`. */
export type FieldPath = readonly (string | number)[];

export interface Diagnostic {
  /** `error` refuses the object; `warning` is reported and the object is used. */
  readonly severity: "error" | "warning";
  readonly path: FieldPath;
  readonly message: string;
  /** Set on unknown-field warnings, which kubectl's `--validate` mode may promote or drop. */
  readonly unknownField?: true;
}

/** `spec.containers[0].resources.requests["nvidia.com/gpu"]` */
export function formatPath(path: FieldPath): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** Collects diagnostics while one object is read. */
export class DiagnosticList {
  readonly items: Diagnostic[] = [];

  error(path: FieldPath, message: string): void {
    this.items.push({ severity: "error", path, message });
  }

  warning(path: FieldPath, message: string): void {
    this.items.push({ severity: "warning", path, message });
  }

  unknownField(path: FieldPath, message: string): void {
    this.items.push({ severity: "warning", path, message, unknownField: true });
  }

  get hasErrors(): boolean {
    return this.items.some((item) => item.severity === "error");
  }
}

/** The closest candidate within edit distance 2 (or a case-insensitive match), for "did you mean". */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] as number;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] as number;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(above + 1, (previous[j - 1] as number) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length] as number;
}
