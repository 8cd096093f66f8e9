/**
 * A strategic merge patch, as `kubectl patch` sends it by default and the API server applies it
 * (k8s.io/apimachinery pkg/util/strategicpatch, v1.35), for the objects simulated here:
 *
 * - maps merge key by key; a key set to `null` is removed; `$patch: replace` replaces the map,
 *   `$patch: delete` empties it;
 * - lists whose field has a merge key (the `patchMergeKey` tags of k8s.io/api core/v1 and apps/v1,
 *   table below) merge element by element on that key: a matching element is merged, a new one
 *   added (in the patch's order, the rest after), `{$patch: delete, <key>: v}` removes it, a
 *   `{$patch: replace}` element replaces the list with the other elements;
 * - `finalizers` (a set of strings) is unioned;
 * - every other list is replaced whole (tolerations, command, args, affinity terms …);
 * - `retainKeys` fields (a volume's source, a Deployment's strategy): keys the patch does not
 *   keep are cleared when it sets another (`strategy: {type: Recreate}` drops `rollingUpdate`).
 *
 * Lists are recognised by their field's name, which in these kinds is unambiguous.
 */

/** patchMergeKey by list field name (core/v1 PodSpec, Container; meta/v1). */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  volumes: "name",
  imagePullSecrets: "name",
  hostAliases: "ip",
  topologySpreadConstraints: "topologyKey",
  schedulingGates: "name",
  resourceClaims: "name",
  ports: "containerPort",
  env: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  ownerReferences: "uid",
  conditions: "type",
};

/** Fields whose union-type members are replaced, not merged, when the patch names another (`retainKeys`). */
const RETAIN_KEYS = new Set(["strategy"]);
const RETAIN_KEYS_ITEMS = new Set(["volumes", "resourceClaims"]);

export class PatchError extends Error {
  override readonly name = "PatchError";
}

type Json = unknown;
type JsonMap = Record<string, unknown>;

function isMap(value: Json): value is JsonMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The object after the patch; the original is not changed. */
export function strategicMerge(original: Json, patch: Json): Json {
  return mergeValue(original, patch, undefined);
}

function mergeValue(original: Json, patch: Json, field: string | undefined): Json {
  if (isMap(patch)) {
    if (!isMap(original)) return stripDirectives(patch);
    return mergeMap(original, patch, field !== undefined && RETAIN_KEYS.has(field));
  }
  if (Array.isArray(patch)) {
    if (field === undefined || !Array.isArray(original)) return stripDirectivesList(patch);
    if (field === "finalizers") return [...new Set([...(original as unknown[]), ...patch])];
    const key = MERGE_KEYS[field];
    if (key === undefined) return stripDirectivesList(patch);
    return mergeList(original, patch, key, field);
  }
  return patch;
}

function mergeMap(original: JsonMap, patch: JsonMap, retainKeys: boolean): JsonMap {
  const directive = patch["$patch"];
  if (directive === "replace") return stripDirectives(patch) as JsonMap;
  if (directive === "delete") return {};
  if (directive !== undefined && directive !== "merge") throw new PatchError(`unknown patch directive ${JSON.stringify(directive)} (valid: replace, merge, delete)`);
  const out: JsonMap = {};
  const patchKeys = Object.keys(patch).filter((key) => !key.startsWith("$"));
  // retainKeys: a union (strategy) keeps only what the patch names when it changes the type.
  const base = retainKeys && patch["type"] !== undefined && patch["type"] !== original["type"] ? {} : original;
  for (const [key, value] of Object.entries(base)) out[key] = value;
  for (const key of patchKeys) {
    const value = patch[key];
    if (value === null) delete out[key];
    else out[key] = mergeValue(out[key], value, key);
  }
  return out;
}

function mergeList(original: unknown[], patch: unknown[], key: string, field: string): unknown[] {
  if (patch.some((item) => isMap(item) && item["$patch"] === "replace")) {
    return stripDirectivesList(patch.filter((item) => !(isMap(item) && item["$patch"] === "replace")));
  }
  const result = [...original];
  const patched: unknown[] = [];
  for (const item of patch) {
    if (!isMap(item)) {
      patched.push(item);
      continue;
    }
    const directive = item["$patch"];
    if (directive === "merge") throw new PatchError("merging lists cannot yet be specified in the patch");
    if (!Object.hasOwn(item, key)) throw new PatchError(`map: ${JSON.stringify(stripDirectives(item))} does not contain declared merge key: ${key}`);
    const wanted = item[key];
    const index = result.findIndex((entry) => isMap(entry) && entry[key] === wanted);
    if (directive === "delete") {
      for (let at = result.length - 1; at >= 0; at--) {
        const entry = result[at];
        if (isMap(entry) && entry[key] === wanted) result.splice(at, 1);
      }
      continue;
    }
    if (index >= 0) {
      const entry = result[index] as JsonMap;
      result.splice(index, 1);
      // retainKeys on a volume: the source the patch names replaces the one it had.
      patched.push(RETAIN_KEYS_ITEMS.has(field) ? mergeMap(retainVolume(entry, item), item, false) : mergeMap(entry, item, false));
    } else {
      patched.push(stripDirectives(item));
    }
  }
  // The patch's elements in its order, then the others as they were (normalizeElementOrder).
  return [...patched, ...result];
}

function retainVolume(entry: JsonMap, item: JsonMap): JsonMap {
  const sourceKeys = Object.keys(item).filter((name) => name !== "name" && !name.startsWith("$"));
  if (sourceKeys.length === 0) return entry;
  const kept: JsonMap = { name: entry["name"] };
  for (const name of sourceKeys) if (Object.hasOwn(entry, name)) kept[name] = entry[name];
  return kept;
}

function stripDirectives(value: Json): Json {
  if (Array.isArray(value)) return stripDirectivesList(value);
  if (!isMap(value)) return value;
  const out: JsonMap = {};
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith("$")) continue;
    if (item === null) continue;
    out[key] = stripDirectives(item);
  }
  return out;
}

function stripDirectivesList(list: unknown[]): unknown[] {
  return list.filter((item) => !(isMap(item) && item["$patch"] === "delete")).map(stripDirectives);
}
