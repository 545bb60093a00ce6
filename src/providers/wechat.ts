/**
 * WeChat Official Accounts (公众号): the `GET` verification (plain echostr), a text message in plain
 * mode (`signature` over token, timestamp, nonce; the body is not signed) and in safe mode
 * (`encrypt_type=aes`, `msg_signature`, the XML encrypted with the AppID as receive id).
 */
import { wxEncrypt, wxSignature } from "./crypto.js";
import { buildQuery, renderXml, serializePayload, text, utf8 } from "./payload.js";
import { digitNonce, unixSeconds } from "./request.js";
import { readWxReply, resignWx } from "./wx-reply.js";
import type { Keys, Payload, Provider, ProviderEvent, ProviderRequest, SignContext } from "./types.js";

const OPENID = "oQ9aF5vLh3cg7ZsUqfLHnNq0pX8k";

function signedQuery(keys: Keys, ctx: SignContext): { timestamp: string; nonce: string; pairs: [string, string][] } {
  const timestamp = unixSeconds(ctx);
  const nonce = digitNonce(ctx);
  return { timestamp, nonce, pairs: [["signature", wxSignature(keys.token ?? "", timestamp, nonce)], ["timestamp", timestamp], ["nonce", nonce]] };
}

function sampleText(ctx: SignContext): Payload {
  return { kind: "xml", fields: { ToUserName: "gh_3d5fb1c8a6e2", FromUserName: OPENID, CreateTime: Math.floor(ctx.now / 1000), MsgType: "text", Content: "this is a test", MsgId: Number(Buffer.from(ctx.randomBytes(6)).readUIntBE(0, 6)) } };
}

function post(body: string, query: [string, string][]): ProviderRequest {
  return { method: "POST", query: buildQuery(query), headers: { "content-type": "text/xml", "user-agent": "Mozilla/4.0" }, body: utf8(body) };
}

const textSafe: ProviderEvent = {
  name: "text_safe",
  description: "a text message in safe mode (安全模式): <Encrypt>, AppID checked after decrypting",
  keys: ["token", "encoding_aes_key", "app_id"],
  sample: (_keys, ctx) => sampleText(ctx),
  build: (payload, keys, ctx) => {
    const message = text(serializePayload(payload));
    const encrypt = wxEncrypt(keys.encoding_aes_key ?? "", ctx.randomBytes(16), message, keys.app_id ?? "");
    const { timestamp, nonce, pairs } = signedQuery(keys, ctx);
    const to = payload.kind === "xml" ? String(payload.fields.ToUserName ?? "") : "gh_3d5fb1c8a6e2";
    const query: [string, string][] = [...pairs, ["openid", OPENID], ["encrypt_type", "aes"], ["msg_signature", wxSignature(keys.token ?? "", timestamp, nonce, encrypt)]];
    return post(renderXml({ ToUserName: to, Encrypt: encrypt }), query);
  },
};

export const wechat: Provider = {
  name: "wechat",
  title: "WeChat Official Account (公众号)",
  keys: [
    { name: "token", description: "the server configuration Token", required: true, settingNames: ["wechat_token", "token", "wx_token", "mp_token"] },
    { name: "encoding_aes_key", description: "the EncodingAESKey (safe mode only)", required: false, settingNames: ["encoding_aes_key", "wechat_encoding_aes_key", "aes_key"] },
    { name: "app_id", description: "the AppID, encrypted into safe-mode messages", required: false, settingNames: ["app_id", "appid", "wechat_app_id"] },
  ],
  events: [
    {
      name: "verification",
      description: "the GET server check: expects echostr echoed",
      keys: ["token"],
      sample: (_keys, ctx) => ({ kind: "raw", bytes: utf8(String(Buffer.from(ctx.randomBytes(8)).readBigUInt64BE(0) % 10n ** 19n)) }),
      build: (payload, keys, ctx) => {
        const echostr = text(serializePayload(payload));
        const { pairs } = signedQuery(keys, ctx);
        return { method: "GET", query: buildQuery([...pairs, ["echostr", echostr]]), headers: { "user-agent": "Mozilla/4.0" }, body: new Uint8Array(0), expect: echostr };
      },
    },
    {
      name: "text",
      bodyUnsigned: true,
      description: "a text message in plain mode (明文模式)",
      keys: ["token"],
      sample: (_keys, ctx) => sampleText(ctx),
      build: (payload, keys, ctx) => post(text(serializePayload(payload)), [...signedQuery(keys, ctx).pairs, ["openid", OPENID]]),
    },
    textSafe,
  ],
  resignKeys: ["token"],
  resign: (request, keys, ctx) => resignWx(request, keys.token ?? "", ctx),
  readReply: (body, keys) => readWxReply(body, keys, keys.app_id),
};
