/**
 * Follows one file like `tail -F`: reads what is appended, and keeps following the *name* across
 * rotation (renamed away, a new file created under the name: the old file is drained first, so
 * its last lines are not lost), truncation (copytruncate: read again from the start), a file that
 * does not exist yet, and deletion (reported once; following resumes when the name reappears).
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
import { type FileHandle, open, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";

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
    } else if (!(await statOrNull(this.path))?.isFile()) {
      this.events.notice("no such file or directory (waiting for it to appear)");
      this.missingReported = true;
    }
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
    if (this.missingReported) this.events.notice("appeared; following it");
    this.missingReported = false;
    const handle = await open(this.path, "r");
    this.current = {
      handle,
      ino: info.ino,
      dev: info.dev,
      position: 0,
      signature: Buffer.alloc(0),
    };
    await this.drain(this.current);
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
