/**
 * The encrypted envelope WeChat Official Accounts (safe mode) and WeCom share: reading a reply
 * (`<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>` or WeCom's JSON
 * `{"encrypt","msgsignature","timestamp","nonce"}`) and re-signing a captured request.
 */
import { safeEqual, wxDecrypt, wxSignature } from "./crypto.js";
import { buildQuery, parseQuery, parseXmlFields, text } from "./payload.js";
import { digitNonce, unixSeconds } from "./request.js";
import type { Keys, ProviderRequest, ReplyReading, SignContext } from "./types.js";

interface Envelope {
  encrypt: string;
  signature: string;
  timestamp: string;
  nonce: string;
}

function envelopeOf(body: string): Envelope | undefined {
  const trimmed = body.trim();
  if (trimmed.startsWith("{")) {
    try {
      const json = JSON.parse(trimmed) as Record<string, unknown>;
      if (typeof json.encrypt !== "string") return undefined;
      return { encrypt: json.encrypt, signature: String(json.msgsignature ?? ""), timestamp: String(json.timestamp ?? ""), nonce: String(json.nonce ?? "") };
    } catch {
      return undefined;
    }
  }
  const fields = parseXmlFields(trimmed);
  if (fields.Encrypt === undefined) return undefined;
  return { encrypt: fields.Encrypt, signature: fields.MsgSignature ?? "", timestamp: fields.TimeStamp ?? "", nonce: fields.Nonce ?? "" };
}

/** The encrypted field of a request body (`{"encrypt"}` or `<Encrypt>`), if it has one. */
export function encryptedField(body: Uint8Array): string | undefined {
  return envelopeOf(text(body))?.encrypt;
}

/** Decrypts and checks an encrypted reply; a plain reply is reported as such. */
export function readWxReply(body: Uint8Array, keys: Keys, expectedReceiveId: string | undefined): ReplyReading {
  const envelope = envelopeOf(text(body));
  if (!envelope) return { encrypted: false };
  const token = keys.token ?? "";
  const signatureValid = safeEqual(wxSignature(token, envelope.timestamp, envelope.nonce, envelope.encrypt), envelope.signature);
  if (!keys.encoding_aes_key) return { encrypted: true, signatureValid, problem: "no EncodingAESKey to decrypt with" };
  try {
    const { message, receiveId } = wxDecrypt(keys.encoding_aes_key, envelope.encrypt);
    const problem = expectedReceiveId !== undefined && receiveId !== expectedReceiveId ? `the reply's receive id is "${receiveId}", expected "${expectedReceiveId}"` : undefined;
    return { encrypted: true, plaintext: message, signatureValid, ...(problem ? { problem } : {}) };
  } catch (error) {
    return { encrypted: true, signatureValid, problem: `cannot decrypt: ${(error as Error).message}` };
  }
}

/**
 * New timestamp and nonce, and the signatures over them: `msg_signature` over the body's (or the
 * GET's `echostr`) ciphertext, `signature` over the plain triple. Other query values are kept.
 */
export function resignWx(request: ProviderRequest, token: string, ctx: SignContext): ProviderRequest {
  const query = parseQuery(request.query);
  const timestamp = unixSeconds(ctx);
  const nonce = digitNonce(ctx);
  const encrypt = query.get("echostr") !== undefined && query.has("msg_signature") ? query.get("echostr") : encryptedField(request.body);
  const pairs: [string, string][] = [];
  for (const [k, v] of query) {
    if (k === "timestamp") pairs.push([k, timestamp]);
    else if (k === "nonce") pairs.push([k, nonce]);
    else if (k === "signature") pairs.push([k, wxSignature(token, timestamp, nonce)]);
    else if (k === "msg_signature" && encrypt !== undefined) pairs.push([k, wxSignature(token, timestamp, nonce, encrypt)]);
    else pairs.push([k, v]);
  }
  return { ...request, query: buildQuery(pairs) };
}
