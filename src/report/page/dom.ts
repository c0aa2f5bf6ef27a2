/**
 * Building the page's elements. Text from the logs is only ever set as text (`textContent`,
 * `title`); nothing here writes markup, so a message holding `<img onerror=…>` shows as written.
 */

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = "",
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className !== "") node.className = className;
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return node;
}

/** Replaces an element's children. */
export function fill(node: Element, ...children: Child[]): void {
  node.replaceChildren();
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
}

/** Okabe–Ito colours (safe for colour-blind readers), vermillion kept for errors. */
const SERVICE_COLOURS = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#F0E442",
  "#999999",
];

export function serviceColour(index: number): string {
  return SERVICE_COLOURS[
    ((index % SERVICE_COLOURS.length) + SERVICE_COLOURS.length) % SERVICE_COLOURS.length
  ] as string;
}

/** `2025-10-31 13:52:10.706` (UTC) from microseconds since the epoch. */
export function formatTime(us: number): string {
  if (!Number.isFinite(us)) return "—";
  const iso = new Date(Math.floor(us / 1000)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** `250ms`, `1.5s`, `300us`, `2m`, or a bare number of milliseconds; null when unreadable. */
export function parseDurationUs(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m)?\s*$/.exec(text);
  if (m === null) return null;
  const n = Number(m[1]);
  const unit = m[2] ?? "ms";
  const scale = unit === "s" ? 1e6 : unit === "m" ? 6e7 : unit === "ms" ? 1e3 : 1;
  return n * scale;
}
