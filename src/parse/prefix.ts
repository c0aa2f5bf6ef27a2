/**
 * Launcher prefixes: what `srun --label` (`0: `), `docker compose logs` (`frontend-1  | `) and
 * `kubectl logs --prefix` (`[pod/frontend-7d9/main] `) put before each line. The prefix names the
 * process that wrote the line, so it becomes the record's source label.
 *
 * A prefix-like start of an arbitrary line ("10: retrying") must not be mistaken for a launcher,
 * so a style is trusted only once it has been seen in front of a record (`{` or a timestamp); from
 * then on the same style is also stripped from that input's other lines (tracebacks, prints).
 * Several styles may meet in one input (logs of two launchers concatenated): each is trusted once
 * it has been seen in front of a record.
 *
 * Receives: a line. Emits: the prefix length and label, or nothing.
 */

export type PrefixStyle = "srun" | "compose" | "kubectl";

export interface PrefixMatch {
  style: PrefixStyle;
  /** Length of the prefix including its separator. */
  length: number;
  label: string;
}

const SRUN = /^(\d{1,6}): /;
const COMPOSE = /^([A-Za-z0-9][\w.-]*) *\| ?/;
const KUBECTL = /^\[((?:pod|deployment|job|statefulset|daemonset)\/[^\]\s]+)\] /;

function matchStyle(line: string): PrefixMatch | null {
  const first = line.charCodeAt(0);
  if (first === 91 /* [ */) {
    const m = KUBECTL.exec(line);
    return m ? { style: "kubectl", length: m[0].length, label: m[1] as string } : null;
  }
  if (first >= 48 && first <= 57) {
    const m = SRUN.exec(line);
    if (m) return { style: "srun", length: m[0].length, label: m[1] as string };
  }
  const m = COMPOSE.exec(line);
  if (m === null || !m[0].includes("|")) return null;
  return { style: "compose", length: m[0].length, label: m[1] as string };
}

/** Whether the text after a prefix starts like a record: a JSON object or an RFC 3339 time. */
export function looksLikeRecordStart(line: string, at: number): boolean {
  const c = line.charCodeAt(at);
  if (c === 123 /* { */) return true;
  if (c === 27 /* ESC: a coloured readable line */) return true;
  return (
    line.length >= at + 11 &&
    line.charCodeAt(at + 4) === 45 &&
    line.charCodeAt(at + 7) === 45 &&
    c >= 48 &&
    c <= 57
  );
}

/** Per-input memory of which prefix styles have been confirmed in front of a record. */
export class PrefixDetector {
  private readonly confirmed = new Set<PrefixStyle>();

  /** Whether a prefix style has been seen in front of a record (later lines are read by it). */
  get styleKnown(): boolean {
    return this.confirmed.size > 0;
  }

  /** Returns the launcher prefix of `line`, if it has one this input is known to use. */
  detect(line: string): PrefixMatch | null {
    const c = line.charCodeAt(0);
    // Fast exit: lines that start a record directly never carry a prefix.
    if (c === 123 || c === 27 || Number.isNaN(c)) return null;
    const m = matchStyle(line);
    if (m === null) return null;
    if (this.confirmed.has(m.style)) return m;
    if (looksLikeRecordStart(line, m.length)) {
      this.confirmed.add(m.style);
      return m;
    }
    return null;
  }
}
