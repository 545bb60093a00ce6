/**
 * WeCom (企业微信): the encrypted `GET` URL verification, a text message as the AI bot's JSON
 * callback (`{"encrypt"}`, receive id "") and as a self-built app's XML callback (`<Encrypt>`).
 * AES-256-CBC per `crypto.ts`; `msg_signature = sha1(sort(token, timestamp, nonce, encrypt))`.
 */
import { wxEncrypt, wxSignature } from "./crypto.js";
import { buildQuery, renderXml, serializePayload, text, utf8 } from "./payload.js";
import { digitNonce, unixSeconds } from "./request.js";
import { readWxReply, resignWx } from "./wx-reply.js";
import type { Keys, Payload, Provider, ProviderRequest, SignContext } from "./types.js";

const KEYS = ["token", "encoding_aes_key", "receive_id"];

/** Encrypts `message` and signs it; the query and the ciphertext, ready to send. */
export function wecomEnvelope(keys: Keys, message: string, ctx: SignContext): { query: [string, string][]; encrypt: string } {
  const encrypt = wxEncrypt(keys.encoding_aes_key ?? "", ctx.randomBytes(16), message, keys.receive_id ?? "");
  const timestamp = unixSeconds(ctx);
  const nonce = digitNonce(ctx);
  return { encrypt, query: [["msg_signature", wxSignature(keys.token ?? "", timestamp, nonce, encrypt)], ["timestamp", timestamp], ["nonce", nonce]] };
}

function post(body: string, contentType: string, query: [string, string][]): ProviderRequest {
  return { method: "POST", query: buildQuery(query), headers: { "content-type": contentType, "user-agent": "Mozilla/4.0" }, body: utf8(body) };
}

function plaintext(payload: Payload): string {
  return text(serializePayload(payload));
}

export const wecom: Provider = {
  name: "wecom",
  title: "WeCom (企业微信)",
  keys: [
    { name: "token", description: "the callback Token", required: true, settingNames: ["token", "wecom_token", "callback_token"] },
    { name: "encoding_aes_key", description: "the callback EncodingAESKey (43 characters)", required: true, settingNames: ["encoding_aes_key", "wecom_encoding_aes_key", "aes_key"] },
    { name: "receive_id", description: "the receive id: CorpID for apps, empty for AI bots", required: false, settingNames: ["receive_id", "receiveid", "corp_id", "corpid"] },
  ],
  events: [
    {
      name: "verification",
      description: "the encrypted GET URL check: expects the decrypted echostr as a plain body",
      keys: KEYS,
      sample: (_keys, ctx) => ({ kind: "raw", bytes: utf8(String(Buffer.from(ctx.randomBytes(8)).readBigUInt64BE(0) % 10n ** 19n)) }),
      build: (payload, keys, ctx) => {
        const echo = plaintext(payload);
        const { query, encrypt } = wecomEnvelope(keys, echo, ctx);
        return { method: "GET", query: buildQuery([...query, ["echostr", encrypt]]), headers: { "user-agent": "Mozilla/4.0" }, body: new Uint8Array(0), expect: echo };
      },
    },
    {
      name: "text",
      description: "a text message to the AI bot: JSON {\"encrypt\"}, JSON inside",
      keys: KEYS,
      sample: (_keys, ctx) => ({
        kind: "json",
        value: { msgid: Buffer.from(ctx.randomBytes(16)).toString("hex"), aibotid: "AIBOTID", chatid: "CHATID", chattype: "group", from: { userid: "USERID" }, response_url: "RESPONSEURL", msgtype: "text", text: { content: "@RobotA hello robot" } },
      }),
      build: (payload, keys, ctx) => {
        const { query, encrypt } = wecomEnvelope(keys, plaintext(payload), ctx);
        return post(JSON.stringify({ encrypt }), "application/json", query);
      },
    },
    {
      name: "text_xml",
      description: "a text message to a self-built app: XML <Encrypt>, XML inside",
      keys: KEYS,
      sample: (keys, ctx) => ({
        kind: "xml",
        fields: { ToUserName: keys.receive_id || "ww1436e0e65a779aee", FromUserName: "zhangsan", CreateTime: Math.floor(ctx.now / 1000), MsgType: "text", Content: "hello", MsgId: Number(Buffer.from(ctx.randomBytes(6)).readUIntBE(0, 6)), AgentID: 1000002 },
      }),
      build: (payload, keys, ctx) => {
        const { query, encrypt } = wecomEnvelope(keys, plaintext(payload), ctx);
        const to = payload.kind === "xml" ? String(payload.fields.ToUserName ?? "") : keys.receive_id ?? "";
        const agent = payload.kind === "xml" ? String(payload.fields.AgentID ?? "") : "";
        return post(renderXml({ ToUserName: to, Encrypt: encrypt, AgentID: agent }), "text/xml", query);
      },
    },
  ],
  resignKeys: ["token"],
  resign: (request, keys, ctx) => resignWx(request, keys.token ?? "", ctx),
  readReply: (body, keys) => readWxReply(body, keys, undefined),
};
