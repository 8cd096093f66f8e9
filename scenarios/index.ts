/**
 * Loaders, the event log on disk and the CLI, for programs that drive Timoneiro from files.
 */
export * from "./loaders/yaml.js";
export * from "./loaders/kinds.js";
export * from "./loaders/manifests.js";
export * from "./loaders/scenario.js";
export * from "./log/files.js";
export { main } from "./cli/main.js";
