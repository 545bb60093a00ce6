/**
 * Every official test vector in PROVIDERS.md (and the ones computed there with a second
 * implementation), reproduced through the provider library: signers, encryption and the event
 * builders themselves where the vector pins the whole request.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ed25519PublicKey, ed25519Sign, larkDecrypt, wxDecrypt, wxEncrypt, wxSignature } from "../src/providers/crypto.js";
import { buildRequest, findEvent } from "../src/providers/index.js";
import { dingtalkSign } from "../src/providers/dingtalk.js";
import { DISCORD_TEST_SEED, discordHeaders } from "../src/providers/discord.js";
import { githubHeaders } from "../src/providers/github.js";
import { larkSignature } from "../src/providers/lark.js";
import { lineSignature } from "../src/providers/line.js";
import { metaHeaders } from "../src/providers/meta.js";
import { slackHeaders } from "../src/providers/slack.js";
import { standardSignature } from "../src/providers/standard-webhooks.js";
import { stripeSignature } from "../src/providers/stripe.js";
import { parseQuery } from "../src/providers/payload.js";
import * as V from "./helpers/provider-vectors.js";

const bytes = (s: string) => Buffer.from(s, "utf8");
const at = (seconds: number) => V.pinnedContext(seconds * 1000);

function event(spec: string) {
  const found = findEvent(spec);
  if ("error" in found) throw new Error(found.error);
  return found.event;
}

test("Slack: the docs' slash-command vector, built by the slash_command event from its sample", () => {
  const request = buildRequest(event("slack.slash_command"), { signing_secret: "8f742231b10e8888abcd99yyyzzz85a5" }, { sets: [] }, at(1531420618));
  assert.equal(Buffer.from(request.body).toString(), V.slackSlashBody);
  assert.equal(request.body.length, 362);
  assert.equal(request.headers["x-slack-signature"], "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
  assert.equal(request.headers["x-slack-request-timestamp"], "1531420618");
});

test("Slack: url_verification and app_mention bodies (computed vectors)", () => {
  const secret = "8f742231b10e8888abcd99yyyzzz85a5";
  assert.equal(slackHeaders(secret, bytes(V.slackVerificationBody), at(1531420618))["x-slack-signature"], "v0=f9bd80929259f3f6d5fe3a3186c453c89cd1ad4862815a15837584f31c993652");
  assert.equal(slackHeaders(secret, bytes(V.slackMentionBody), at(1531420618))["x-slack-signature"], "v0=1d91aeebbe469fdfbe43a186b275aeb77ea74cc1a07eb41ae0648aa3d7cb80d1");
  const built = buildRequest(event("slack.url_verification"), { signing_secret: secret }, { sets: [] }, at(1531420618));
  assert.equal(Buffer.from(built.body).toString(), V.slackVerificationBody);
});

test("LINE: the Python and Node SDK vectors, and the Verify button's body", () => {
  assert.equal(lineSignature("channel_secret", bytes("bodybodybodybody")), "/gg9a+LvFevTH1sd7XCQycD7tsWclCsInj7MhBHxN7k=");
  assert.equal(lineSignature("test_secret", bytes(JSON.stringify({ hello: "world" }))), "t7Hn4ZDHqs6e+wdvI5TyQIvzie0DmMUmuXEBqyyE/tM=");
  const verify = buildRequest(event("line.verify"), { channel_secret: "channel_secret" }, { sets: [] }, at(1700000000));
  assert.equal(Buffer.from(verify.body).toString(), '{"destination":"U123","events":[]}');
  assert.equal(verify.headers["x-line-signature"], "7Wmqxy9fuP0eEr6J3Xd/bmI7VJEJh7k7mN77kq47Fvo=");
});

test("Meta: the WhatsApp test-button body (computed vector), and ASCII escaping as Meta sends", () => {
  assert.equal(metaHeaders("test_app_secret", bytes(V.metaBody))["x-hub-signature-256"], "sha256=f8586d9ffbea92dce2f45cbdfaad128ad16b57260fa5cbff43d7ba5fd27c74a7");
  assert.equal(bytes(V.metaBody).length, 421);
  const built = buildRequest(event("whatsapp.message"), { app_secret: "s" }, { sets: ["entry.0.changes.0.value.messages.0.text.body=äöå/"] }, at(1700000000));
  assert.match(Buffer.from(built.body).toString(), /"body":"\\u00e4\\u00f6\\u00e5\\\/"/);
});

test("GitHub: the docs' vector and octokit's", () => {
  assert.equal(githubHeaders("It's a Secret to Everybody", bytes("Hello, World!"))["x-hub-signature-256"], "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
  assert.equal(githubHeaders("mysecret", bytes('{"foo":"bar"}'))["x-hub-signature-256"], "sha256=4864d2759938a15468b5df9ade20bf161da9b4f737ea61794142f3484236bda3");
});

test("Stripe: stripe-python's signer on a fixed timestamp (computed vector)", () => {
  assert.equal(stripeSignature("whsec_test_secret", bytes('{"id":"evt_test_webhook","object":"event"}'), at(1700000000)), "t=1700000000,v1=d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990");
});

test("Standard Webhooks: the JavaScript library's sign test", () => {
  assert.equal(standardSignature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", bytes('{"test": 2432232314}')), "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
});

test("Discord: the RFC 8032 test key, its public key and a PING signature (computed vector)", () => {
  assert.equal(ed25519PublicKey(DISCORD_TEST_SEED), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const ping = '{"id":"787053080478613555","token":"ThisIsATokenFromDiscordThatIsVeryLong","type":1,"version":1}';
  const expected = "f0bd878adcef1f6d475c9644421905bd02b5de38e0d3ecfc6f58a711962c69ccc8dd7c9db312f9bdf08b1e1b8182e27a844da728c5e0dbb5507bf9931c1ed80b";
  assert.equal(ed25519Sign(DISCORD_TEST_SEED, bytes(`1700000000${ping}`)), expected);
  const built = buildRequest(event("discord.ping"), {}, { sets: [] }, at(1700000000));
  assert.equal(Buffer.from(built.body).toString(), ping);
  assert.deepEqual(discordHeaders(DISCORD_TEST_SEED, built.body, at(1700000000)), { "x-signature-ed25519": expected, "x-signature-timestamp": "1700000000" });
});

test("DingTalk: the doc's example secret (computed vector)", () => {
  assert.equal(dingtalkSign("this is secret", "1700000000000"), "sSFWELbV2YwjdDQhWZwTcWlX5BWUx5J6TPpsZmuPii0=");
});

test("Lark: the docs' AES sample, and the event signature (computed vector)", () => {
  assert.equal(larkDecrypt("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="), "hello world");
  assert.equal(larkSignature("1700000000", "n0nce", "test key", bytes('{"encrypt":"P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="}')), "bed8fdd3e4bbc581364c140b572ec676edff3db612d57bbc07a24d062c40ddf3");
});

test("WeChat: plain signatures, the official AES sample, and a full safe-mode POST", () => {
  assert.equal(wxSignature("pamtest", "1409304348", "xxxxxx"), "76480565cbe296026c53aaacd1ad523a1ddba24f");
  assert.equal(wxSignature("smforj", "1471223618", "1172721634"), "c30b13f81eae957b865a27b35fe30a9a60ce4c35");
  const key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
  assert.equal(wxEncrypt(key, bytes("aaaabbbbccccdddd"), "我是中文abcd123", "wxb11529c136998cb6"), "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==");
  const message = "<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[fromUser]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[this is a test]]></Content><MsgId>1234567890123456</MsgId></xml>";
  const encrypt = wxEncrypt(key, bytes("aaaabbbbccccdddd"), message, "wxb11529c136998cb6");
  assert.equal(encrypt, V.wechatSafeEncrypt);
  assert.equal(wxSignature("pamtest", "1409304348", "xxxxxx", encrypt), "721d18a9a47647ef768e950a441cdc995c9ff03d");
  assert.deepEqual(wxDecrypt(key, encrypt), { message, receiveId: "wxb11529c136998cb6" });
});

test("WeCom: the official Go and Python samples verify and decrypt", () => {
  const key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
  const q = parseQuery(V.wecomVerifyQuery);
  assert.equal(wxSignature("QDG6eK", q.get("timestamp")!, q.get("nonce")!, q.get("echostr")!), q.get("msg_signature"));
  assert.deepEqual(wxDecrypt(key, q.get("echostr")!), { message: "1616140317555161061", receiveId: "wx5823bf96d3bd56c7" });
  assert.equal(wxSignature("QDG6eK", "1409659813", "1372623149", V.wecomJsonEncrypt), "0623cbc5a8cbee5bcc137c70de99575366fc2af3");
  assert.equal(wxDecrypt(key, V.wecomJsonEncrypt).message, V.wecomJsonPlain);
  assert.equal(wxSignature("QDG6eK", "1409659813", "1372623149", V.wecomXmlEncrypt), "477715d11cdb4164915debcba66cb864d751f3e6");
  assert.equal(wxDecrypt(key, V.wecomXmlEncrypt).message, V.wecomXmlPlain);
  const sbzhu = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
  assert.equal(wxSignature("hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo", "1476416373", "47744683", V.sbzhuEchostr), "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb");
  assert.deepEqual(wxDecrypt(sbzhu, V.sbzhuEchostr), { message: "1288432023552776189", receiveId: "ww1436e0e65a779aee" });
});

test("WeCom AI bot: the verification GET and a text POST, built whole by the events (computed vectors)", () => {
  const keys = { token: "QDG6eK", encoding_aes_key: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C" };
  const ctx = () => V.pinnedContext(1700000000_000, "aaaabbbbccccdddd", V.nonceBytes(1372623149));
  const get = buildRequest(event("wecom.verification"), keys, { sets: [], body: bytes("1616140317555161061") }, ctx());
  assert.equal(get.method, "GET");
  assert.equal(get.query, "msg_signature=47bcb95eebd6ac464bf5b86ad0df80e00c214365&timestamp=1700000000&nonce=1372623149&echostr=ZA4HuQypHxnRrA%2BA6SOHGBrLwC4qTpioFBAwS8sWQarTtj6ockrwcq0q7ITx43h5RPiI1LuilYlBQk9K2p%2Bcdg%3D%3D");
  assert.equal(get.expect, "1616140317555161061");
  const post = buildRequest(event("wecom.text"), keys, { sets: [], body: bytes(V.aiBotPlain) }, ctx());
  assert.equal(Buffer.from(post.body).toString(), JSON.stringify({ encrypt: V.aiBotEncrypt }));
  assert.equal(parseQuery(post.query).get("msg_signature"), "d556d4e3f8ee0af8d85971e855b05f248de5b615");
});
