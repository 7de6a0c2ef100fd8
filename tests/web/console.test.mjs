// Browser test of the merchandiser's console: headless Chromium does what a merchandiser
// does (signs in, adds a brand boost, previews it on logged traffic, switches it live, rolls
// back, meets a refused rule, reads the analytics and an explanation) and checks what the
// page shows against the server's own answers and what shoppers then get from /search.
//
//   node tests/web/console.test.mjs BASE_URL TOKEN SCREENSHOT_DIR [--screenshots DIR]
//
// Exit 0 when all steps pass. A failing step saves SCREENSHOT_DIR/<step>.png and the script
// exits 1 naming the step. With --screenshots, DIR/console.png is the docs screenshot of the
// console with a preview shown.
import {mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {chromium} from 'playwright-core';

const TOP = 10;
const PAGE = 20;
// Queries of the sample catalog with many matches; the test boosts a brand of the first
// one whose page has a brand below the top 10 only.
const QUERIES = ['men shirt', 'shirt', 'kurta', 'tshirt', 'jeans', 'shoes', 'watch', 'dress'];
const NO_RESULTS = 'qqxzvwk';
const SHOPPERS = 12;
const BOOST = 100;

function fail(message) {
  throw new Error(message);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(method, path, body, admin = false) {
  const headers = admin ? {Authorization: `Bearer ${token}`} : {};
  const response = await fetch(baseUrl + path, {method, headers,
                                                body: body === undefined ? undefined : JSON.stringify(body)});
  const json = await response.json().catch(() => null);
  return {status: response.status, body: json};
}

async function search(q, extra = {}) {
  const params = new URLSearchParams({q, limit: String(PAGE), ...extra});
  const {status, body} = await call('GET', `/search?${params}`);
  if (status !== 200) fail(`GET /search?${params} answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

function brandStanding(hits, brand) {
  const count = hits.slice(0, TOP).filter((hit) => hit.brand === brand).length;
  const best = hits.findIndex((hit) => hit.brand === brand);
  return {count, best: best < 0 ? Infinity : best};
}

const topIds = (answer) => answer.hits.slice(0, TOP).map((hit) => hit.id).join();

// A query and a brand the text order keeps out of its top 10 but shows on the first page:
// a boost of it changes the top 10 of both the logged pages and live searches.
async function pickQueryAndBrand() {
  for (const q of QUERIES) {
    const answer = await search(q);
    if (answer.total < 100 || answer.hits.length < PAGE) continue;
    const top = new Set(answer.hits.slice(0, TOP).map((hit) => hit.brand));
    const below = answer.hits.slice(TOP).find((hit) => hit.brand && !top.has(hit.brand));
    if (below) return {q, brand: below.brand, before: answer};
  }
  return fail(`none of ${QUERIES.join(', ')} has a brand below its top ${TOP} only`);
}

// Shoppers look at a product, search, click and buy: the logged rankings and events the
// preview replays and the analytics count. The first look gives each a profile, so their
// pages are ranked by the model as the live variant would rank them again in the replay.
async function seedTraffic(q, before) {
  const run = Date.now().toString(36);
  const shoppers = Array.from({length: SHOPPERS}, (_, i) => `console-shopper-${run}-${i}`);
  const views = shoppers.map((visitor, i) => ({type: 'view', visitor, item: before.hits[i % PAGE].id}));
  await postEvents(views);
  const events = [];
  for (const [i, visitor] of shoppers.entries()) {
    const answer = await search(q, {visitor});
    const position = i % 5;
    const on = {visitor, item: answer.hits[position].id, request_id: answer.request_id, position, query: q};
    events.push({type: 'click', ...on});
    if (i % 3 === 0) events.push({type: 'purchase', ...on, quantity: 1});
  }
  const other = QUERIES.find((query) => query !== q);
  await search(other, {visitor: `console-shopper-${run}-other`});
  await search(NO_RESULTS, {visitor: `console-shopper-${run}-other`});
  await postEvents(events);
  return shoppers[0];
}

async function postEvents(events) {
  const {status, body} = await call('POST', '/events', {events});
  if (status !== 202) fail(`POST /events answered ${status}: ${JSON.stringify(body)}`);
}

const lastRule = (page) => page.locator('[data-testid=rule]').last();

async function addRule(page, {brand, weight, queries = ''}) {
  await page.getByTestId('tab-rules').click();
  await page.getByTestId('add-rule').click();
  const rule = lastRule(page);
  await rule.getByTestId('rule-action').selectOption('boost');
  await rule.getByTestId('rule-brand').fill(brand);
  await rule.getByTestId('rule-weight').fill(String(weight));
  await rule.getByTestId('rule-queries').fill(queries);
  return rule;
}

// Runs a preview from the page until it is done with rankings read; the feature log reaches
// the disk within a second or so of the searches, so an empty replay is tried again.
async function previewUntilRead(page) {
  for (let attempt = 0; attempt < 15; ++attempt) {
    await page.getByTestId('preview-button').click();
    await page.waitForFunction(() => ['done', 'failed', 'cancelled'].includes(
        document.querySelector('#preview-progress').dataset.status), null, {timeout: 30000});
    const status = await page.getAttribute('#preview-progress', 'data-status');
    if (status !== 'done') fail(`the preview ended ${status}: ${await page.textContent('#preview-progress')}`);
    if (!(await page.getByTestId('preview-empty').count())) return;
    await sleep(500);
  }
  fail('the preview read no logged rankings after 15 attempts');
}

async function metric(page, key) {
  const row = page.locator(`[data-testid=metric-row][data-metric=${key}]`);
  if (!(await row.count())) fail(`the preview shows no ${key} row`);
  return {live: Number(await row.getByTestId('metric-live').getAttribute('data-value')),
          proposed: Number(await row.getByTestId('metric-proposed').getAttribute('data-value'))};
}

async function liveVersion() {
  const {status, body} = await call('GET', '/admin/scoring', undefined, true);
  if (status !== 200) fail(`GET /admin/scoring answered ${status}`);
  return body.version;
}

// Polls /search until `check` holds (a swapped config serves from the next request on, but
// the test does not depend on how soon); returns the last answer.
async function searchUntil(q, check) {
  let answer;
  for (let attempt = 0; attempt < 20; ++attempt) {
    answer = await search(q);
    if (check(answer)) return answer;
    await sleep(150);
  }
  return answer;
}

async function runTest(page) {
  const steps = [];
  let q;
  let brand;
  let before;
  let shopper;
  let startVersion;
  let startRules;
  let switchedVersion;

  steps.push(['shoppers search, click and buy', async () => {
    ({q, brand, before} = await pickQueryAndBrand());
    shopper = await seedTraffic(q, before);
    startVersion = await liveVersion();
    const standing = brandStanding(before.hits, brand);
    console.log(`  boosting ${brand} for "${q}": best rank ${standing.best + 1} in the text order`);
  }]);

  steps.push(['sign in with the admin token', async () => {
    await page.goto(`${baseUrl}/console`);
    await page.getByTestId('token-input').fill(`${token}-wrong`);
    await page.getByTestId('token-submit').click();
    await page.getByTestId('token-error').waitFor();
    await page.getByTestId('token-input').fill(token);
    await page.getByTestId('token-submit').click();
    await page.getByTestId('panel-rules').waitFor();
    const badge = await page.getByTestId('live-badge').innerText();
    if (!badge.includes(String(startVersion))) fail(`the badge "${badge}" does not name live version ${startVersion}`);
    // The token is kept for the tab: a reload does not ask again.
    await page.reload();
    await page.getByTestId('panel-rules').waitFor();
    if (await page.getByTestId('token-form').isVisible()) fail('a reload asks for the token again');
    startRules = await page.locator('[data-testid=rule]').count();
  }]);

  steps.push(['add a boost rule for a brand and preview it', async () => {
    await addRule(page, {brand, weight: BOOST, queries: q});
    const changed = await page.getAttribute('#draft-state', 'data-changed');
    if (changed !== 'true') fail('the form does not say it has changes that are not live');
    await previewUntilRead(page);
    const boosted = await metric(page, 'boosted_share');
    const rankings = await metric(page, 'rankings');
    console.log(`  preview over ${rankings.live} rankings: boosted share ${boosted.live} -> ${boosted.proposed}`);
    if (!(boosted.proposed > boosted.live)) fail(`boosted share did not rise: ${boosted.live} -> ${boosted.proposed}`);
    const entry = page.locator(`[data-testid=changed-query][data-query="${q}"]`);
    if (!(await entry.count())) fail(`"${q}" is not among the changed queries`);
    const risen = await entry.locator('[data-testid=changed-proposed] [data-moved=entered], ' +
                                      '[data-testid=changed-proposed] [data-moved=up]').count();
    if (!risen) fail(`no item of "${q}" is highlighted as moved in`);
    const liveItems = await entry.locator('[data-testid=changed-live] li').count();
    const proposedItems = await entry.locator('[data-testid=changed-proposed] li').count();
    if (!liveItems || !proposedItems) fail(`"${q}" shows ${liveItems} live and ${proposedItems} proposed items`);
    if (docsDir) {
      // From the top: a full-page shot of a scrolled page draws the sticky header mid-page.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({path: join(docsDir, 'console.png'), fullPage: true});
      console.log(`  docs screenshot ${join(docsDir, 'console.png')}`);
    }
  }]);

  steps.push(['switch it live and see the brand rise in /search', async () => {
    await page.getByTestId('switch-live').click();
    await page.locator('[data-testid=history-row][data-live=true]').first().waitFor();
    switchedVersion = Number(await page.locator('[data-testid=history-row][data-live=true]').getAttribute('data-version'));
    if (!(switchedVersion > startVersion)) fail(`the live version is ${switchedVersion}, was ${startVersion}`);
    if (await liveVersion() !== switchedVersion) fail(`the server's live version is not ${switchedVersion}`);
    const old = brandStanding(before.hits, brand);
    const rose = (answer) => {
      const now = brandStanding(answer.hits, brand);
      return now.count > old.count || now.best < old.best;
    };
    const after = await searchUntil(q, rose);
    const now = brandStanding(after.hits, brand);
    console.log(`  ${brand} in the top ${TOP} of "${q}": ${old.count} -> ${now.count}, ` +
                `best rank ${old.best + 1} -> ${now.best + 1}`);
    if (!rose(after)) fail(`${brand} did not rise in /search after switching live`);
  }]);

  steps.push(['roll back and see the old order again', async () => {
    await page.locator(`[data-testid=history-row][data-version="${startVersion}"] [data-testid=rollback-button]`).click();
    await page.waitForFunction((v) => document.querySelector('[data-testid=history-row][data-live=true]')
        ?.dataset.version > v, switchedVersion);
    const status = await page.getByTestId('history-status').innerText();
    if (!status.includes(`Version ${startVersion}`)) fail(`the status "${status}" does not name version ${startVersion}`);
    const after = await searchUntil(q, (answer) => topIds(answer) === topIds(before));
    if (topIds(after) !== topIds(before)) {
      fail(`the top ${TOP} of "${q}" after rolling back is not the one before the switch`);
    }
    await page.getByTestId('tab-rules').click();
    const rules = await page.locator('[data-testid=rule]').count();
    if (rules !== startRules) fail(`the form shows ${rules} rules after rolling back, ${startRules} before`);
  }]);

  steps.push(['a bad rule shows its error next to the weight field', async () => {
    const versionBefore = await liveVersion();
    const rule = await addRule(page, {brand, weight: 0});
    await page.getByTestId('preview-button').click();
    const error = rule.getByTestId('rule-weight-error');
    await error.waitFor();
    const text = await error.innerText();
    if (!text) fail('the weight field shows an empty error');
    if (await page.getByTestId('form-error').isVisible()) fail('the error shows at the top, not at the field');
    await rule.getByTestId('rule-weight').fill('-1');
    await page.getByTestId('switch-live').click();
    await page.waitForFunction(() => document.querySelector('#switch-status').textContent.startsWith('Nothing changed'));
    if (!(await error.isVisible())) fail('switching live with weight -1 shows no error at the weight field');
    const version = await liveVersion();
    if (version !== versionBefore) fail(`a refused rule changed the live version ${versionBefore} to ${version}`);
    console.log(`  weight 0 and -1: "${text}"`);
    // A rule that matches nothing named, and a margin weight out of range: each at its field.
    await rule.getByTestId('rule-weight').fill('1');
    await rule.getByTestId('rule-brand').fill('');
    await page.getByTestId('preview-button').click();
    await rule.getByTestId('rule-match-error').waitFor();
    if (await error.isVisible()) fail('the weight error stays after the weight was fixed');
    await rule.getByTestId('rule-remove').click();
    await page.getByTestId('margin-weight').fill('500');
    await page.getByTestId('preview-button').click();
    await page.getByTestId('margin-weight-error').waitFor();
    await page.getByTestId('discard').click();
    if (await page.getByTestId('margin-weight-error').isVisible()) fail('discarding keeps the error shown');
  }]);

  steps.push(['read the search analytics', async () => {
    await page.getByTestId('tab-analytics').click();
    await page.locator(`[data-testid=top-queries-row][data-query="${q}"]`).waitFor();
    await page.locator(`[data-testid=no-results-row][data-query="${NO_RESULTS}"]`).waitFor();
    const ctr = await page.getByTestId('total-ctr').innerText();
    if (!ctr.includes('%')) fail(`the click-through rate tile shows "${ctr}"`);
  }]);

  steps.push(['see why a shopper gets this order', async () => {
    await page.getByTestId('tab-explain').click();
    await page.getByTestId('explain-q').fill(q);
    await page.getByTestId('explain-visitor').fill(shopper);
    await page.getByTestId('explain-run').click();
    await page.getByTestId('explain-hit').first().waitFor();
    const params = new URLSearchParams({q, visitor: shopper, limit: String(PAGE)});
    const {status, body} = await call('GET', `/admin/explain?${params}`, undefined, true);
    if (status !== 200) fail(`GET /admin/explain answered ${status}`);
    const shown = await page.$$eval('[data-testid=explain-hit]', (items) => items.map((item) => ({
      id: item.dataset.id,
      reasons: [...item.querySelectorAll('[data-testid=explain-reasons] li')].map((li) => li.textContent),
      contributions: item.querySelectorAll('[data-testid=explain-contributions] tr').length,
    })));
    if (shown.map((s) => s.id).join() !== body.hits.map((hit) => hit.id).join()) {
      fail('the explained hits are not /admin/explain\'s');
    }
    body.hits.forEach((hit, i) => {
      if (shown[i].reasons.join() !== (hit.explain?.reasons || []).join()) fail(`hit ${i + 1}'s reasons differ`);
    });
    if (body.personalized && !shown.some((s) => s.contributions)) fail('no hit shows feature contributions');
  }]);

  for (const [name, run] of steps) {
    try {
      await run();
      console.log(`ok   ${name}`);
    } catch (error) {
      const file = join(outDir, name.replace(/\W+/g, '-') + '.png');
      await page.screenshot({path: file, fullPage: true}).catch(() => {});
      console.log(`FAIL ${name}: ${error.message.split('\n')[0]}\n     screenshot: ${file}`);
      return false;
    }
  }
  return true;
}

const args = process.argv.slice(2);
const flag = args.indexOf('--screenshots');
const docsDir = flag >= 0 ? args[flag + 1] : '';
if (flag >= 0) args.splice(flag, 2);
const [baseUrl, token, outDir] = args;
if (!baseUrl || !token || !outDir || (flag >= 0 && !docsDir)) {
  console.error('usage: node console.test.mjs BASE_URL TOKEN SCREENSHOT_DIR [--screenshots DIR]');
  process.exit(2);
}
mkdirSync(outDir, {recursive: true});
if (docsDir) mkdirSync(docsDir, {recursive: true});

const browser = await chromium.launch({executablePath: '/usr/bin/chromium', args: ['--no-sandbox']});
let passed = false;
try {
  const page = await browser.newPage({viewport: {width: 1280, height: 800}});
  page.setDefaultTimeout(10000);
  page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
  passed = await runTest(page);
} catch (error) {
  console.log(`FAIL ${error.message.split('\n')[0]}`);
} finally {
  await browser.close();
}
console.log(passed ? 'all steps passed' : 'the console test failed');
process.exit(passed ? 0 : 1);
