/**
 * `timoneiro completion bash|zsh`: a shell completion script, as `kubectl completion` prints one
 * (load it with `source <(timoneiro completion bash)`). The script is generated from the
 * program's own commands and options, so it cannot drift from them.
 */
import type { Command } from "commander";
import { InputError } from "./output.js";

/** Words to offer for a command's first argument, and for options that take a value. */
const FIRST_ARGUMENT: Readonly<Record<string, string>> = {
  get: "pods nodes events deployments replicasets replicationcontrollers statefulsets daemonsets jobs cronjobs priorityclasses poddisruptionbudgets services endpoints",
  describe: "pod node service deployment replicaset replicationcontroller statefulset daemonset job cronjob priorityclass poddisruptionbudget",
  completion: "bash zsh",
};
const OPTION_VALUES: Readonly<Record<string, string>> = {
  "--validate": "warn strict ignore",
  "-o": "text table wide json",
  "--output": "text table wide json",
  "--policy": "kube first-fit best-fit worst-fit",
  "--engine": "fast reference",
};
const FILE_OPTIONS = ["--log", "--config", "-f", "--filename"];
const FOLDER_OPTIONS = ["--out"];

function bashScript(program: Command): string {
  const commands = program.commands.map((command) => command.name());
  const flagsByCommand = program.commands.map((command) => {
    const flags = command.options.flatMap((option) => [option.short, option.long].filter((flag): flag is string => flag !== undefined));
    return `    ${command.name()}) flags="${[...flags, "--help"].join(" ")}" ;;`;
  });
  const firstArguments = Object.entries(FIRST_ARGUMENT).map(([command, words]) => `    ${command}) words="${words}" ;;`);
  const valueCases = Object.entries(OPTION_VALUES).map(([option, words]) => `    ${option}) COMPREPLY=( $(compgen -W "${words}" -- "$cur") ); return ;;`);
  return `# bash completion for timoneiro. Load it with: source <(timoneiro completion bash)
_timoneiro() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=( $(compgen -W "${commands.join(" ")} --help --version" -- "$cur") )
    return
  fi
  case "$prev" in
${valueCases.join("\n")}
    ${FILE_OPTIONS.join("|")}) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
    ${FOLDER_OPTIONS.join("|")}) COMPREPLY=( $(compgen -d -- "$cur") ); return ;;
  esac
  local flags="" words=""
  case "\${COMP_WORDS[1]}" in
${flagsByCommand.join("\n")}
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=( $(compgen -W "$flags" -- "$cur") )
  elif [[ $COMP_CWORD -eq 2 ]]; then
    case "\${COMP_WORDS[1]}" in
${firstArguments.join("\n")}
      run|replay) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
    esac
    COMPREPLY=( $(compgen -W "$words" -- "$cur") )
  fi
}
complete -o default -F _timoneiro timoneiro
`;
}

/** The completion script for `shell`. @throws InputError for a shell it does not support. */
export function completionScript(program: Command, shell: string): string {
  switch (shell) {
    case "bash":
      return bashScript(program);
    case "zsh":
      return `# zsh completion for timoneiro. Load it with: source <(timoneiro completion zsh)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashScript(program)}`;
    default:
      throw new InputError(`unsupported shell ${JSON.stringify(shell)}: use bash or zsh`);
  }
}
