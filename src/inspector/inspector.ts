/**
 * The request inspector behind `/_endpoint-kit/`: the store, the capture observer, and a Hono app
 * for the page and its JSON API (list, one record, replay through the same pipeline, export, save as
 * fixture, pin, clear, live events). `dev` builds one per session; `--no-inspect` builds none.
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { packagePath } from "../package-root.js";
import type { HandleRequest, PipelineRequest } from "../pipeline/pipeline.js";
import type { ArrivedRequest } from "../pipeline/observer.js";
import type { RuntimeLog } from "../runtime/contract.js";
import { createCapture } from "./capture.js";
import { EventFeed } from "./event-feed.js";
import { EXPORT_FORMATS, toCurl, toFixture, toHar, toHttpFile, type ExportFormat } from "./export.js";
import { crossSiteReason, INSPECTOR_PREFIX } from "./guard.js";
import { matchesQuery, parseQuery } from "./query.js";
import { recordJson, type Masker } from "./record-json.js";
import { replayRequest, type ReplayOverrides, type ReplaySigningNote } from "./replay.js";
import { saveFixtureFile } from "./save-fixture.js";
import { RecordStore, summarize, type StoreLimits } from "./store.js";

/** What the inspector shows of the session, read fresh on each call (a reload changes it). */
export interface SessionView {
  root(): string;
  hookId(): string;
  routes(): Array<{ id: string; method: string; path: string; runtime: string; file?: string; unavailable?: string }>;
  /** Setting names and values, secrets already masked. */
  settings(): Array<{ name: string; value: string; secret: boolean }>;
  /** The settings' real values: only to re-sign a replay, never sent to the page. */
  settingValues(): Record<string, unknown>;
  mask: Masker;
  version: string;
  /** The state serving now (a new one after each reload), when the host can tell without waiting. */
  state?(): unknown;
}

/** How long the live feed gathers changes before it writes them to the page. */
const EVENT_BATCH_MS = 25;

const PAGE_DIR = pathToFileURL(`${packagePath("inspector")}/`);
const ASSETS: Record<string, string> = {
  "index.html": "text/html; charset=utf-8",
  "app.js": "text/javascript; charset=utf-8",
  "style.css": "text/css; charset=utf-8",
  "favicon.svg": "image/svg+xml",
};

export class Inspector {
  readonly store: RecordStore;
  private readonly capture;
  private readonly replays = new WeakMap<ArrivedRequest, number>();
  private handle: HandleRequest | undefined;
  private generation = 1;
  private lastState: unknown;
  readonly app = new Hono();

  constructor(private readonly session: SessionView, limits: StoreLimits) {
    this.store = new RecordStore(limits);
    this.capture = createCapture(this.store, { generation: () => this.currentGeneration(), replayOf: (request) => this.replays.get(request) });
    this.routes();
  }

  /** The pipeline observer to install. */
  readonly observe = (request: ArrivedRequest) => this.capture.observe(request);
  /** The runtime's log lines, to attach to their request (masked when read, like everything else). */
  readonly log = (log: RuntimeLog) => this.capture.log(log);

  /** The pipeline a replay goes through. */
  attach(handle: HandleRequest): void {
    this.handle = handle;
  }

  /** Called with each state served: a new one means a reload happened. */
  noteState(state: unknown): void {
    if (this.lastState !== undefined && state !== this.lastState) this.generation++;
    this.lastState = state;
  }

  /**
   * The generation serving now, as capture asks for it (when a request arrives and when it matched).
   * Read from the session's state there, not by wrapping every `current()` call in one more promise.
   */
  private currentGeneration(): number {
    const state = this.session.state?.();
    if (state !== undefined) this.noteState(state);
    return this.generation;
  }

  private routes(): void {
    const app = this.app;
    const api = `${INSPECTOR_PREFIX}/api`;
    app.get(INSPECTOR_PREFIX, (c) => c.redirect(`${INSPECTOR_PREFIX}/`));
    app.get(`${INSPECTOR_PREFIX}/:asset{.*}`, async (c, next) => {
      const name = c.req.param("asset") || "index.html";
      const type = ASSETS[name];
      if (!type) return next();
      const body = await readFile(new URL(name, PAGE_DIR));
      // The page must not be framed by another site (clickjacking a Replay button).
      return c.body(body, 200, { "content-type": type, "cache-control": "no-store", "x-frame-options": "DENY", "content-security-policy": "default-src 'self'; frame-ancestors 'none'" });
    });
    app.use(`${api}/*`, async (c, next) => {
      const reason = crossSiteReason({ origin: c.req.header("origin"), secFetchSite: c.req.header("sec-fetch-site") }, c.req.header("host") ?? "");
      if (reason) return c.json({ error: `cross-site request refused (${reason}): the inspector's API answers only its own page and non-browser callers` }, 403);
      await next();
    });
    app.get(`${api}/requests`, (c) => {
      // ?q= filters with the page's filter language (bodies searched here, masked); ?ids= checks
      // only those records (the page re-checks rows that changed); ?limit= keeps the newest n.
      const terms = parseQuery(c.req.query("q") ?? "");
      const ids = c.req.query("ids")?.split(",").map(Number).filter(Number.isInteger);
      const limit = Number(c.req.query("limit") ?? Infinity);
      const records = ids ? ids.map((id) => this.store.get(id)).filter((r) => r !== undefined).sort((a, b) => b.id - a.id) : this.store.list();
      const requests = [];
      for (const record of records) {
        if (requests.length >= limit) break;
        if (matchesQuery(record, terms, this.session.mask)) requests.push(summarize(record));
      }
      return c.json({ requests, size: this.store.size, bytes: this.store.totalBytes, limits: this.store.limits });
    });
    app.get(`${api}/requests/:id`, (c) => {
      const record = this.store.get(Number(c.req.param("id")));
      if (!record) return c.json({ error: "no such request (cleared, or dropped to stay within the limits)" }, 404);
      const original = record.replayOf !== undefined ? this.store.get(record.replayOf) : undefined;
      return c.json({ ...recordJson(record, this.session.mask), ...(original ? { original: recordJson(original, this.session.mask) } : {}) });
    });
    app.post(`${api}/requests/:id/replay`, async (c) => {
      const record = this.store.get(Number(c.req.param("id")));
      if (!record) return c.json({ error: "no such request" }, 404);
      if (!this.handle) return c.json({ error: "not ready" }, 503);
      let overrides: ReplayOverrides = {};
      const text = await c.req.text();
      if (text.trim() !== "") {
        try {
          overrides = JSON.parse(text) as ReplayOverrides;
        } catch {
          return c.json({ error: "the replay body must be JSON: {method?, target?, headers?, body?, bodyBase64?}" }, 400);
        }
      }
      let request: PipelineRequest;
      let signing: ReplaySigningNote;
      try {
        // A provider's signature (and its timestamp window) is made afresh when the settings hold its keys.
        ({ request, signing } = replayRequest(record, overrides, this.session.settingValues()));
      } catch (error) {
        return c.json({ error: this.session.mask(error instanceof Error ? error.message : String(error)) }, 400);
      }
      this.replays.set(request, record.id);
      const answer = await this.handle(request);
      // Reading the body to its end is what completes the capture.
      if (answer.body) for await (const chunk of answer.body) void chunk;
      const replayed = this.store.list().find((r) => r.replayOf === record.id);
      return c.json({ id: replayed?.id, status: answer.status, signing });
    });
    app.get(`${api}/requests/:id/export`, (c) => {
      const record = this.store.get(Number(c.req.param("id")));
      if (!record) return c.json({ error: "no such request" }, 404);
      const format = (c.req.query("format") ?? "curl") as ExportFormat;
      if (!EXPORT_FORMATS.includes(format)) return c.json({ error: `format must be one of ${EXPORT_FORMATS.join(", ")}` }, 400);
      const origin = `http://${c.req.header("host") ?? record.request.host}`;
      if (format === "fixture") {
        const fixture = toFixture(record);
        return fixture.ok ? c.body(fixture.text, 200, { "content-type": "text/yaml; charset=utf-8" }) : c.json({ error: fixture.message }, 422);
      }
      if (format === "har") return c.body(this.session.mask(toHar(record, this.session.version, origin)), 200, { "content-type": "application/json; charset=utf-8" });
      const text = format === "curl" ? toCurl(record, origin) : toHttpFile(record, origin);
      return c.body(`${this.session.mask(text)}${format === "curl" ? "\n" : ""}`, 200, { "content-type": "text/plain; charset=utf-8" });
    });
    app.post(`${api}/requests/:id/fixture`, async (c) => {
      const record = this.store.get(Number(c.req.param("id")));
      if (!record) return c.json({ error: "no such request" }, 404);
      const { name } = (await c.req.json().catch(() => ({}))) as { name?: string };
      const saved = await saveFixtureFile(this.session.root(), record, name);
      return saved.ok ? c.json({ path: saved.path }) : c.json({ error: saved.message }, saved.status);
    });
    app.post(`${api}/requests/:id/pin`, async (c) => {
      const { pinned } = (await c.req.json().catch(() => ({}))) as { pinned?: boolean };
      const record = this.store.pin(Number(c.req.param("id")), pinned !== false);
      return record ? c.json(summarize(record)) : c.json({ error: "no such request" }, 404);
    });
    app.delete(`${api}/requests`, (c) => {
      this.store.clear();
      return c.json({ kept: this.store.size });
    });
    app.get(`${api}/session`, (c) =>
      c.json({ hookId: this.session.hookId(), root: this.session.root(), routes: this.session.routes(), settings: this.session.settings(), generation: this.generation }),
    );
    app.get(`${api}/events`, (c) =>
      streamSSE(c, async (stream) => {
        let wake: (() => void) | undefined;
        const feed = new EventFeed(this.store, () => wake?.());
        let open = true;
        stream.onAbort(() => {
          open = false;
          feed.close();
          wake?.();
        });
        await stream.writeSSE({ event: "hello", data: JSON.stringify({ generation: this.generation }) });
        while (open) {
          if (!feed.empty) {
            // A short wait gathers a burst of changes into one write, each record summarized once.
            await new Promise((resolve) => setTimeout(resolve, EVENT_BATCH_MS));
            if (open) await stream.write(feed.take());
            continue;
          }
          // A comment every 15 s keeps proxies and the browser from timing the stream out.
          let timer: ReturnType<typeof setTimeout> | undefined;
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, 15_000);
          });
          clearTimeout(timer);
          wake = undefined;
          if (feed.empty && open) await stream.write(": ping\n\n");
        }
      }),
    );
    app.all(`${INSPECTOR_PREFIX}/*`, (c) => c.json({ error: "not an inspector page or API route" }, 404));
  }
}
