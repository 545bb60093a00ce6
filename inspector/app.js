// The inspector page: a live list fed by Server-Sent Events and a detail view, all through the
// JSON API under ./api/. Plain DOM, no framework and no network beyond this server.
"use strict";

const API = "api";
const $ = (selector) => document.querySelector(selector);
const rows = new Map();
let selected;
let current;
let session;
const SIGNATURE_HEADERS = /^(x-hub-signature(-256)?|stripe-signature|x-slack-signature|x-signature-ed25519|x-line-signature|x-twilio-signature|webhook-signature|x-shopify-hmac-sha256|x-wc-webhook-signature|x-lark-signature|x-gitlab-token|x-telegram-bot-api-secret-token|msg_signature|x-signature|x-zm-signature|svix-signature|x-discord-signature)$/i;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== false) node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  return node;
}

async function api(path, init) {
  const response = await fetch(`${API}/${path}`, init);
  const type = response.headers.get("content-type") ?? "";
  const body = type.includes("json") && !path.includes("export") ? await response.json() : await response.text();
  if (!response.ok) throw new Error(typeof body === "string" ? body : body.error);
  return body;
}

// ---- bodies: bytes, text, JSON with the error's position, form, multipart, hex ----
const bytesOf = (b64) => Uint8Array.from(atob(b64 || ""), (c) => c.charCodeAt(0));
const textOf = (bytes) => new TextDecoder().decode(bytes);
const header = (headers, name) => (headers || []).find(([key]) => key.toLowerCase() === name)?.[1];

function jsonView(text) {
  try {
    return el("pre", {}, JSON.stringify(JSON.parse(text), null, 2));
  } catch (error) {
    const at = Number(/position (\d+)/.exec(error.message)?.[1] ?? NaN);
    const before = Number.isNaN(at) ? "" : text.slice(0, at);
    const line = before.split("\n").length;
    const column = before.length - before.lastIndexOf("\n");
    const where = Number.isNaN(at) ? "" : ` at line ${line}, column ${column} (byte ${at})`;
    const lineText = text.split("\n")[line - 1] ?? "";
    return el("div", {}, el("p", { class: "error" }, `Not valid JSON${where}: ${error.message}`), el("pre", {}, Number.isNaN(at) ? text : `${lineText}\n${" ".repeat(Math.max(0, column - 1))}^`));
  }
}

function hexView(bytes) {
  const lines = [];
  for (let offset = 0; offset < Math.min(bytes.length, 65536); offset += 16) {
    const slice = [...bytes.subarray(offset, offset + 16)];
    const hex = slice.map((b) => b.toString(16).padStart(2, "0")).join(" ").padEnd(48);
    lines.push(`${offset.toString(16).padStart(8, "0")}  ${hex}  ${slice.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : ".")).join("")}`);
  }
  if (bytes.length > 65536) lines.push(`… ${bytes.length - 65536} more bytes`);
  return el("pre", {}, lines.join("\n"));
}

function kvTable(pairs) {
  return el("table", { class: "kv" }, el("tbody", {}, pairs.map(([key, value]) => el("tr", {}, el("td", {}, key), el("td", {}, value)))));
}

function multipartView(bytes, type) {
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!boundary) return el("p", { class: "error" }, "multipart without a boundary");
  const latin = Array.from(bytes, (b) => String.fromCharCode(b)).join("");
  const parts = latin.split(`--${boundary}`).slice(1, -1);
  return el("div", {}, parts.map((part, index) => {
    const split = part.indexOf("\r\n\r\n");
    const head = part.slice(2, split).split("\r\n");
    const content = part.slice(split + 4, -2);
    const name = /name="([^"]*)"/.exec(head.join(" "))?.[1] ?? `part ${index + 1}`;
    return el("div", {}, el("h3", {}, `${name} (${content.length} bytes)`), el("pre", {}, head.join("\n")), el("pre", {}, content.length > 4096 ? `${content.slice(0, 4096)}…` : content));
  }));
}

function bodyViews(b64, headers) {
  const bytes = bytesOf(b64);
  if (bytes.length === 0) return el("p", { class: "muted" }, "(no body)");
  const type = header(headers, "content-type") ?? "";
  const text = textOf(bytes);
  const binary = text.includes("\uFFFD");
  const views = { raw: () => el("pre", {}, text), hex: () => hexView(bytes) };
  if (/json/i.test(type) || /^\s*[[{]/.test(text)) views.pretty = () => jsonView(text);
  if (/x-www-form-urlencoded/i.test(type)) views.form = () => kvTable([...new URLSearchParams(text)]);
  if (/multipart\//i.test(type)) views.parts = () => multipartView(bytes, type);
  const first = binary ? "hex" : views.pretty ? "pretty" : views.form ? "form" : views.parts ? "parts" : "raw";
  const box = el("div");
  const bar = el("div", { class: "views toolbar", role: "group", "aria-label": "Body view" });
  const show = (name) => {
    box.replaceChildren(views[name]());
    for (const button of bar.children) button.setAttribute("aria-pressed", String(button.dataset.view === name));
  };
  for (const name of Object.keys(views)) bar.append(el("button", { "data-view": name, onclick: () => show(name) }, name));
  show(first);
  return el("div", {}, el("p", { class: "muted" }, `${bytes.length} bytes${type ? ` · ${type}` : ""}`), bar, box);
}

// ---- the list ----
// The filter runs on the server, which searches the stored bodies and headers (secrets masked):
// the page sends the box's text (debounced) and shows the rows whose ids come back. Rows that
// change while a filter is on are re-checked in small batches.
let appliedQuery = "";
let matching = new Set();
let filterRun = 0;
const recheck = new Set();
let recheckTimer;
let typingTimer;

function visible(id) {
  return !appliedQuery || matching.has(id);
}

function showMatches() {
  for (const [id, row] of rows) row.hidden = !visible(id);
}

async function applyFilter() {
  const query = $("#filter").value.trim();
  const run = ++filterRun;
  recheck.clear();
  if (!query) {
    appliedQuery = "";
    matching = new Set();
  } else {
    const { requests } = await api(`requests?q=${encodeURIComponent(query)}`);
    if (run !== filterRun) return;
    appliedQuery = query;
    matching = new Set(requests.map((summary) => summary.id));
  }
  $("#filter").classList.toggle("active", appliedQuery !== "");
  showMatches();
}

function scheduleRecheck(id) {
  if (!appliedQuery) return;
  recheck.add(id);
  recheckTimer ??= window.setTimeout(async () => {
    recheckTimer = undefined;
    // A flood of changes: asking for the whole list again is cheaper than a long id list.
    if (recheck.size === 0) return;
    if (recheck.size > 200) return void applyFilter();
    const ids = [...recheck];
    recheck.clear();
    const run = filterRun;
    const { requests } = await api(`requests?q=${encodeURIComponent(appliedQuery)}&ids=${ids.join(",")}`);
    if (run !== filterRun) return;
    const found = new Set(requests.map((summary) => summary.id));
    for (const id of ids) {
      if (found.has(id)) matching.add(id);
      else matching.delete(id);
      const row = rows.get(id);
      if (row) row.hidden = !visible(id);
    }
  }, 150);
}

function size(bytes) {
  return bytes === undefined ? "" : bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

function renderRow(summary) {
  const status = summary.status ?? "…";
  const row = el("tr", { tabindex: "0", "data-id": summary.id, onclick: () => select(summary.id), onfocus: () => select(summary.id, false) },
    el("td", {}, `${summary.pinned ? "📌" : ""}${summary.id}${summary.replayOf ? ` ↻${summary.replayOf}` : ""}`),
    el("td", {}, summary.method), el("td", { class: "path", title: summary.target }, summary.target),
    el("td", {}, summary.endpoint ?? ""), el("td", { class: `s${String(status)[0]}` }, status),
    el("td", {}, summary.ms ?? ""), el("td", {}, size(summary.bytes)));
  row.summary = summary;
  if (summary.id === selected) row.classList.add("selected");
  row.hidden = !visible(summary.id);
  scheduleRecheck(summary.id);
  const old = rows.get(summary.id);
  if (old) old.replaceWith(row);
  else $("#list tbody").prepend(row);
  rows.set(summary.id, row);
  $("#empty").hidden = rows.size > 0;
}

function removeRows(ids) {
  for (const id of ids) {
    rows.get(id)?.remove();
    rows.delete(id);
  }
  $("#empty").hidden = rows.size > 0;
}

async function refreshList() {
  const { requests } = await api("requests");
  $("#list tbody").replaceChildren();
  rows.clear();
  for (const summary of requests.reverse()) renderRow(summary);
  $("#empty").hidden = rows.size > 0;
  if ($("#filter").value.trim()) await applyFilter();
}

function connect() {
  const events = new EventSource(`${API}/events`);
  events.addEventListener("hello", () => {
    $("#live").textContent = "live";
    $("#live").classList.add("on");
    void refreshList();
  });
  events.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.type === "add" || event.type === "update") {
      renderRow(event.summary);
      if (event.type === "update" && event.summary.id === selected && event.summary.done && current && !current.done) void select(selected, false);
    } else if (event.type === "remove") removeRows(event.ids);
    else if (event.type === "clear") removeRows([...rows.keys()].filter((id) => !event.kept.includes(id)));
  };
  events.onerror = () => {
    $("#live").textContent = "reconnecting…";
    $("#live").classList.remove("on");
  };
}

// ---- the detail view ----
function fileLinks(text) {
  // file:line in a traceback or a log line becomes a link that opens the editor at that line.
  const out = [];
  const pattern = /((?:[\w.-]+\/)*[\w.-]+\.(?:py|ts|js|mjs|cjs|mts)):(\d+)(?::(\d+))?/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    out.push(text.slice(last, match.index));
    const path = match[1].startsWith("/") ? match[1] : `${session?.root ?? ""}/${match[1]}`;
    out.push(el("a", { href: `vscode://file${path}:${match[2]}${match[3] ? `:${match[3]}` : ""}`, title: path }, match[0]));
    last = match.index + match[0].length;
  }
  out.push(text.slice(last));
  return out;
}

function lineDiff(a, b) {
  const x = a.split("\n");
  const y = b.split("\n");
  const n = x.length;
  const m = y.length;
  if (n * m > 4_000_000) return [["del", a], ["add", b]];
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) out.push(["same", x[i++], j++]);
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) out.push(["del", x[i++]]);
    else out.push(["add", y[j++]]);
  }
  return out;
}

function prettyText(b64) {
  const text = textOf(bytesOf(b64));
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function diffView(record) {
  const before = record.original;
  const a = [`status ${before.response?.status ?? before.outcome?.status}`, ...(before.response?.headers ?? []).map(([k, v]) => `${k}: ${v}`), "", prettyText(before.response?.body)].join("\n");
  const b = [`status ${record.response?.status ?? record.outcome?.status}`, ...(record.response?.headers ?? []).map(([k, v]) => `${k}: ${v}`), "", prettyText(record.response?.body)].join("\n");
  const lines = lineDiff(a, b);
  const changed = lines.some(([kind]) => kind !== "same");
  const reloads = record.generation - before.generation;
  return el("section", { id: "diff" },
    el("h2", {}, `Diff against #${before.id}`),
    el("p", { class: "muted" }, `${changed ? "The answer changed" : "Same answer"}${reloads > 0 ? ` after ${reloads} reload${reloads > 1 ? "s" : ""}` : ""}.`),
    el("pre", {}, lines.map(([kind, text]) => el("div", { class: kind === "same" ? "" : kind }, `${kind === "add" ? "+ " : kind === "del" ? "- " : "  "}${text}`))));
}

function editForm(record) {
  const original = textOf(bytesOf(record.request.body));
  const form = el("form", { class: "edit", id: "edit-form" },
    el("h2", {}, "Edit and replay"),
    el("label", {}, "Method ", el("input", { name: "method", value: record.request.method })),
    el("label", {}, "Path and query ", el("input", { name: "target", value: record.request.target })),
    el("label", {}, "Headers (one per line, Name: value)", el("textarea", { name: "headers" }, record.request.headers.filter(([k]) => !/^(host|content-length)$/i.test(k)).map(([k, v]) => `${k}: ${v}`).join("\n"))),
    el("label", {}, "Body", el("textarea", { name: "body" }, original)),
    el("p", { class: "warn", id: "sig-warning", hidden: true }),
    el("div", { class: "toolbar" }, el("button", { type: "submit" }, "Send"), el("button", { type: "button", onclick: () => form.remove() }, "Cancel")));
  const signed = record.request.headers.filter(([k]) => SIGNATURE_HEADERS.test(k)).map(([k]) => k);
  const check = () => {
    const edited = form.elements.body.value !== original || form.elements.target.value !== record.request.target;
    const warning = form.querySelector("#sig-warning");
    warning.hidden = !(edited && signed.length > 0);
    warning.textContent = `This edit invalidates the signature in ${signed.join(", ")}: the handler should refuse it unless it is signed again (replay does that when the plugin's settings hold the provider's key).`;
  };
  form.addEventListener("input", check);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const headers = form.elements.headers.value.split("\n").filter((line) => line.includes(":")).map((line) => [line.slice(0, line.indexOf(":")).trim(), line.slice(line.indexOf(":") + 1).trim()]);
    headers.unshift(["host", record.request.host]);
    await replay(record.id, { method: form.elements.method.value, target: form.elements.target.value, headers, body: form.elements.body.value });
  });
  return form;
}

async function replay(id, overrides) {
  const result = await api(`requests/${id}/replay`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(overrides ?? {}) });
  if (result.id) await select(result.id);
  // Say when a provider's signature (Slack, Stripe, ...) was made afresh, or why a recognised one was not.
  const signing = result.signing ?? {};
  const note = signing.signed ? `Signed afresh as ${signing.provider} with the plugin's settings.` : signing.reason && !signing.reason.startsWith("no known provider") ? `Sent with its captured signature: ${signing.reason}.` : "";
  if (note) document.querySelector("#detail .toolbar")?.after(el("p", { class: "muted", id: "signing" }, note));
}

async function exportAs(id, format) {
  const text = await api(`requests/${id}/export?format=${format}`);
  const out = $("#export-out");
  out.hidden = false;
  out.replaceChildren(el("h3", {}, `Export as ${format}`), el("pre", { id: "export-text" }, text), el("button", { onclick: () => navigator.clipboard?.writeText(text) }, "Copy"));
}

async function saveFixture(id) {
  const out = $("#export-out");
  out.hidden = false;
  try {
    const { path } = await api(`requests/${id}/fixture`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    out.replaceChildren(el("p", { id: "saved" }, `Saved ${path}: \`endpoint-kit test\` replays it.`));
  } catch (error) {
    out.replaceChildren(el("p", { class: "error" }, String(error.message)));
  }
}

async function select(id, focusDetail = true) {
  selected = id;
  for (const [key, row] of rows) row.classList.toggle("selected", key === id);
  const record = await api(`requests/${id}`);
  current = record;
  const url = new URL(record.request.target, "http://x");
  const handler = record.handler;
  const response = record.response;
  const detail = $("#detail");
  detail.replaceChildren(
    el("h2", {}, `#${record.id} ${record.request.method} ${record.request.target} → ${record.outcome?.status ?? response?.status ?? "…"}`),
    el("p", { class: "muted" }, `${new Date(record.time).toLocaleTimeString()} · ${record.outcome ? `${record.outcome.ms.toFixed(1)} ms` : "in flight"} · reload generation ${record.generation}${record.replayOf ? ` · replay of #${record.replayOf}` : ""}`),
    el("div", { class: "toolbar" },
      el("button", { id: "replay", onclick: () => replay(record.id) }, "Replay (r)"),
      el("button", { id: "edit", onclick: () => detail.querySelector("#edit-form") ?? detail.querySelector(".toolbar").after(editForm(record)) }, "Edit and replay (e)"),
      el("button", { id: "pin", onclick: () => api(`requests/${record.id}/pin`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ pinned: !record.pinned }) }).then(() => select(record.id)) }, record.pinned ? "Unpin (p)" : "Pin (p)"),
      ["curl", "http", "har", "fixture"].map((format) => el("button", { "data-export": format, onclick: () => exportAs(record.id, format) }, `Export ${format}`)),
      el("button", { id: "save-fixture", onclick: () => saveFixture(record.id) }, "Save as fixture")),
    el("div", { id: "export-out", hidden: true }),
    record.original ? diffView(record) : null,
    el("h2", {}, "Request"),
    el("h3", {}, "Headers (as sent, in order)"), kvTable(record.request.headers),
    [...url.searchParams].length ? [el("h3", {}, "Query"), kvTable([...url.searchParams])] : null,
    el("h3", {}, "Body"), bodyViews(record.request.body, record.request.headers),
    handler ? [el("h2", {}, "What the handler received"), kvTable([["endpoint", handler.endpoint], ["rule", handler.rule], ["url", handler.url ?? ""], ["settings", (handler.settingNames ?? []).join(", ") || "(none)"]]),
      el("h3", {}, "Values"), el("pre", {}, JSON.stringify(handler.values, null, 2)),
      el("h3", {}, "Headers after Dify's reshaping"), kvTable(handler.headers ?? [])] : el("p", { class: "muted" }, "No endpoint matched this request."),
    el("h2", {}, "Response"),
    response ? [kvTable([["status", response.status]]), el("h3", {}, "Headers"), kvTable(response.headers),
      el("h3", {}, `Body${response.truncated ? " (cut: over the inspector's per-body limit)" : ""}`), bodyViews(response.body, response.headers),
      el("h3", {}, `Chunks (${response.chunks.length})`), timeline(response.chunks)] : el("p", { class: "muted" }, "No response yet."),
    el("h2", {}, "Logs"), record.logs.length ? el("pre", { id: "logs" }, record.logs.map((l) => [`[+${l.at} ms ${l.stream}] `, ...fileLinks(l.text), "\n"])) : el("p", { class: "muted" }, "(none)"),
    record.outcome?.detail ? [el("h2", {}, "Traceback"), el("pre", { class: "error" }, fileLinks(record.outcome.detail))] : null,
  );
  if (focusDetail) detail.scrollTop = 0;
}

function timeline(chunks) {
  if (chunks.length === 0) return el("p", { class: "muted" }, "(no body)");
  const max = Math.max(...chunks.map((c) => c.size), 1);
  return el("div", {}, el("div", { class: "timeline" }, chunks.map((c) => {
    const bar = el("span", { title: `+${c.at} ms · ${c.size} bytes` });
    bar.style.height = `${Math.max(4, (c.size / max) * 100)}%`;
    return bar;
  })), el("p", { class: "muted" }, chunks.map((c) => `+${c.at} ms: ${c.size} B`).join(" · ")));
}

async function showSession() {
  session = await api("session");
  $("#detail").replaceChildren(
    el("h2", {}, "Routes"),
    el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Method"), el("th", {}, "Path"), el("th", {}, "Endpoint"), el("th", {}, "Runtime"), el("th", {}, "Source"))),
      el("tbody", {}, session.routes.map((r) => el("tr", {}, el("td", {}, r.method), el("td", {}, `/e/${session.hookId}${r.path}`), el("td", {}, r.id), el("td", {}, r.runtime), el("td", {}, r.file ?? "", r.unavailable ? el("span", { class: "error" }, ` cannot run: ${r.unavailable}`) : ""))))),
    el("h2", {}, "Settings"), session.settings.length ? kvTable(session.settings.map((s) => [s.name, s.value])) : el("p", { class: "muted" }, "(none)"),
    el("p", { class: "muted" }, `Reload generation ${session.generation} · ${session.root}`));
}

function move(step) {
  const visible = [...document.querySelectorAll("#list tbody tr")].filter((row) => !row.hidden);
  const at = visible.findIndex((row) => Number(row.dataset.id) === selected);
  const next = visible[Math.min(visible.length - 1, Math.max(0, at + step))];
  next?.focus();
}

document.addEventListener("keydown", (event) => {
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName ?? "");
  if (typing) {
    if (event.key === "Escape") document.activeElement.blur();
    return;
  }
  const actions = {
    "/": () => $("#filter").focus(), j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1),
    r: () => selected && replay(selected), e: () => $("#edit")?.click(), p: () => $("#pin")?.click(), s: () => showSession(),
  };
  const action = actions[event.key];
  if (action && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    action();
  }
});

$("#filter").addEventListener("input", () => {
  window.clearTimeout(typingTimer);
  typingTimer = window.setTimeout(() => void applyFilter(), 200);
});
$("#filter").addEventListener("keydown", (event) => {
  if (event.key !== "Enter") return;
  window.clearTimeout(typingTimer);
  void applyFilter();
});
$("#clear").addEventListener("click", () => api("requests", { method: "DELETE" }));
$("#show-session").addEventListener("click", () => showSession());
api("session").then((value) => (session = value)).catch(() => undefined);
connect();
