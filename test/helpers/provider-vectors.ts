/** Long inputs of the vectors in PROVIDERS.md, kept verbatim. */
export const wechatSafeEncrypt = "jn1L23DB+6ELqJ+6bruv2/upq+mpAMKtMGIMX1YTjV8HgYCFYlfGlcBBt9/IqBJ/las/JVs3jr8SZGp0TbMiRyswCfFiKFo6q6kuP4asJNmoI88Bpy/PTqTJLl96wOEjGoyFmQjdMf9bvkjb2KYXF+a7sAWAcym8R8TUGBwrm5NCBa+CAe5W2d5AgJlU/sbqgtSz+lqSZbuq2DdX0CeBMsMzJRWbA0hkDLfKwTggdMw5Y1XxtmjTCWpizxDLpKPBodnpcdyi8R+dojDArMGAFjhntfSTNyZu8UToZZmJ6Qdw7vqX3mETghqqQWnSuxLtaQOcsmLmPH1bFQ/bKaIK0xaUbP7QMPNyihG8xQHp5O9s2cXY/vhPFmYNcQgiY8RR";
export const wecomVerifyQuery = "msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D";
export const wecomJsonEncrypt = "CZWs4CWRpI4VolQlvn4dlEC1alN2MUEY2VklGehgBVLBrlVF7SyT+SV+Toj43l4ayJ9UMGKphktKKmP7B2j/P1ey67XB8PBgS7Wr5/8+w/yWriZv3Vmoo/MH3/1HsIWZrPQ3N2mJrelStIfI2Y8kLKXA7EhfZgZX4o+ffdkZDM76SEl79Ib9mw7TGjZ9Aw/x/A2VjNbV1E8BtEbRxYYcQippYNw7hr8sFfa3nW1xLdxokt8QkRX83vK3DFP2F6TQFPL2Tu98UwhcUpPvdJBuu1/yiOQIScppV3eOuLWEsko=";
export const wecomJsonPlain = "{\"ToUserName\":\"wx5823bf96d3bd56c7\",\"FromUserName\":\"mycreate\",\"CreateTime\": 1409659813,\"MsgType\":\"text\",\"Content\":\"hello\",\"MsgId\":4561255354251345929,\"AgentID\": 218}";
export const wecomXmlEncrypt = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";
export const wecomXmlPlain = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";
export const sbzhuEchostr = "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==";
export const aiBotEncrypt = "ZA4HuQypHxnRrA+A6SOHGMLZb2LCLn3mYWzTxXIXvFQFq8KKk+FfTdYfEldOq3G+qDGbKHu2z8YHuV9vC9GyljRdw007dl+0JKr6fOWz6q3Ook5nezug2kuoqPboXiTwf6rtfACMgTxhIvYp+KfahxJ9B6zt8rHIvV53Gx4EiFcWJg5UWU/6n5aUm1QPkl6OivEi9vuzem26BGEq/sm1rOZ+XSqQ0Qu+Qlch4U+zceQEfEWXvMj/33clJcr4Zyb1UFbBtwPUA9d380+sPUnITMM8QeEHP9yXR7bSjrPiXaOzfH7lx+eOS1epr7a3gUP8zgoCzlCeUzP2dUDnzbxT4w==";
export const aiBotPlain = "{\"msgid\":\"CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=\",\"aibotid\":\"AIBOTID\",\"chatid\":\"CHATID\",\"chattype\":\"group\",\"from\":{\"userid\":\"USERID\"},\"response_url\":\"RESPONSEURL\",\"msgtype\":\"text\",\"text\":{\"content\":\"@RobotA hello robot\"}}";
export const metaBody = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"0\",\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"16505551111\",\"phone_number_id\":\"123456123\"},\"contacts\":[{\"profile\":{\"name\":\"test user name\"},\"wa_id\":\"16315551181\"}],\"messages\":[{\"from\":\"16315551181\",\"id\":\"ABGGFlA5Fpa\",\"timestamp\":\"1504902988\",\"type\":\"text\",\"text\":{\"body\":\"this is a text message\"}}]}}]}]}";
export const slackSlashBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
export const slackMentionBody = "{\"token\":\"XXYYZZ\",\"team_id\":\"T123ABC456\",\"api_app_id\":\"A123ABC456\",\"event\":{\"type\":\"app_mention\",\"user\":\"U061F7AUR\",\"text\":\"<@U0LAN0Z89> is it everything a river should be?\",\"ts\":\"1515449522.000016\",\"channel\":\"C123ABC456\",\"event_ts\":\"1515449522000016\"},\"type\":\"event_callback\",\"authorizations\":[{\"team_id\":\"T123ABC456\",\"user_id\":\"U123ABC456\",\"is_bot\":false,\"is_enterprise_install\":false}],\"event_id\":\"Ev123ABC456\",\"event_time\":123456789}";
export const slackVerificationBody = "{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}";
export const dingtalkBody = "{\"conversationId\":\"cidIW7WZT7eR+uiFTOEcCW82w==\",\"atUsers\":[{\"dingtalkId\":\"$:LWCP_v1:$u8N1RuYloc5Ijtrxw28e/Pau34l2zl8+\"}],\"chatbotCorpId\":\"ding4926b640107078f2ffe93478753d9884\",\"chatbotUserId\":\"$:LWCP_v1:$u8N1RuYloc5Ijtrxw28e/Pau34l2zl8+\",\"msgId\":\"msgm9oYEOyaIS5Ok6mUnIA0bA==\",\"senderNick\":\"谢朝\",\"isAdmin\":false,\"senderStaffId\":\"0151556648401138491\",\"sessionWebhookExpiredTime\":1665736776617,\"createAt\":1665731376467,\"senderCorpId\":\"ding4926b640107078f2ffe93478753d9884\",\"conversationType\":\"2\",\"senderId\":\"$:LWCP_v1:$7f5Ln9eXgzdjNFbjuG73YpvhQKoZmIlW\",\"conversationTitle\":\"告警测试\",\"isInAtList\":true,\"sessionWebhook\":\"https://oapi.dingtalk.com/robot/sendBySession?session=…\",\"text\":{\"content\":\" hello world!\"},\"robotCode\":\"dingpjrwhlcru3xms5ar\",\"msgtype\":\"text\"}";

/**
 * A pinned clock and scripted randomness: each `randomBytes(n)` call takes the next chunk given
 * (which must be n bytes), then counts up from 1 so runs stay deterministic.
 */
export function pinnedContext(nowMs: number, ...chunks: (string | Uint8Array)[]): { now: number; randomBytes(size: number): Uint8Array } {
  const queue = chunks.map((c) => (typeof c === "string" ? Buffer.from(c, "utf8") : Buffer.from(c)));
  let counter = 1;
  return {
    now: nowMs,
    randomBytes(size) {
      const next = queue.shift();
      if (next) {
        if (next.length !== size) throw new Error(`scripted chunk has ${next.length} bytes, ${size} asked`);
        return next;
      }
      return Buffer.from(Array.from({ length: size }, () => counter++ % 256));
    },
  };
}

/** Four bytes that `digitNonce` reads back as `n`. */
export function nonceBytes(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
