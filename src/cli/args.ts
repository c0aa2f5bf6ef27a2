/**
 * The argument parser: a pure function from argv to a typed command line or a usage error,
 * driven by the option table (`options.ts`). No process, no output, no exit: `main` does those.
 *
 * Rules (GNU getopt's, which ripgrep and hl users expect):
 * - options and inputs mix freely; `--` ends the options (what follows are inputs);
 * - `-` is an input (standard input);
 * - a value-taking option takes exactly one value, `--opt value` or `--opt=value` (`-n5`, `-n 5`),
 *   whatever the value looks like; an `array` option repeats; any other given twice: the last wins;
 * - a boolean is `--x`, `--no-x`, or `--x=true|false`;
 * - a bad value is echoed as typed, with what was expected.
 *
 * The parsed options' type is derived from the table: `choices` give a union of literals,
 * `default` makes an option always present, `parse` gives its return type.
 *
 * Receives: argv without the node and script paths. Emits: `ParsedArgs`.
 */
import {
  COMMANDS,
  COMMON_OPTIONS,
  type CommandSpec,
  commandSpec,
  type OptionSpec,
  OptionValueError,
} from "./options.js";

type Commands = typeof COMMANDS;
type CommonOptions = typeof COMMON_OPTIONS;

type ScalarOf<O> = O extends { readonly type: "boolean" }
  ? boolean
  : O extends { readonly type: "number" }
    ? number
    : O extends { readonly parse: (text: string) => infer T }
      ? T
      : O extends { readonly choices: readonly (infer C)[] }
        ? C
        : string;

type ValueOf<O> = O extends { readonly array: true } ? ScalarOf<O>[] : ScalarOf<O>;

type Present<O> = O extends { readonly default: unknown }
  ? true
  : O extends { readonly array: true }
    ? true
    : O extends { readonly type: "boolean" }
      ? true
      : false;

/** The values of a list of option specs, keyed by option name. */
export type OptionValues<L extends readonly OptionSpec[]> = {
  -readonly [O in L[number] as Present<O> extends true ? O["name"] : never]: ValueOf<O>;
} & {
  -readonly [O in L[number] as Present<O> extends true ? never : O["name"]]?: ValueOf<O>;
};

/** `<id>` words of a usage line. */
type Required<U extends string> = U extends `${string}<${infer P}>${infer R}`
  ? P | Required<R>
  : never;

type CommandLineOf<C extends Commands[number]> = {
  kind: "run";
  command: C["name"];
  options: OptionValues<CommonOptions> & OptionValues<C["options"]>;
  args: { [P in Required<C["usage"]>]: string };
  /** Inputs as given (none: standard input). */
  inputs: string[];
};

export type CommandLine = {
  [N in Commands[number]["name"]]: CommandLineOf<Extract<Commands[number], { name: N }>>;
}[Commands[number]["name"]];

export type CommandLineFor<N extends Commands[number]["name"]> = Extract<
  CommandLine,
  { command: N }
>;

export type ParsedArgs =
  | CommandLine
  | { kind: "help"; command: string | null }
  | { kind: "version" }
  | { kind: "usage"; message: string; command: string | null };

class Usage extends Error {}

function findOption(options: readonly OptionSpec[], token: string): OptionSpec | undefined {
  if (token.startsWith("--")) return options.find((o) => o.name === token.slice(2));
  return options.find((o) => o.alias === token.slice(1));
}

function describeExpected(o: OptionSpec): string {
  if (o.choices) return `one of ${o.choices.join(", ")}`;
  const whole = o.integer ? "a whole number" : "a number";
  if (o.min !== undefined && o.max !== undefined) return `${whole} from ${o.min} to ${o.max}`;
  if (o.min !== undefined) return `${whole} of at least ${o.min}`;
  if (o.max !== undefined) return `${whole} of at most ${o.max}`;
  return whole;
}

/** Converts one value as the option's spec says; throws `Usage` echoing the text as typed. */
export function convertValue(o: OptionSpec, text: string): unknown {
  const bad = (expected: string) => new Usage(`--${o.name} '${text}': expected ${expected}`);
  switch (o.type) {
    case "boolean":
      if (text === "true") return true;
      if (text === "false") return false;
      throw bad("true or false");
    case "number": {
      const n = /^\s*$/.test(text) ? Number.NaN : Number(text);
      const ok =
        Number.isFinite(n) &&
        (!o.integer || Number.isInteger(n)) &&
        (o.min === undefined || n >= o.min) &&
        (o.max === undefined || n <= o.max);
      if (!ok) throw bad(describeExpected(o));
      return n;
    }
    case "custom":
      try {
        return o.parse?.(text);
      } catch (err) {
        if (err instanceof OptionValueError) throw bad(err.message.replace(/^expected /, ""));
        throw err;
      }
    default:
      if (o.choices && !o.choices.includes(text)) throw bad(describeExpected(o));
      return text;
  }
}

function requiredWords(spec: CommandSpec): string[] {
  return [...spec.usage.matchAll(/<(\w+)>/g)].map((m) => m[1] as string);
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  let spec: CommandSpec | undefined;
  try {
    const values = new Map<string, unknown>();
    const positionals: string[] = [];
    let help = false;
    const options = (): readonly OptionSpec[] =>
      spec ? [...COMMON_OPTIONS, ...spec.options] : COMMON_OPTIONS;
    for (let i = 0; i < argv.length; i++) {
      const token = argv[i] as string;
      if (token === "--") {
        positionals.push(...argv.slice(i + 1));
        break;
      }
      if (token === "--help" || token === "-h") {
        help = true;
        continue;
      }
      if (token === "--version" || token === "-V") {
        return { kind: "version" };
      }
      if (token === "-" || !token.startsWith("-")) {
        if (spec === undefined) {
          spec = commandSpec(token);
          if (spec === undefined) throw new Usage(`unknown command '${token}'`);
        } else positionals.push(token);
        continue;
      }
      // --name=value, --no-name, -x, -xVALUE
      let name = token;
      let attached: string | undefined;
      if (token.startsWith("--")) {
        const eq = token.indexOf("=");
        if (eq > 0) {
          name = token.slice(0, eq);
          attached = token.slice(eq + 1);
        }
      } else if (token.length > 2) {
        name = token.slice(0, 2);
        attached = token.slice(2).replace(/^=/, "");
      }
      let option = findOption(options(), name);
      let negated = false;
      if (option === undefined && name.startsWith("--no-")) {
        const positive = findOption(options(), `--${name.slice(5)}`);
        if (positive?.type === "boolean" && attached === undefined) {
          option = positive;
          negated = true;
        }
      }
      if (option === undefined) {
        const elsewhere = spec === undefined ? undefined : otherCommandWith(name);
        throw new Usage(
          elsewhere
            ? `${name} is an option of '${elsewhere}', not of '${spec?.name}'`
            : `unknown option '${name}'`,
        );
      }
      let value: unknown;
      if (option.type === "boolean") {
        value = attached === undefined ? !negated : convertValue(option, attached);
      } else {
        let text = attached;
        if (text === undefined) {
          if (i + 1 >= argv.length) {
            throw new Usage(`--${option.name} needs a value (${option.placeholder ?? "value"})`);
          }
          text = argv[++i] as string;
        }
        value = convertValue(option, text);
      }
      if (option.array) {
        const list = (values.get(option.name) as unknown[] | undefined) ?? [];
        list.push(value);
        values.set(option.name, list);
      } else values.set(option.name, value);
    }
    if (help) return { kind: "help", command: spec?.name ?? null };
    if (spec === undefined) throw new Usage("a command is required");
    for (const o of options()) {
      if (values.has(o.name)) continue;
      if (o.array) values.set(o.name, []);
      else if (o.default !== undefined) values.set(o.name, o.default);
      else if (o.type === "boolean") values.set(o.name, false);
    }
    const args: Record<string, string> = {};
    for (const word of requiredWords(spec)) {
      const value = positionals.shift();
      if (value === undefined) throw new Usage(`'${spec.name}' needs <${word}>`);
      args[word] = value;
    }
    if (spec.noInputs && positionals.length > 0) {
      throw new Usage(`'${spec.name}' takes no inputs (got '${positionals[0]}')`);
    }
    return {
      kind: "run",
      command: spec.name,
      options: Object.fromEntries(values),
      args,
      inputs: positionals,
    } as CommandLine;
  } catch (err) {
    if (err instanceof Usage) {
      return { kind: "usage", message: err.message, command: spec?.name ?? null };
    }
    throw err;
  }
}

function otherCommandWith(name: string): string | undefined {
  return (COMMANDS as readonly CommandSpec[]).find((c) => findOption(c.options, name))?.name;
}
