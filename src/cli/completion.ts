/**
 * `dynlog completion bash|zsh|fish`: a completion script made from the option table (commands,
 * each command's options, allowed values); inputs complete as files.
 *
 * Receives: a shell name. Emits: the script text.
 */
import { COMMANDS, COMMON_OPTIONS, type CommandSpec, type OptionSpec } from "./options.js";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

function optionsOf(c: CommandSpec): OptionSpec[] {
  return [...(c.noInputs ? [] : COMMON_OPTIONS), ...c.options];
}

function flags(o: OptionSpec): string[] {
  const names = [`--${o.name}`];
  if (o.type === "boolean") names.push(`--no-${o.name}`);
  if (o.alias) names.push(`-${o.alias}`);
  return names;
}

function bash(): string {
  const names = COMMANDS.map((c) => c.name).join(" ");
  const cases = COMMANDS.map((c) => {
    const words = [...optionsOf(c).flatMap(flags), "--help"].join(" ");
    return `    ${c.name}) opts="${words}" ;;`;
  });
  const choices = COMMANDS.flatMap(optionsOf)
    .filter((o) => o.choices)
    .map(
      (o) =>
        `    --${o.name}) COMPREPLY=($(compgen -W "${o.choices?.join(" ")}" -- "$cur")); return ;;`,
    );
  const unique = [...new Set(choices)];
  return `# dynlog completion for bash: source <(dynlog completion bash)
_dynlog() {
  local cur prev cmd opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${names} --help --version" -- "$cur")); return
  fi
  case "$prev" in
${unique.join("\n")}
  esac
  case "$cmd" in
${cases.join("\n")}
    completion) COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur")); return ;;
    *) opts="" ;;
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); return; fi
  COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _dynlog dynlog
`;
}

function zshQuote(text: string): string {
  return text.replace(/'/g, "'\\''").replace(/[[\]:]/g, "\\$&");
}

function zsh(): string {
  const commands = COMMANDS.map((c) => `'${c.name}:${zshQuote(c.summary)}'`).join(" ");
  const cases = COMMANDS.map((c) => {
    const specs = optionsOf(c).map((o) => {
      const value =
        o.type === "boolean" ? "" : o.choices ? `:value:(${o.choices.join(" ")})` : ":value:";
      const repeat = o.array ? "*" : "";
      return `'${repeat}--${o.name}[${zshQuote(o.describe)}]${value}'`;
    });
    const rest = c.name === "completion" ? "'1:shell:(bash zsh fish)'" : "'*:input:_files'";
    return `    ${c.name}) _arguments ${[...specs, rest].join(" ")} ;;`;
  });
  return `#compdef dynlog
# dynlog completion for zsh: dynlog completion zsh > "\${fpath[1]}/_dynlog"
_dynlog() {
  if (( CURRENT == 2 )); then
    local -a commands; commands=(${commands})
    _describe command commands; return
  fi
  local cmd=$words[2]
  shift words; (( CURRENT-- ))
  case $cmd in
${cases.join("\n")}
  esac
}
compdef _dynlog dynlog
`;
}

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function fish(): string {
  const lines = [
    "# dynlog completion for fish: dynlog completion fish > ~/.config/fish/completions/dynlog.fish",
    "complete -c dynlog -f",
  ];
  for (const c of COMMANDS as readonly CommandSpec[]) {
    lines.push(
      `complete -c dynlog -n __fish_use_subcommand -a ${c.name} -d ${fishQuote(c.summary)}`,
    );
    for (const o of optionsOf(c)) {
      const parts = [`complete -c dynlog -n '__fish_seen_subcommand_from ${c.name}' -l ${o.name}`];
      if (o.alias) parts.push(`-s ${o.alias}`);
      if (o.type !== "boolean") parts.push("-r");
      if (o.choices) parts.push(`-a ${fishQuote(o.choices.join(" "))}`);
      parts.push(`-d ${fishQuote(o.describe)}`);
      lines.push(parts.join(" "));
    }
    if (!c.noInputs) lines.push(`complete -c dynlog -n '__fish_seen_subcommand_from ${c.name}' -F`);
  }
  lines.push("complete -c dynlog -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'");
  return `${lines.join("\n")}\n`;
}

export function completionScript(shell: Shell): string {
  return shell === "bash" ? bash() : shell === "zsh" ? zsh() : fish();
}
