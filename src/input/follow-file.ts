/**
 * Follows one file like `tail -F`: reads what is appended, and keeps following the *name* across
 * rotation (renamed away, a new file created under the name: the old file is drained first, so
 * its last lines are not lost), truncation (copytruncate: read again from the start), a file that
 * does not exist yet, and deletion (reported once; following resumes when the name reappears).
 *
 * Rapid rotation: when the name designates a new file, generations rotated away before they were
 * ever opened (`mv app.log app.log.2` twice between two looks) are found beside the name (files
 * named `app.log.*`, `app.log-*`, `app.log_*`, not compressed), told apart by inode from the
 * files already read and from the older generations there when following began, and drained
 * oldest first (by birth time, then modification and change time, then inode number) before the
 * new file.
 *
 * Changes are noticed through `fs.watch` on the file's directory (prompt) and a slow `stat` poll
 * (a safety net for file systems without notifications); there is no busy loop, so following
 * quiet files costs almost nothing.
 *
 * Reading keeps pace with the consumer: a chunk is read only once the one before it has been
 * taken (`data` resolved), so a slow reader of the output holds the follower, not memory.
 *
 * Receives: a path and where to start. Emits: byte chunks, and "switched" when a new file
 * replaced the old one (the caller ends the old file's partial line).
 */
import { type FSWatcher, watch } from "node:fs";
import { type FileHandle, open, readdir, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

const READ_SIZE = 256 * 1024;
const POLL_MS = 1000;

export interface FollowEvents {
  /** The next chunk (valid during the call); the next is read once the returned promise settles. */
  data(chunk: Buffer): void | Promise<void>;
  /** The followed name now designates a new file (rotation or truncation). */
  switched(): void;
  /** A notice for the user (missing, deleted, reappeared). */
  notice(message: string): void;
}

interface Opened {
  handle: FileHandle;
  ino: number;
  dev: number;
  position: number;
  /** The last bytes read (up to SIGNATURE), to notice a truncation already refilled past them. */
  signature: Buffer;
}

const SIGNATURE = 64;

/** A file beside the followed name, as a rotation leaves it. */
interface Sibling {
  path: string;
  key: string;
  birthtimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
}

/** Compressed generations hold other bytes than the log: never read as it. */
const COMPRESSED = /\.(?:gz|bz2|xz|zst|lz4|z|zip)$/i;

function fileKey(dev: number | bigint, ino: number | bigint): string {
  return `${dev}:${ino}`;
}

function olderFirst(a: Sibling, b: Sibling): number {
  const by = (x: bigint, y: bigint) => (x < y ? -1 : x > y ? 1 : 0);
  return (
    by(a.birthtimeNs, b.birthtimeNs) ||
    by(a.mtimeNs, b.mtimeNs) ||
    by(a.ctimeNs, b.ctimeNs) ||
    by(a.ino, b.ino)
  );
}

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

export class FileFollower {
  private current: Opened | null = null;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private again = false;
  private stopped = false;
  private missingReported = false;
  private failed = false;
  /** Files read, or found beside the name when following began (`dev:ino`): not generations to drain. */
  private readonly known = new Set<string>();
  /** A file was followed under the name before: a new one there may follow lost generations. */
  private readBefore = false;

  constructor(
    private readonly path: string,
    private readonly events: FollowEvents,
  ) {}

  /**
   * Starts following. `from` is the file already read up to `position` (its handle passes to the
   * follower, so a rotation between that read and this call is seen as one, not mistaken for a
   * truncation of the new file); null when the file was missing then.
   */
  async start(from: { handle: FileHandle; position: number } | null): Promise<void> {
    if (from !== null) {
      const info = await from.handle.stat();
      this.current = {
        handle: from.handle,
        ino: info.ino,
        dev: info.dev,
        position: from.position,
        signature: Buffer.alloc(0),
      };
      await this.remember(this.current);
      this.known.add(fileKey(info.dev, info.ino));
      this.readBefore = true;
    } else if (!(await statOrNull(this.path))?.isFile()) {
      this.events.notice("no such file or directory (waiting for it to appear)");
      this.missingReported = true;
    }
    await this.rememberOlderSiblings(from?.handle ?? null);
    this.watchDirectory();
    this.timer = setInterval(() => this.check(), POLL_MS);
    await this.check();
  }

  private watchDirectory(): void {
    try {
      const name = basename(this.path);
      this.watcher = watch(dirname(this.path), (_event, file) => {
        if (file === null || file === name) void this.check();
      });
      this.watcher.on("error", () => {
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      this.watcher = null;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    if (this.timer !== null) clearInterval(this.timer);
    await this.current?.handle.close();
    this.current = null;
  }

  /** Runs one check at a time; a change noticed meanwhile triggers one more round. */
  async check(): Promise<void> {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.again = false;
        try {
          await this.checkOnce();
        } catch (err) {
          // The name can vanish between stat and open (rotation, deletion): the next change or
          // poll looks again. Anything else is said once.
          const code = (err as NodeJS.ErrnoException).code;
          if (code !== "ENOENT" && !this.failed && !this.stopped) {
            this.failed = true;
            this.events.notice(`cannot read: ${(err as Error).message}`);
          }
        }
      } while (this.again && !this.stopped);
    } finally {
      this.busy = false;
    }
  }

  private async checkOnce(): Promise<void> {
    if (this.stopped) return;
    const info = await statOrNull(this.path);
    const cur = this.current;
    if (info === null || !info.isFile()) {
      if (cur !== null) await this.drain(cur);
      if (!this.missingReported) {
        this.events.notice("deleted or moved away (waiting for it to come back)");
        this.missingReported = true;
      }
      return;
    }
    if (cur !== null && info.ino === cur.ino && info.dev === cur.dev) {
      if (info.size < cur.position || !(await this.stillThere(cur))) {
        this.events.notice("truncated; reading from the start");
        cur.position = 0;
        cur.signature = Buffer.alloc(0);
        this.events.switched();
      }
      await this.drain(cur);
      return;
    }
    // A new file under the name: finish the old one, then read the new one from its start.
    if (cur !== null) {
      await this.drain(cur);
      // Forget the old handle before opening the new file: if that open loses a race with the
      // writer (ENOENT), the next check must start afresh, not drain a closed handle forever.
      this.current = null;
      await cur.handle.close();
      this.events.switched();
    }
    // What the name designates now: draining the old file may have taken a while, during which
    // more rotations can have happened, so the stat above may be stale.
    const handle = await open(this.path, "r");
    const opened = await handle.stat();
    const key = fileKey(opened.dev, opened.ino);
    // Generations that came and went since the file read last (also while the name was missing).
    if (this.readBefore) {
      try {
        await this.drainRotatedAway(key);
      } catch (err) {
        await handle.close();
        throw err;
      }
    }
    if (this.missingReported) this.events.notice("appeared; following it");
    this.missingReported = false;
    this.known.add(key);
    this.readBefore = true;
    this.current = {
      handle,
      ino: opened.ino,
      dev: opened.dev,
      position: 0,
      signature: Buffer.alloc(0),
    };
    await this.drain(this.current);
  }

  /**
   * Siblings there when following begins are old generations, not to be read; except those born
   * after the file already being read (`from`): rotated away between the first read and now.
   * Without birth times (some file systems), every sibling there now counts as old.
   */
  private async rememberOlderSiblings(from: FileHandle | null): Promise<void> {
    const ours = from === null ? null : await from.stat({ bigint: true });
    const born = ours !== null && ours.birthtimeNs > 0n;
    for (const sibling of await this.siblings()) {
      const newer =
        born &&
        ours !== null &&
        (sibling.birthtimeNs > ours.birthtimeNs ||
          (sibling.birthtimeNs === ours.birthtimeNs && sibling.ino > ours.ino));
      if (!newer) this.known.add(sibling.key);
    }
  }

  /** Files beside the name that a rotation may have made of it. */
  private async siblings(): Promise<Sibling[]> {
    const dir = dirname(this.path);
    const name = basename(this.path);
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch {
      return [];
    }
    const found: Sibling[] = [];
    for (const entry of entries) {
      const separator = entry[name.length];
      if (
        !entry.startsWith(name) ||
        (separator !== "." && separator !== "-" && separator !== "_")
      ) {
        continue;
      }
      if (COMPRESSED.test(entry)) continue;
      const path = join(dir, entry);
      try {
        const info = await stat(path, { bigint: true });
        if (!info.isFile()) continue;
        const key = fileKey(info.dev, info.ino);
        found.push({
          path,
          key,
          birthtimeNs: info.birthtimeNs,
          mtimeNs: info.mtimeNs,
          ctimeNs: info.ctimeNs,
          ino: info.ino,
        });
      } catch {
        // Gone between the listing and the stat: rotated on or deleted.
      }
    }
    return found;
  }

  /**
   * The name now holds the file `nameKey`: drains, oldest first, the generations rotated away
   * before they were opened (siblings not read before and not there when following began).
   */
  private async drainRotatedAway(nameKey: string): Promise<void> {
    const siblings = await this.siblings();
    // Forget files no longer there, so a reused inode number is not taken for one already read.
    const present = new Set(siblings.map((s) => s.key));
    for (const key of this.known) if (!present.has(key) && key !== nameKey) this.known.delete(key);
    const unread = siblings.filter((s) => !this.known.has(s.key) && s.key !== nameKey);
    unread.sort(olderFirst);
    for (const sibling of unread) {
      if (this.stopped) return;
      this.known.add(sibling.key);
      let handle: FileHandle;
      try {
        handle = await open(sibling.path, "r");
      } catch {
        continue;
      }
      try {
        const info = await handle.stat();
        // Renamed on since the listing: another generation took the name; leave it.
        if (fileKey(info.dev, info.ino) !== sibling.key) continue;
        const opened = {
          handle,
          ino: info.ino,
          dev: info.dev,
          position: 0,
          signature: Buffer.alloc(0),
        };
        await this.drain(opened);
        this.events.switched();
      } finally {
        await handle.close();
      }
    }
  }

  /**
   * Reads from the position to the current end, a chunk at a time, each once the consumer has
   * taken the one before.
   */
  private async drain(cur: Opened): Promise<void> {
    const buffer = Buffer.allocUnsafe(READ_SIZE);
    for (;;) {
      const { bytesRead } = await cur.handle.read(buffer, 0, READ_SIZE, cur.position);
      if (bytesRead === 0) return;
      cur.position += bytesRead;
      cur.signature = Buffer.from(buffer.subarray(Math.max(0, bytesRead - SIGNATURE), bytesRead));
      await this.events.data(buffer.subarray(0, bytesRead));
      if (this.stopped) return;
    }
  }

  /** Keeps the bytes just before the start position, read at start-up. */
  private async remember(cur: Opened): Promise<void> {
    const length = Math.min(SIGNATURE, cur.position);
    const buffer = Buffer.alloc(length);
    await cur.handle.read(buffer, 0, length, cur.position - length);
    cur.signature = buffer;
  }

  /**
   * Whether the bytes last read are still where they were: a file truncated and quickly written
   * again past our position (copytruncate under load) has other bytes there.
   */
  private async stillThere(cur: Opened): Promise<boolean> {
    const length = cur.signature.length;
    if (length === 0) return true;
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await cur.handle.read(buffer, 0, length, cur.position - length);
    return bytesRead === length && buffer.equals(cur.signature);
  }
}
