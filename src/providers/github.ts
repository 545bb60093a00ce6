/**
 * GitHub webhooks: `ping` (sent when a hook is created), `push`, `issues`. The body is signed
 * `X-Hub-Signature-256: sha256=hex(HMAC-SHA256(secret, body))` (and the legacy SHA-1 header).
 */
import { hmac } from "./crypto.js";
import { serializePayload } from "./payload.js";
import { uuid, withHeaders } from "./request.js";
import type { Keys, Provider, ProviderEvent, ProviderRequest, SignContext } from "./types.js";

const HOOK_ID = "109948940";

/** The signature headers; none when the hook has no secret (GitHub then sends none). */
export function githubHeaders(secret: string | undefined, body: Uint8Array): Record<string, string> {
  if (!secret) return {};
  return { "x-hub-signature": `sha1=${hmac("sha1", secret, body, "hex")}`, "x-hub-signature-256": `sha256=${hmac("sha256", secret, body, "hex")}` };
}

const repository = {
  id: 17273051,
  node_id: "MDEwOlJlcG9zaXRvcnkxNzI3MzA1MQ==",
  name: "hello-world",
  full_name: "octo-org/hello-world",
  private: false,
  owner: { login: "octo-org", id: 6811672, type: "Organization" },
  html_url: "https://github.com/octo-org/hello-world",
  default_branch: "main",
};
const sender = { login: "octocat", id: 583231, type: "User" };

function event(name: string, description: string, sample: (ctx: SignContext) => unknown): ProviderEvent {
  return {
    name,
    description,
    keys: ["webhook_secret"],
    sample: (_keys, ctx) => ({ kind: "json", value: sample(ctx) }),
    build: (payload, keys: Keys, ctx): ProviderRequest => {
      const body = serializePayload(payload);
      return {
        method: "POST",
        query: "",
        headers: {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/8e03811",
          "x-github-event": name,
          "x-github-delivery": uuid(ctx),
          "x-github-hook-id": HOOK_ID,
          "x-github-hook-installation-target-type": "repository",
          "x-github-hook-installation-target-id": String(repository.id),
          ...githubHeaders(keys.webhook_secret, body),
        },
        body,
      };
    },
  };
}

export const github: Provider = {
  name: "github",
  title: "GitHub",
  keys: [{ name: "webhook_secret", description: "the webhook's Secret (optional on GitHub; without it nothing is signed)", required: false, settingNames: ["github_webhook_secret", "webhook_secret", "github_secret", "secret"] }],
  events: [
    event("ping", "sent once when the webhook is created", () => ({
      zen: "Design for failure.",
      hook_id: Number(HOOK_ID),
      hook: { type: "Repository", id: Number(HOOK_ID), name: "web", active: true, events: ["push", "issues"], config: { content_type: "json", insecure_ssl: "0", url: "https://example.com/webhook" } },
      repository,
      sender,
    })),
    event("push", "commits pushed to a branch", (ctx) => {
      const ts = new Date(ctx.now).toISOString().replace(/\.\d+Z$/, "Z");
      const commit = { id: "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", tree_id: "f9d2a07e9488b91af2641b26b9407fe22a451433", message: "Update README.md", timestamp: ts, author: { name: "Mona Octocat", email: "octocat@github.com", username: "octocat" }, added: [], removed: [], modified: ["README.md"] };
      return { ref: "refs/heads/main", before: "9049f1265b7d61be4a8904a9a27120d2064dab3b", after: commit.id, created: false, deleted: false, forced: false, commits: [commit], head_commit: commit, repository, pusher: { name: "octocat", email: "octocat@github.com" }, sender };
    }),
    event("issues", "an issue was opened (set action= for edited, closed, ...)", (ctx) => ({
      action: "opened",
      issue: { id: 1, number: 1347, title: "Found a bug", body: "I'm having a problem with this.", state: "open", user: sender, labels: [], created_at: new Date(ctx.now).toISOString().replace(/\.\d+Z$/, "Z") },
      repository,
      sender,
    })),
  ],
  resignKeys: ["webhook_secret"],
  resign: (request, keys) => withHeaders(request, githubHeaders(keys.webhook_secret, request.body)),
};

