/**
 * What `-f` names, as kubectl reads it: a file, or a folder whose `.yaml`, `.yml` and `.json`
 * files are read in sorted order (sub-folders too with `-R`, kubectl's `--recursive`).
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The extensions kubectl reads from a folder (kubectl's FileExtensions). */
export const MANIFEST_EXTENSIONS = [".json", ".yaml", ".yml"] as const;

export class ManifestPathError extends Error {
  override readonly name = "ManifestPathError";
}

/**
 * The files `-f` arguments name, in order: each file as given, each folder's manifest files
 * sorted by name (depth first with `recursive`). @throws ManifestPathError for a path that does
 * not exist or cannot be read, saying which.
 */
export function manifestFiles(paths: readonly string[], recursive: boolean): string[] {
  return paths.flatMap((path) => {
    let isFolder: boolean;
    try {
      isFolder = statSync(path).isDirectory();
    } catch (error) {
      throw new ManifestPathError(`cannot read ${path}: ${describeError(error)}`);
    }
    return isFolder ? folderFiles(path, recursive) : [path];
  });
}

function folderFiles(folder: string, recursive: boolean): string[] {
  let names: string[];
  try {
    names = readdirSync(folder).sort();
  } catch (error) {
    throw new ManifestPathError(`cannot read the folder ${folder}: ${describeError(error)}`);
  }
  return names.flatMap((name) => {
    const path = join(folder, name);
    let isFolder = false;
    try {
      isFolder = statSync(path).isDirectory();
    } catch {
      return []; // a dangling link: kubectl skips it too
    }
    if (isFolder) return recursive ? folderFiles(path, true) : [];
    return MANIFEST_EXTENSIONS.some((extension) => name.endsWith(extension)) ? [path] : [];
  });
}

/** A file system error in a person's words. */
export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT": return "no such file or folder";
    case "EACCES": case "EPERM": return "permission denied";
    case "EISDIR": return "it is a folder";
    case "ENOTDIR": return "a part of the path is not a folder";
    default: return code ?? String(error);
  }
}
