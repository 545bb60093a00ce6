/**
 * The throughput reference: a hand-written Hono app on @hono/node-server answering what the bench's
 * hello endpoint answers. Prints its port, then serves until killed.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.get("/hello/:name", (c) => c.text(`hello ${c.req.param("name")}\n`));
serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => console.log(`listening ${info.port}`));
