// Seeded pseudo-random numbers (mulberry32). The same seed yields the same stream on every
// machine and Node version, which is what keeps the generated fixtures byte-identical.

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  uint32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick() from an empty list");
    return item;
  }

  /** Exponentially distributed, for Poisson-like request arrivals. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Lowercase hex digits, as OpenTelemetry writes trace and span ids. */
  hex(digits: number): string {
    let out = "";
    while (out.length < digits) out += this.uint32().toString(16).padStart(8, "0");
    return out.slice(0, digits);
  }

  /** A version-4 UUID, like the x-request-id a client library would send. */
  uuid(): string {
    const h = this.hex(32);
    const variant = "89ab"[this.int(0, 3)] ?? "8";
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
  }
}
