/**
 * DingTalk robot messages (HTTP mode): headers `timestamp` (ms) and
 * `sign = base64(HMAC-SHA256(appSecret, timestamp + "\n" + appSecret))`. The body is not signed.
 */
import { hmac } from "./crypto.js";
import { serializePayload } from "./payload.js";
import { hexId, withHeaders } from "./request.js";
import type { Provider, SignContext } from "./types.js";

export function dingtalkSign(appSecret: string, timestampMs: string): string {
  return hmac("sha256", appSecret, `${timestampMs}\n${appSecret}`, "base64");
}

function signHeaders(appSecret: string, ctx: SignContext): Record<string, string> {
  const timestamp = String(Math.floor(ctx.now));
  return { timestamp, sign: dingtalkSign(appSecret, timestamp) };
}

export const dingtalk: Provider = {
  name: "dingtalk",
  title: "DingTalk",
  keys: [{ name: "app_secret", description: "the robot's AppSecret (ClientSecret)", required: true, settingNames: ["app_secret", "dingtalk_app_secret", "client_secret", "dingtalk_client_secret", "robot_secret"] }],
  events: [
    {
      name: "message",
      bodyUnsigned: true,
      description: "a user @-mentions the robot with a text message",
      keys: ["app_secret"],
      sample: (_keys, ctx) => ({
        kind: "json",
        value: {
          conversationId: "cidIW7WZT7eR+uiFTOEcCW82w==",
          atUsers: [{ dingtalkId: "$:LWCP_v1:$u8N1RuYloc5Ijtrxw28e/Pau34l2zl8+" }],
          chatbotCorpId: "ding4926b640107078f2ffe93478753d9884",
          chatbotUserId: "$:LWCP_v1:$u8N1RuYloc5Ijtrxw28e/Pau34l2zl8+",
          msgId: `msg${hexId(ctx, 10)}`,
          senderNick: "Test User",
          isAdmin: false,
          senderStaffId: "0151556648401138491",
          sessionWebhookExpiredTime: ctx.now + 90 * 60_000,
          createAt: ctx.now,
          senderCorpId: "ding4926b640107078f2ffe93478753d9884",
          conversationType: "2",
          senderId: "$:LWCP_v1:$7f5Ln9eXgzdjNFbjuG73YpvhQKoZmIlW",
          conversationTitle: "Test group",
          isInAtList: true,
          sessionWebhook: "https://oapi.dingtalk.com/robot/sendBySession?session=test",
          text: { content: " hello world!" },
          robotCode: "dingpjrwhlcru3xms5ar",
          msgtype: "text",
        },
      }),
      build: (payload, keys, ctx) => ({ method: "POST", query: "", headers: { "content-type": "application/json; charset=utf-8", ...signHeaders(keys.app_secret ?? "", ctx) }, body: serializePayload(payload) }),
    },
  ],
  toleranceSeconds: 3600,
  resignKeys: ["app_secret"],
  resign: (request, keys, ctx) => withHeaders(request, signHeaders(keys.app_secret ?? "", ctx)),
};
