/**
 * Turns output that arrives in arbitrary pieces (a pipe, a worker's stdout) into whole lines, so a
 * secret written in two writes is masked as one line, in time linear in the output and in bounded
 * memory: a line longer than `maxLine` characters keeps its start and says how much was left out.
 */

/** The longest line shown in the terminal; the rest is counted, not kept. */
export const MAX_LINE_CHARS = 64 * 1024;

/** How a line cut at the cap ends. */
export function cutNote(dropped: number): string {
  return ` … [${dropped} more characters not shown]`;
}

/** Caps one line (or several, joined by newlines) at `max` characters per line. */
export function capLines(text: string, max = MAX_LINE_CHARS): string {
  if (text.length <= max) return text;
  return text
    .split("\n")
    .map((line) => (line.length > max ? line.slice(0, max) + cutNote(line.length - max) : line))
    .join("\n");
}

export class LineBuffer {
  private parts: string[] = [];
  private kept = 0;
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;

  /** `emit` receives each line without its newline; a partial line is emitted after `idleMs` of silence. */
  constructor(
    private readonly emit: (line: string) => void,
    private readonly idleMs = 100,
    private readonly maxLine = MAX_LINE_CHARS,
  ) {}

  push(text: string): void {
    let start = 0;
    for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", start)) {
      this.add(text.slice(start, at));
      this.take(true);
      start = at + 1;
    }
    if (start < text.length) this.add(start === 0 ? text : text.slice(start));
    clearTimeout(this.timer);
    this.timer = this.kept + this.dropped > 0 ? setTimeout(() => this.flush(), this.idleMs).unref() : undefined;
  }

  /** Emits what is pending as a line (at the end of the stream, or after a pause). */
  flush(): void {
    this.take(false);
  }

  /** Emits the pending line; an empty one only when a newline ended it. */
  private take(ended: boolean): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!ended && this.kept === 0 && this.dropped === 0) return;
    const line = this.parts.join("") + (this.dropped > 0 ? cutNote(this.dropped) : "");
    this.parts = [];
    this.kept = 0;
    this.dropped = 0;
    this.emit(line);
  }

  private add(piece: string): void {
    const room = this.maxLine - this.kept;
    if (piece.length <= room) {
      if (piece.length > 0) this.parts.push(piece);
      this.kept += piece.length;
      return;
    }
    if (room > 0) this.parts.push(piece.slice(0, room));
    this.kept += Math.max(0, room);
    this.dropped += piece.length - Math.max(0, room);
  }
}
