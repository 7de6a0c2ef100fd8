// Checks web/openapi.json twice: against the OpenAPI 3.1 schema, and against a running
// tailor-server, whose every answer must be one the description gives for its path, method
// and status (body by ajv, Content-Type and required headers), with every described
// operation answering 2xx at least once.
//
//   node tests/web/openapi.test.mjs BASE_URL ADMIN_TOKEN
//
// The server needs a state directory, a scoring config, a synonyms file, the admin token and
// the console (tests/e2e/openapi_e2e_test.cc starts one). It changes what it touches: it
// records events, forgets its visitor, reloads, PUTs the live synonym set and the live scoring
// config back as GET answered them and rolls the scoring config back to earlier versions of
// the same (which rewrites both files: give it copies), and runs previews. Exits 1 listing
// every mismatch.
import http from "node:http";
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";

import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// Both are CommonJS modules; their ESM default export is the module object.
const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;

const [base, token] = process.argv.slice(2);
if (!base || !token) {
  console.error("usage: node openapi.test.mjs BASE_URL ADMIN_TOKEN");
  process.exit(2);
}

const specUrl = new URL("../../web/openapi.json", import.meta.url);
const spec = JSON.parse(readFileSync(specUrl, "utf8"));
const failures = [];
const failedOperations = new Set();
const answered = new Set();  // "METHOD /path" of operations that answered 2xx

function fail(operation, message) {
  failures.push(`${operation}: ${message}`);
  failedOperations.add(operation);
  console.log(`FAIL ${operation}: ${message}`);
}

// --- The description itself -------------------------------------------------------------

async function validateSpec() {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(spec));
  if (!result.valid) {
    fail("web/openapi.json", "not a valid OpenAPI description:\n" +
         JSON.stringify(result.errors, null, 2));
  } else {
    console.log("ok   web/openapi.json is valid OpenAPI " + validator.version);
  }
}

// The whole description is one schema resource, so that a response schema's
// "#/components/..." references resolve; its OpenAPI keywords are annotations to ajv.
const kSpecId = "https://tailor.invalid/openapi.json";
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
ajv.addVocabulary(["openapi", "info", "servers", "tags", "paths", "components", "security"]);
ajv.addSchema({ ...spec, $id: kSpecId });
const validators = new Map();

// The validator of the schema at pointer; a schema ajv refuses fails every value checked.
function validatorAt(pointer) {
  if (!validators.has(pointer)) {
    try {
      validators.set(pointer, ajv.compile({ $ref: kSpecId + "#" + pointer }));
    } catch (e) {
      fail(`web/openapi.json#${pointer}`, `schema does not compile: ${e.message}`);
      const refuse = () => false;
      refuse.errors = [{ instancePath: "", message: "the schema does not compile" }];
      validators.set(pointer, refuse);
    }
  }
  return validators.get(pointer);
}

const escapeToken = (token) => String(token).replaceAll("~", "~0").replaceAll("/", "~1");

// The object at pointer's place, following a $ref there: [object, its pointer].
function resolve(value, pointer) {
  while (value && typeof value.$ref === "string") {
    pointer = value.$ref.slice(1);
    value = pointer.split("/").slice(1)
        .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"))
        .reduce((node, t) => node?.[t], spec);
  }
  return [value, pointer];
}

// --- Requests -----------------------------------------------------------------------------

// Whether a Content-Type answers the description's media type key: the same type, and
// every parameter the key names ("text/plain; version=0.0.4").
function mediaTypeMatches(key, contentType) {
  const [keyType, ...keyParams] = key.split(";").map((s) => s.trim().toLowerCase());
  const [type, ...params] = contentType.split(";").map((s) => s.trim().toLowerCase());
  return keyType === type && keyParams.every((p) => params.includes(p));
}

// One line of the Prometheus text format 0.0.4: a comment or "name{labels} value [ts]".
const kLabels = String.raw`\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\}`;
const kPrometheusLine =
    new RegExp(String.raw`^(#.*|[a-zA-Z_:][a-zA-Z0-9_:]*(${kLabels})? \S+( -?\d+)?)$`);

function checkBody(operation, mediaType, body, [media, pointer]) {
  if (mediaType === "application/json") {
    let json;
    try {
      json = JSON.parse(body);
    } catch (e) {
      return fail(operation, `body is not JSON (${e.message}): ${body.slice(0, 200)}`);
    }
    if (media.schema) {
      const validate = validatorAt(pointer + "/schema");
      if (!validate(json)) {
        fail(operation, "body does not match the schema:\n" +
             ajv.errorsText(validate.errors, { separator: "\n" }) + "\n  body: " +
             body.slice(0, 400));
      }
    }
    return json;
  }
  if (mediaType === "text/plain") {
    const bad = body.split("\n").filter((line) => line !== "" && !kPrometheusLine.test(line));
    if (bad.length > 0) {
      fail(operation, "not the Prometheus text format: " + bad.slice(0, 3).join(" | "));
    }
  }
  return body;
}

// Checks one answer against the description: status, headers, Content-Type and body.
function checkAnswer(operation, template, method, expect, status, headers, body) {
  const [op, opPointer] = resolve(spec.paths[template]?.[method.toLowerCase()],
                                  `/paths/${escapeToken(template)}/${method.toLowerCase()}`);
  if (!op) return fail(operation, "not described");
  const key = op.responses[status] ? String(status) : "default";
  const [response, responsePointer] = resolve(op.responses[key], `${opPointer}/responses/${key}`);
  const described = response ? "" : " (not described)";
  if (status !== expect || !response) {
    fail(operation, `status ${status}${described}, expected ${expect}: ${body.slice(0, 200)}`);
  }
  if (!response) return undefined;
  if (status >= 200 && status < 300) answered.add(`${method} ${template}`);
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    const [described, pointer] = resolve(header, `${responsePointer}/headers/${escapeToken(name)}`);
    const value = headers.get(name);
    if (value === null) {
      if (described.required) fail(operation, `header ${name} missing`);
      continue;
    }
    const validate = validatorAt(pointer + "/schema");
    if (!validate(value)) {
      fail(operation, `header ${name}: ${value}: ${ajv.errorsText(validate.errors)}`);
    }
  }
  if (!response.content) {
    if (body !== "") fail(operation, `status ${status} has no body in the description`);
    return undefined;
  }
  const contentType = headers.get("content-type") ?? "";
  const mediaKey = Object.keys(response.content).find((k) => mediaTypeMatches(k, contentType));
  if (mediaKey === undefined) {
    return fail(operation, `Content-Type ${contentType}, described: ` +
                Object.keys(response.content).join(", "));
  }
  return checkBody(operation, mediaKey.split(";")[0], body,
                   resolve(response.content[mediaKey],
                           `${responsePointer}/content/${escapeToken(mediaKey)}`));
}

// Sends one request and checks its answer. query: an object whose array values repeat the
// parameter; json: a body to send as JSON; raw: a body as it is. Returns the parsed body.
async function call(method, path, { query, json, raw, headers = {}, expect = 200, template } = {}) {
  const url = new URL(path, base);
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const one of [value].flat()) url.searchParams.append(name, String(one));
  }
  const init = { method, headers: { ...headers } };
  if (json !== undefined || raw !== undefined) {
    init.body = raw ?? JSON.stringify(json);
    init.headers["content-type"] = "application/json";
  }
  const sent = init.body === undefined ? "" : " " + init.body.slice(0, 80);
  const auth = headers.authorization ? ` (${headers.authorization.split(" ")[0]} token)` : "";
  const operation = `${method} ${url.pathname}${url.search}${sent}${auth}`;
  let answer;
  try {
    answer = await fetch(url, init);
  } catch (e) {
    return fail(operation, `request failed: ${e.cause?.message ?? e.message}`);
  }
  const body = await answer.text();
  const before = failures.length;
  const parsed = checkAnswer(operation, template ?? url.pathname, method, expect, answer.status,
                             answer.headers, body);
  if (failures.length === before) console.log(`ok   ${operation} -> ${answer.status}`);
  return { status: answer.status, headers: answer.headers, body: parsed };
}

// A body over the server's limit, announced by Content-Length with "Expect: 100-continue",
// so the 413 comes before any of it is sent (fetch cannot wait for 100 Continue).
function callTooLarge(path) {
  const operation = `POST ${path} (body over the limit)`;
  return new Promise((done) => {
    const request = http.request(new URL(path, base), {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": 64 << 20,
                 expect: "100-continue" },
    });
    request.on("continue", () => {
      fail(operation, "the server asked for a 64 MiB body");
      request.destroy();
      done();
    });
    request.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => {
        const headers = new Headers(
            Object.entries(response.headers).map(([name, value]) => [name, String(value)]));
        const before = failures.length;
        checkAnswer(operation, path, "POST", 413, response.statusCode, headers, body);
        if (failures.length === before) console.log(`ok   ${operation} -> ${response.statusCode}`);
        request.destroy();
        done();
      });
    });
    request.on("error", (e) => {
      fail(operation, `request failed: ${e.message}`);
      done();
    });
    request.flushHeaders();
  });
}

// An answer outside every operation (unknown path, wrong method): an Error body.
async function callUnrouted(method, path, expect, requiredHeader) {
  const operation = `${method} ${path}`;
  const answer = await fetch(new URL(path, base), { method });
  const body = await answer.text();
  const before = failures.length;
  if (answer.status !== expect) fail(operation, `status ${answer.status}, expected ${expect}`);
  if (requiredHeader && answer.headers.get(requiredHeader) === null) {
    fail(operation, `header ${requiredHeader} missing`);
  }
  const validate = validatorAt("/components/schemas/Error");
  let json;
  try {
    json = JSON.parse(body);
  } catch {
    json = body;
  }
  if (!validate(json)) fail(operation, "not an Error: " + ajv.errorsText(validate.errors));
  if (failures.length === before) console.log(`ok   ${operation} -> ${answer.status}`);
}

function expectThat(operation, condition, message) {
  if (!condition) fail(operation, message);
}

// --- The endpoints -------------------------------------------------------------------------

const visitor = `openapi-test-${process.pid}-${Date.now()}`;
const admin = { authorization: `Bearer ${token}` };

async function searchEndpoints() {
  const all = await call("GET", "/search", { query: { q: "", limit: 100 } });
  const hits = all?.body?.hits ?? [];
  expectThat("GET /search?q=", hits.length >= 2, "the catalog needs at least 2 products");
  const first = hits[0] ?? {};
  const facets = all?.body?.facets ?? {};
  const word = String(first.title ?? "a").split(/\s+/).find((w) => w.length >= 3) ?? "a";
  await call("GET", "/search", { query: { q: word } });
  await call("GET", "/search", {
    query: {
      q: word, brand: (facets.brand ?? []).slice(0, 2).map((f) => f.value),
      color: (facets.color ?? []).slice(0, 1).map((f) => f.value), facets: "conjunctive",
      price_min: 0, price_max: 100000, in_stock: "true", limit: 5, offset: 0, prefix: "false",
    },
  });
  await call("GET", "/search", {
    query: {
      category: (facets.category ?? []).slice(0, 1).map((f) => f.value),
      size: (facets.size ?? []).slice(0, 1).map((f) => f.value), offset: 1, variant: "text",
      explain: "true", facets: "disjunctive",
    },
  });
  for (const query of [{ limit: "x" }, { limit: 101 }, { offset: -1 }, { nope: 1 },
                       { facets: "both" }, { variant: "no-such-variant" },
                       { price_min: 10, price_max: 1 }, { q: ["a", "b"] }, { brand: "" },
                       { in_stock: "yes" }]) {
    await call("GET", "/search", { query, expect: 400 });
  }
  await call("POST", "/search", {
    json: { q: word, brand: (facets.brand ?? []).slice(0, 1).map((f) => f.value), limit: 3,
            explain: true, in_stock: false },
  });
  await call("POST", "/search", { json: { color: "no-such-colour" } });
  await call("POST", "/search?q=x", { json: {}, template: "/search", expect: 400 });
  await call("POST", "/search", { raw: "{", expect: 400 });
  await call("POST", "/search", { json: [], expect: 400 });
  await call("POST", "/search", { json: { limit: "3" }, expect: 400 });
  await call("POST", "/search", { json: { nope: 1 }, expect: 400 });
  await callTooLarge("/search");
  return hits;
}

async function rerankEndpoint(ids) {
  const answer = await call("POST", "/rerank", {
    json: { items: [ids[1], ids[0], ids[1], "no-such-product"], query: "x" },
  });
  expectThat("POST /rerank", isDeepStrictEqual(answer?.body?.unknown, ["no-such-product"]),
             "unknown must name the id the index lacks");
  await call("POST", "/rerank", { json: { visitor, items: ids.slice(0, 3), explain: true } });
  await call("POST", "/rerank", { json: { items: [] }, expect: 400 });
  await call("POST", "/rerank", { json: { visitor }, expect: 400 });
  await call("POST", "/rerank", { json: { items: [ids[0]], variant: "no-such" }, expect: 400 });
}

async function eventEndpoints(hits) {
  const [a, b, c] = hits;
  const shown = await call("GET", "/search", { query: { q: "", visitor, limit: 3 } });
  await call("POST", "/events", { json: { type: "view", visitor, item: a.id }, expect: 202 });
  const size = Object.keys(b.sizes ?? {})[0] ?? "M";
  const batch = await call("POST", "/events", {
    json: {
      events: [
        { type: "click", visitor, item: b.id, query: "", position: 1,
          request_id: shown?.body?.request_id ?? null },
        { type: "add_to_cart", visitor, item: b.id, size, quantity: 2,
          timestamp: new Date().toISOString() },
        { type: "purchase", visitor, item: (c ?? a).id, quantity: 1, timestamp: Date.now() },
        { type: "remove_from_cart", visitor, item: a.id, size: null },
      ],
    },
    expect: 202,
  });
  expectThat("POST /events", batch?.body?.accepted === 4, "accepted must count the batch");
  const refused = await call("POST", "/events", {
    json: {
      events: [{ type: "view", visitor, item: a.id }, { type: "clik", visitor, item: a.id }],
    },
    expect: 400,
  });
  expectThat("POST /events (bad batch)",
             String(refused?.body?.error?.message).startsWith("events[1].type"),
             "the message must name events[1].type");
  await call("POST", "/events", { json: { events: [] }, expect: 400 });
  await call("POST", "/events", { json: { type: "view", visitor }, expect: 400 });
  await call("POST", "/events", { raw: "[1]", expect: 400 });
  await call("POST", "/events?x=1", { json: { type: "view", visitor, item: a.id },
                                      template: "/events", expect: 400 });
  const template = "/profiles/{visitor}";
  await call("GET", `/profiles/${visitor}`, { template });
  await call("GET", "/search", { query: { q: "", visitor, explain: "1", limit: 5 } });
  await call("GET", "/search", { query: { q: "", visitor, personalize: "false" } });
  await call("GET", `/profiles/${"x".repeat(257)}`, { template, expect: 400 });
  await call("DELETE", `/profiles/${"x".repeat(257)}`, { template, expect: 400 });
}

async function recommendationEndpoints(ids) {
  const path = "/recommendations";
  await call("GET", path, { query: { type: "similar", item: ids[0], visitor, explain: "true" } });
  await call("GET", path, { query: { type: "similar", visitor } });
  await call("GET", path, { query: { type: "also_bought", item: ids[1], limit: 5 } });
  await call("GET", path, { query: { type: "complements", visitor, variant: "text" } });
  await call("GET", path, { query: { type: "reduced", visitor, personalize: "false" } });
  await call("GET", path, { query: { type: "similar", item: "no-such-product" }, expect: 404 });
  for (const query of [{}, { type: "nope" }, { type: "similar", limit: 0 },
                       { type: "similar", limit: "x" }, { type: ["similar", "reduced"] },
                       { type: "similar", nope: 1 }, { type: "similar", variant: "no-such" }]) {
    await call("GET", path, { query, expect: 400 });
  }
}

async function suggestEndpoint(hits) {
  const word = String(hits[0].title).split(/\s+/).find((w) => w.length >= 3) ?? "ab";
  const query = { q: word.slice(0, 2), visitor, limit: 5 };
  const answer = await call("GET", "/suggest", { query });
  expectThat("GET /suggest", (answer?.body?.suggestions ?? []).length > 0,
             `no suggestion for "${word.slice(0, 2)}"`);
  for (const query of [{}, { q: "" }, { q: "a", limit: 0 }, { q: "a", limit: 51 },
                       { q: "a", nope: 1 }, { q: ["a", "b"] }]) {
    await call("GET", "/suggest", { query, expect: 400 });
  }
}

async function adminEndpoints() {
  const wrong = { authorization: "Bearer wrong-token" };
  for (const [method, path] of [["POST", "/admin/reload"], ["GET", "/admin/synonyms"],
                                ["PUT", "/admin/synonyms"], ["GET", "/admin/stats"],
                                ["GET", "/admin/analytics"]]) {
    await call(method, path, { expect: 401 });
    await call(method, path, { headers: wrong, expect: 401 });
  }
  await call("GET", "/admin/stats", { headers: admin });
  const synonyms = await call("GET", "/admin/synonyms", { headers: admin });
  await call("PUT", "/admin/synonyms", {
    headers: admin, json: { synonyms: [{ synonyms: ["only one"] }] }, expect: 400,
  });
  await call("PUT", "/admin/synonyms", { headers: admin, raw: "{", expect: 400 });
  if (synonyms?.body?.synonyms) {
    await call("PUT", "/admin/synonyms", { headers: admin, json: synonyms.body });
  }
  await call("POST", "/admin/reload", { headers: admin });
  await call("GET", "/admin/analytics", { headers: admin });
  await call("GET", "/admin/analytics", {
    headers: admin, query: { from: "2020-01-01T00:00:00Z", to: Date.now(), limit: 5 },
  });
  await call("GET", "/admin/analytics", { headers: admin, query: { variant: "default" } });
  for (const query of [{ limit: 0 }, { limit: 1001 }, { nope: 1 }, { from: 2, to: 1 },
                       { from: "yesterday" }, { limit: [1, 2] }]) {
    await call("GET", "/admin/analytics", { headers: admin, query, expect: 400 });
  }
}

async function staticEndpoints() {
  await call("GET", "/");
  await call("GET", "/tailor.js");
  const served = await call("GET", "/openapi.json");
  expectThat("GET /openapi.json", isDeepStrictEqual(served?.body, spec),
             "the server serves another description than web/openapi.json (restart it)");
  const etag = served?.headers?.get("etag");
  if (etag) await call("GET", "/openapi.json", { headers: { "if-none-match": etag }, expect: 304 });
  const metrics = await fetch(new URL("/metrics", base));
  if (metrics.status === 404) {
    await metrics.text();
    fail("GET /metrics", "404: /metrics is not routed");
  } else {
    await metrics.text();
    await call("GET", "/metrics");
  }
  await call("GET", "/health");
  const consolePage = await call("GET", "/console");
  const consoleTag = consolePage?.headers?.get("etag");
  if (consoleTag) {
    await call("GET", "/console", { headers: { "if-none-match": consoleTag }, expect: 304 });
  }
}

// A preview's checked status once it is no longer running, or after 30 s (polled unchecked
// in between, so that the log holds only the last answer).
async function awaitPreview(id) {
  for (let attempt = 0; attempt < 300; ++attempt) {
    const answer = await fetch(new URL(`/admin/preview/${id}`, base), { headers: admin });
    const body = await answer.json().catch(() => undefined);
    if (answer.status !== 200 || body?.status !== "running") break;
    await new Promise((done) => setTimeout(done, 100));
  }
  return call("GET", `/admin/preview/${id}`, { headers: admin, template: "/admin/preview/{id}" });
}

// The merchandiser's API under the console. The scoring configs it PUTs and rolls back to all
// rank as the live one does, and it ends with the live one, so the rest of the script sees the
// server it started with. The preview needs the visitor's logged searches: this runs before
// the visitor is forgotten.
async function scoringEndpoints(hits) {
  const wrong = { authorization: "Bearer wrong-token" };
  const preview = "/admin/preview/{id}";
  for (const [method, path, template] of [
    ["GET", "/admin/scoring"], ["PUT", "/admin/scoring"], ["GET", "/admin/scoring/history"],
    ["POST", "/admin/rollback"], ["POST", "/admin/preview"], ["GET", "/admin/preview/p1", preview],
    ["DELETE", "/admin/preview/p1", preview], ["GET", "/admin/explain"]]) {
    await call(method, path, { template, expect: 401 });
    await call(method, path, { template, headers: wrong, expect: 401 });
  }

  const live = (await call("GET", "/admin/scoring", { headers: admin }))?.body;
  const first = await call("GET", "/admin/scoring/history", { headers: admin });
  if (!live?.config) return fail("GET /admin/scoring", "no live config: the rest needs it");
  // A fresh state directory has only the version the server started with.
  if (first?.body?.versions?.length === 1) {
    await call("POST", "/admin/rollback", { headers: admin, expect: 409 });
  }
  const name = live.config.default_variant ?? "default";
  // The live config with one more rule on its default variant.
  const withRule = (rule) => {
    const config = structuredClone(live.config);
    const variant = config.variants[name];
    variant.business = { ...variant.business, rules: [...(variant.business?.rules ?? []), rule] };
    return config;
  };
  const rules = live.config.variants[name]?.business?.rules ?? [];
  const bad = withRule({ action: "boots", match: { brand: "acme" } });
  const refused = await call("PUT", "/admin/scoring", { headers: admin, json: bad, expect: 400 });
  const path = `variants.${name}.business.rules[${rules.length}].action: `;
  expectThat("PUT /admin/scoring (bad rule)",
             String(refused?.body?.error?.message).startsWith(path),
             `the message must start ${path}`);
  await call("PUT", "/admin/scoring", { headers: admin, raw: "{", expect: 400 });
  // The live config again: equal as JSON, so it stays the live version.
  const same = await call("PUT", "/admin/scoring", { headers: admin, json: live.config });
  expectThat("PUT /admin/scoring (the live config)", same?.body?.version === live.version,
             "an equal config must keep the live version");
  // A new version that ranks the same: one more rule, expired long ago.
  const expired = withRule({ name: "openapi-expired", action: "boost", weight: 1,
                             match: { brand: "acme" }, from: "1999-01-01T00:00:00Z",
                             until: 946684800000 });
  const put = await call("PUT", "/admin/scoring", { headers: admin, json: expired });
  const putVersion = put?.body?.version;

  for (const json of [{ version: 0 }, { version: "1" }, { nope: 1 }, []]) {
    await call("POST", "/admin/rollback", { headers: admin, json, expect: 400 });
  }
  await call("POST", "/admin/rollback", { headers: admin, json: { version: 1e6 }, expect: 404 });
  const back = await call("POST", "/admin/rollback", {
    headers: admin, json: { version: live.version },
  });
  expectThat("POST /admin/rollback", back?.body?.restored === live.version,
             "restored must name the version asked for");
  // No body: the version before the live one, the PUT's.
  const again = await call("POST", "/admin/rollback", { headers: admin });
  expectThat("POST /admin/rollback (no body)", again?.body?.restored === putVersion,
             `restored must be the version before the live one (${putVersion})`);
  // And the live config as it was, so the rest of the script sees the server it started with.
  const restored = await call("PUT", "/admin/scoring", { headers: admin, json: live.config });
  const history = await call("GET", "/admin/scoring/history", { headers: admin });
  const sources = (history?.body?.versions ?? []).slice(0, 4).map((v) => v.source);
  expectThat("GET /admin/scoring/history",
             isDeepStrictEqual(sources, ["put", "rollback", "rollback", "put"]) &&
             history.body.live === restored?.body?.version, `newest first: ${sources}`);
  const now = await call("GET", "/admin/scoring", { headers: admin });
  expectThat("GET /admin/scoring", isDeepStrictEqual(now?.body?.config, live.config),
             "the live config must be the one the server started with");

  // Logged traffic for the preview: searches of the visitor with a click on each page.
  const buried = new Set();
  for (const q of ["", String(hits[0].title ?? "").split(/\s+/)[0] ?? ""]) {
    const page = await call("GET", "/search", { query: { q, visitor, limit: 5 } });
    const shown = page?.body?.hits ?? [];
    if (shown.length < 2) continue;
    buried.add(shown[0].id);
    await call("POST", "/events", {
      json: { type: "click", visitor, item: shown[1].id, query: q, position: 1,
              request_id: page.body.request_id },
      expect: 202,
    });
  }
  // Burying what came first changes those pages' top 10.
  const proposed = withRule({ name: "openapi-bury", action: "bury", match: { ids: [...buried] } });
  const start = "/admin/preview";
  await call("POST", start, { headers: admin, raw: "{", expect: 400 });
  const badPreview =
      await call("POST", start, { headers: admin, json: { config: bad }, expect: 400 });
  expectThat("POST /admin/preview (bad rule)",
             String(badPreview?.body?.error?.message).startsWith("config." + path),
             `the message must start config.${path}`);
  for (const json of [{}, { max_rankings: 5 }, { config: proposed, variant: "no-such" },
                      { config: proposed, live_variant: "no-such" },
                      { config: proposed, max_rankings: 0 }, { config: proposed, from: 2, to: 1 },
                      { config: proposed, from: "yesterday" }, { config: proposed, nope: 1 }]) {
    await call("POST", start, { headers: admin, json, expect: 400 });
  }
  await callTooLarge(start);
  const started = await call("POST", start, {
    headers: admin, json: { config: proposed, to: Date.now() + 60000 }, expect: 202,
  });
  const id = started?.body?.id;
  if (id) {
    await call("GET", `/admin/preview/${id}`, { headers: admin, template: preview });
    const done = (await awaitPreview(id))?.body;
    expectThat(`GET /admin/preview/${id}`, done?.status === "done", `status ${done?.status}`);
    const changed = (done?.report?.changed ?? []).find((q) => q.changed > 0);
    expectThat(`GET /admin/preview/${id}`,
               done?.report?.rankings > 0 && changed?.live?.length > 0 &&
                   !isDeepStrictEqual(changed.live, changed.proposed),
               "the report must replay rankings and list a changed query's before and after");
    // Finished: DELETE leaves it done and answers its status without the report.
    const kept =
        await call("DELETE", `/admin/preview/${id}`, { headers: admin, template: preview });
    expectThat(`DELETE /admin/preview/${id}`, kept?.body?.status === "done",
               "a done one stays done");
  }
  // A second one, cancelled at once: it may have finished already, so either end is right.
  const second = await call("POST", start, {
    headers: admin, expect: 202,
    json: { config: proposed, variant: name, live_variant: name, max_rankings: 1,
            from: new Date(Date.now() - 3600000).toISOString() },
  });
  if (second?.body?.id) {
    await call("DELETE", `/admin/preview/${second.body.id}`, { headers: admin, template: preview });
    const ended = (await awaitPreview(second.body.id))?.body;
    expectThat("DELETE /admin/preview", ["cancelled", "done"].includes(ended?.status),
               `status ${ended?.status}`);
  }
  await call("GET", "/admin/preview/no-such", { headers: admin, template: preview, expect: 404 });
  await call("DELETE", "/admin/preview/no-such",
             { headers: admin, template: preview, expect: 404 });

  const word = String(hits[0].title ?? "a").split(/\s+/).find((w) => w.length >= 3) ?? "a";
  // explain=false is ignored: every hit is explained (the schema requires it).
  await call("GET", "/admin/explain", {
    headers: admin, query: { q: word, visitor, explain: "false" },
  });
  await call("GET", "/admin/explain", {
    headers: admin, query: { q: "", limit: 3, variant: "text" },
  });
  for (const query of [{ limit: "x" }, { nope: 1 }, { variant: "no-such-variant" }]) {
    await call("GET", "/admin/explain", { headers: admin, query, expect: 400 });
  }
}

async function forgetVisitor() {
  const template = "/profiles/{visitor}";
  const forgotten = await call("DELETE", `/profiles/${visitor}`, { template });
  expectThat("DELETE /profiles", forgotten?.body?.visitor === visitor, "must name the visitor");
  await call("GET", `/profiles/${visitor}`, { template, expect: 404 });
  await call("DELETE", `/profiles/${visitor}`, { template, expect: 404 });
}

await validateSpec();
const hits = await searchEndpoints();
if (hits.length >= 2) {
  const ids = hits.map((hit) => hit.id);
  await rerankEndpoint(ids);
  await eventEndpoints(hits);
  await recommendationEndpoints(ids);
  await suggestEndpoint(hits);
  await scoringEndpoints(hits);
  await forgetVisitor();
}
await adminEndpoints();
await staticEndpoints();
await callUnrouted("GET", "/no-such-path", 404);
await callUnrouted("PUT", "/health", 405, "allow");

for (const [path, item] of Object.entries(spec.paths)) {
  for (const method of Object.keys(item).filter((k) => k !== "parameters")) {
    const operation = `${method.toUpperCase()} ${path}`;
    if (!answered.has(operation) && !failedOperations.has(operation)) {
      fail(operation, "described but never answered 2xx");
    }
  }
}

if (failures.length > 0) {
  console.log(`\n${failures.length} mismatch(es):`);
  for (const failure of failures) console.log("  " + failure.split("\n")[0]);
  process.exit(1);
}
console.log("\nall answers match web/openapi.json");
