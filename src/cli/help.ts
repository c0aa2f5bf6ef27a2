/**
 * `--help` text, laid out from the option table: usage, commands, options (with placeholders,
 * allowed values and defaults), notes and examples, wrapped to the terminal.
 *
 * Receives: a command name (or none) and a width. Emits: the text.
 */
import {
  COMMANDS,
  COMMON_OPTIONS,
  type CommandSpec,
  commandSpec,
  type OptionSpec,
  WHERE_GRAMMAR,
} from "./options.js";

const INPUTS =
  "Inputs: files (plain or gzip), - for stdin (the default when it is not a terminal), label=path " +
  "to name a source; -- ends the options. Large files are read with worker threads " +
  "(DYNLOG_THREADS=0 turns them off). Exit status: 0 ok, 1 nothing matched, an input could not " +
  "be read or a write failed, 2 usage error. See dynlog(1).";

function wrap(text: string, width: number, indent: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** Two columns: heads padded to the longest (up to a limit), texts wrapped beside them. */
function columns(rows: (readonly [string, string])[], width: number): string[] {
  const headWidth = Math.min(34, Math.max(...rows.map(([h]) => h.length)) + 2);
  const out: string[] = [];
  for (const [head, text] of rows) {
    const wrapped = wrap(text, width, headWidth + 2);
    const pad = " ".repeat(headWidth + 2);
    if (head.length + 2 > headWidth) {
      out.push(`  ${head}`);
      for (const l of wrapped) out.push(pad + l);
    } else {
      out.push(`  ${head.padEnd(headWidth)}${wrapped[0] ?? ""}`);
      for (const l of wrapped.slice(1)) out.push(pad + l);
    }
  }
  return out;
}

function optionRow(o: OptionSpec): [string, string] {
  const names = `${o.alias ? `-${o.alias}, ` : ""}--${o.name}`;
  const value =
    o.type === "boolean"
      ? ""
      : ` <${o.choices ? o.choices.join("|") : (o.placeholder ?? "value")}>`;
  const extras: string[] = [];
  if (o.array) extras.push("repeatable");
  if (o.default !== undefined && typeof o.default !== "object" && o.default !== false) {
    extras.push(`default: ${String(o.default)}`);
  }
  return [names + value, o.describe + (extras.length ? ` [${extras.join("; ")}]` : "")];
}

const GENERAL: [string, string][] = [
  ["-h, --help", "show help"],
  ["-V, --version", "show the version"],
];

export function helpText(command: string | null, width: number): string {
  const spec: CommandSpec | undefined = command === null ? undefined : commandSpec(command);
  const out: string[] = [];
  if (spec === undefined) {
    out.push("Usage: dynlog <command> [options] [inputs..]", "", "Commands:");
    out.push(
      ...columns(
        COMMANDS.map((c) => [`dynlog ${c.usage}`, c.summary] as const),
        width,
      ),
    );
  } else {
    out.push(`Usage: dynlog ${spec.usage.replace(/ |$/, " [options] ")}`.trimEnd(), "");
    out.push(...wrap(spec.summary, width, 0), "");
    if (spec.options.length > 0) {
      out.push("Options:", ...columns(spec.options.map(optionRow), width));
    }
  }
  if (spec?.noInputs !== true) {
    out.push("", "Options every command takes:", ...columns(COMMON_OPTIONS.map(optionRow), width));
    out.push("", ...WHERE_GRAMMAR.split("\n"));
  }
  out.push("", ...columns(GENERAL, width));
  if (spec?.notes) out.push("", ...wrap(spec.notes, width, 0));
  if (spec !== undefined && spec.examples.length > 0) {
    out.push("", "Examples:");
    for (const [cmd, text] of spec.examples) out.push(`  ${cmd}`, `      ${text}`);
  }
  out.push("", ...wrap(INPUTS, width, 0));
  return `${out.join("\n")}\n`;
}
