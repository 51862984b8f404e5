/**
 * LISTEN/NOTIFY for the embedded server (embedded.ts). PGlite has one session, shared by every
 * client connection, so PostgreSQL's own bookkeeping of who listens is useless there: the
 * NotificationResponse ('A') of a commit comes back in the output of whichever connection ran
 * the committing statement, and pglite-socket hands those bytes to that connection. A listener on
 * another connection never hears anything (toolchain-console.md §3).
 *
 * This router keeps the per-connection bookkeeping the session cannot: which connection asked
 * for which channel (read from the text of its Query and Parse messages), moves every 'A' message
 * to the connections that listen on its channel, and keeps the shared session listening on
 * exactly the union of what connections want. It holds no I/O of its own: the scheduler feeds it
 * messages and output and gives it a way to run SQL on the session at an idle moment.
 *
 * Limits (as PostgreSQL behaves otherwise):
 * - only LISTEN/UNLISTEN written as statements are seen, not ones run inside a function or a
 *   DO block, nor a prepared LISTEN executed again by name;
 * - a LISTEN inside a transaction that rolls back still counts for its connection (PostgreSQL
 *   would forget it): that connection then also gets the channel's notifications once any other
 *   connection listens on it;
 * - U&"…" identifiers are not decoded.
 */

/** Where a connection's output goes: pglite-socket's per-message callback, which writes to its socket. */
export type Sink = (data: Uint8Array) => void;

/** The output of one message, on its way to its sender's socket; `end` after the message has run. */
export type RoutedOutput = { write(chunk: Uint8Array): void; end(): void };

const QUERY = 0x51; // 'Q'
const PARSE = 0x50; // 'P'
const NOTIFICATION = 0x41; // 'A'

/** PostgreSQL keeps the first NAMEDATALEN - 1 bytes of an identifier, LISTEN's channel included. */
const MAX_IDENTIFIER_BYTES = 63;

export class NotificationRouter {
  /** Channels each connection listens on, as its own statements said. */
  private readonly listens = new Map<number, Set<string>>();
  /** The latest output callback of each connection, to deliver notifications it did not cause. */
  private readonly sinks = new Map<number, Sink>();
  /** What the shared session listens on, as far as the statements seen so far tell. */
  private readonly session = new Set<string>();
  private dirty = false;
  private readonly decoder = new TextDecoder();

  /**
   * Called for every message before it runs. Records the connection's sink, and its LISTEN or
   * UNLISTEN statements, which take effect on the session when they run.
   */
  track(handlerId: number, message: Uint8Array, sink: Sink): void {
    this.sinks.set(handlerId, sink);
    const text = this.statementText(message);
    if (text === null || !/listen|discard/i.test(text)) return;
    for (const { unlisten, channel } of listenStatements(text)) {
      let mine = this.listens.get(handlerId);
      if (!unlisten) {
        if (!mine) this.listens.set(handlerId, (mine = new Set()));
        mine.add(channel!);
        this.session.add(channel!);
        continue;
      }
      // The session is shared: this UNLISTEN stops it listening for every connection, so the
      // channels others still want are listened to again once the statement has run (reconcile).
      if (channel === null) {
        mine?.clear();
        this.session.clear();
      } else {
        mine?.delete(channel);
        this.session.delete(channel);
      }
      this.dirty = true;
    }
  }

  /** A connection went away: it listens no more, and its channels may no longer be wanted. */
  forget(handlerId: number): void {
    if (this.listens.get(handlerId)?.size) this.dirty = true;
    this.listens.delete(handlerId);
    this.sinks.delete(handlerId);
  }

  /** Whether the session's listening differs from what connections want (see reconcile). */
  needsReconcile(): boolean {
    return this.dirty;
  }

  /**
   * Makes the session listen on exactly the channels some connection wants. Run only between
   * transactions and outside any connection's extended-query batch: a statement run in the middle
   * of one would drop its unnamed statement, and one run inside a transaction would belong to it.
   */
  async reconcile(exec: (sql: string) => Promise<unknown>): Promise<void> {
    this.dirty = false;
    // One refused statement must not stop the others: a LISTEN the server refused (an empty
    // name, say) is still recorded, and stopping at it would leave every channel after it as it was.
    const refused: unknown[] = [];
    const attempt = (sql: string) => exec(sql).then(() => true, (error: unknown) => (refused.push(error), false));
    const wanted = new Set([...this.listens.values()].flatMap((s) => [...s]));
    for (const channel of wanted) {
      if (this.session.has(channel) || (await attempt(`LISTEN ${quoteIdentifier(channel)}`))) this.session.add(channel);
    }
    // Nobody wants these any more (a listener disconnected): stop the session queueing them.
    // Forgotten even if refused: the session cannot be listening on a name it refuses.
    for (const channel of [...this.session]) {
      if (wanted.has(channel)) continue;
      await attempt(`UNLISTEN ${quoteIdentifier(channel)}`);
      this.session.delete(channel);
    }
    if (refused.length > 0) throw refused.length === 1 ? refused[0] : new AggregateError(refused, `${refused.length} LISTEN/UNLISTEN statements failed`);
  }

  /**
   * The output of one of `sender`'s messages. Everything but 'A' messages goes to the sender
   * untouched and at once (results can be large: nothing else is buffered or copied); each 'A'
   * is held until complete, then goes to every connection listening on its channel, the sender
   * included only if it listens itself, in its place in the sender's stream.
   */
  output(sender: number, sink: Sink): RoutedOutput {
    // Neither a connection nor the session listens: no notification can come, so keep
    // pglite-socket's behaviour (and its cost) exactly. (One from a LISTEN the router cannot see,
    // in a DO block, then reaches the sender, as it would without the router.)
    if (this.listens.size === 0 && this.session.size === 0) return { write: (chunk) => sink(chunk), end: () => undefined };
    return new MessageSplitter(sink, (message) => this.deliver(sender, sink, message));
  }

  private deliver(sender: number, senderSink: Sink, message: Uint8Array): void {
    const channel = readCString(this.decoder, message, 9)[0]; // 'A', length, sender pid, channel, payload
    for (const [handlerId, channels] of this.listens) {
      if (!channels.has(channel)) continue;
      if (handlerId === sender) senderSink(message);
      else this.sinks.get(handlerId)?.(message);
    }
  }

  /** The SQL text of a simple Query, or of a Parse (after the statement name); null otherwise. */
  private statementText(message: Uint8Array): string | null {
    if (message[0] === QUERY) return readCString(this.decoder, message, 5)[0];
    if (message[0] === PARSE) return readCString(this.decoder, message, readCString(this.decoder, message, 5)[1])[0];
    return null;
  }
}

/**
 * Splits a backend's output into protocol messages as it streams by. Bytes of ordinary messages
 * are passed on in the chunks they came in; only 'A' messages are collected whole (they may be
 * split across chunks) and handed to `onNotification` instead.
 */
class MessageSplitter implements RoutedOutput {
  /** Bytes of the current message's header (type and length) seen so far, 0 at a message boundary. */
  private headerSeen = 0;
  private readonly header = new Uint8Array(5);
  /** Bytes of the current message's body still to come. */
  private remaining = 0;
  /** The 'A' message being collected, and how much of it has arrived. */
  private notification: Uint8Array | null = null;
  private filled = 0;

  constructor(
    private readonly sink: Sink,
    private readonly onNotification: (message: Uint8Array) => void,
  ) {}

  write(chunk: Uint8Array): void {
    let i = 0;
    let passFrom = 0; // start of the bytes to pass on untouched
    while (i < chunk.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - i);
        if (this.notification) this.collect(chunk.subarray(i, i + n));
        i += n;
        this.remaining -= n;
      } else {
        if (this.headerSeen === 0 && chunk[i] === NOTIFICATION) {
          if (i > passFrom) this.sink(chunk.subarray(passFrom, i));
          this.notification = new Uint8Array(5); // grown once the length is known
          this.filled = 0;
        }
        this.header[this.headerSeen++] = chunk[i]!;
        if (this.notification) this.notification[this.filled++] = chunk[i]!;
        i++;
        if (this.headerSeen === 5) {
          const length = new DataView(this.header.buffer).getInt32(1); // counts itself, not the type byte
          this.headerSeen = 0;
          this.remaining = length - 4;
          if (this.notification) {
            const whole = new Uint8Array(1 + length);
            whole.set(this.notification);
            this.notification = whole;
          }
        }
      }
      if (this.notification && this.headerSeen === 0 && this.remaining === 0) {
        const message = this.notification;
        this.notification = null;
        this.onNotification(message);
        passFrom = i;
      }
    }
    // Ordinary bytes go on now, even in the middle of a message; a half 'A' waits for the rest.
    if (!this.notification && chunk.length > passFrom) this.sink(chunk.subarray(passFrom));
  }

  /**
   * The message has run. PGlite has always ended its output on a message boundary, but should
   * it ever not, a half-collected 'A' goes to the sender as it is rather than being lost.
   */
  end(): void {
    if (this.notification) this.sink(this.notification.subarray(0, this.filled));
    this.notification = null;
    this.headerSeen = 0;
    this.remaining = 0;
  }

  private collect(bytes: Uint8Array): void {
    this.notification!.set(bytes, this.filled);
    this.filled += bytes.length;
  }
}

function readCString(decoder: TextDecoder, bytes: Uint8Array, from: number): [string, number] {
  let end = bytes.indexOf(0, from);
  if (end === -1) end = bytes.length;
  return [decoder.decode(bytes.subarray(from, end)), end + 1];
}

const WORD = /[\w$\u0080-\uffff]+/y;
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/y;

export type ListenStatement = { unlisten: boolean; channel: string | null };

/**
 * The LISTEN and UNLISTEN statements in a query text, channels as PostgreSQL names them
 * (unquoted folded to lower case, quoted kept, both cut to 63 bytes); `channel: null` is
 * `UNLISTEN *` (or `DISCARD ALL`, which does the same). String literals, dollar quotes and comments are skipped, so a word "listen" in a
 * literal or a column name is not mistaken for one.
 */
export function listenStatements(sql: string): ListenStatement[] {
  const found: ListenStatement[] = [];
  // The first tokens of the current statement (a LISTEN has exactly two), and whether each was
  // a quoted identifier; literals count as tokens but are never names.
  let tokens: { text: string; quoted: boolean }[] = [];
  const push = (text: string, quoted: boolean) => {
    if (tokens.length < 3) tokens.push({ text, quoted });
  };
  const endStatement = () => {
    const [verb, name] = tokens;
    const kind = tokens.length === 2 && !verb!.quoted ? verb!.text.toLowerCase() : null;
    // DISCARD ALL resets the session, its listening included: an UNLISTEN * in disguise.
    if (kind === "discard" && !name!.quoted && name!.text.toLowerCase() === "all") found.push({ unlisten: true, channel: null });
    if (kind === "listen" || kind === "unlisten") {
      const unlisten = kind === "unlisten";
      if (unlisten && !name!.quoted && name!.text === "*") found.push({ unlisten, channel: null });
      else if (name!.quoted) found.push({ unlisten, channel: truncateIdentifier(name!.text) });
      else if (/^[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*$/.test(name!.text)) {
        // Unquoted names fold to lower case, ASCII letters only (as PostgreSQL's downcase_identifier).
        found.push({ unlisten, channel: truncateIdentifier(name!.text.replace(/[A-Z]+/g, (s) => s.toLowerCase())) });
      }
    }
    tokens = [];
  };

  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      i++;
    } else if (c === ";") {
      endStatement();
      i++;
    } else if (c === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? sql.length : end + 1;
    } else if (c === "/" && next === "*") {
      // Block comments nest in PostgreSQL.
      let depth = 0;
      do {
        if (sql.startsWith("/*", i)) (depth++, (i += 2));
        else if (sql.startsWith("*/", i)) (depth--, (i += 2));
        else i++;
      } while (depth > 0 && i < sql.length);
    } else if (c === '"') {
      let name = "";
      i++;
      while (i < sql.length) {
        if (sql[i] === '"' && sql[i + 1] === '"') (name += '"', (i += 2));
        else if (sql[i] === '"') break;
        else name += sql[i++];
      }
      i++;
      push(name, true);
    } else if (c === "'" || ((c === "E" || c === "e") && next === "'")) {
      // A string literal (E'…' honours backslash escapes): never a channel, only skipped.
      const backslashes = c !== "'";
      i += backslashes ? 2 : 1;
      while (i < sql.length) {
        if (backslashes && sql[i] === "\\") i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") break;
        else i++;
      }
      i++;
      push("'", false);
    } else if (c === "$" && ((DOLLAR_TAG.lastIndex = i), DOLLAR_TAG.test(sql))) {
      const tag = sql.slice(i, DOLLAR_TAG.lastIndex);
      const end = sql.indexOf(tag, i + tag.length);
      i = end === -1 ? sql.length : end + tag.length;
      push("$", false);
    } else {
      WORD.lastIndex = i;
      const token = WORD.exec(sql)?.[0] ?? c;
      i += token.length;
      push(token, false);
    }
  }
  endStatement();
  return found;
}

function truncateIdentifier(name: string): string {
  const bytes = new TextEncoder().encode(name);
  if (bytes.length <= MAX_IDENTIFIER_BYTES) return name;
  // Cut on a character boundary, as PostgreSQL does (pg_mbcliplen).
  let end = MAX_IDENTIFIER_BYTES;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
