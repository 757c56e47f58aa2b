// End-to-end test of the `quire serve` viewer in headless Chromium (the system's
// /usr/bin/chromium through playwright-core; no browser is ever downloaded).
//
//   QUIRE_URL=http://127.0.0.1:PORT/ QUIRE_SOURCE_DIR=/path/to/quire node viewer_test.mjs
//
// The server must serve two archives: the demo corpus of examples/ (first) and the
// hostile corpus of hostile.mjs (second). QUIRE_SCREENSHOT=FILE saves a 1280x800
// light-theme screenshot of a demo article with its annotations to FILE.
// Run through run.sh, which packs both archives and starts the server.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import * as H from './hostile.mjs';

const BASE = process.env.QUIRE_URL;
const SRC = process.env.QUIRE_SOURCE_DIR || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const SHOT = process.env.QUIRE_SCREENSHOT || '';
if (!BASE) {
  console.error('viewer_test: set QUIRE_URL (run.sh does)');
  process.exit(2);
}

const readJsonl = (f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const demoArticles = readJsonl(path.join(SRC, 'examples/articles.jsonl'));
const demoAnnotations = readJsonl(path.join(SRC, 'examples/annotations.jsonl'));
const ANNOTATED_ID = 'news/2024/04/26/hanoi-metro-extension';
const SEARCH_WORD = 'metro';

let step = 0;
const ok = (what) => console.log(`ok ${++step} - ${what}`);

// Waits until the view shows the current address (app.js sets main[data-shown] and
// clears aria-busy when a route is rendered), optionally for an address matching re.
async function settle(page, re) {
  await page.waitForFunction((src) => {
    const m = document.querySelector('main');
    if (src !== null && !new RegExp(src).test(location.hash)) return false;
    return m && m.getAttribute('aria-busy') !== 'true' && m.dataset.shown === location.hash;
  }, re ? re.source : null);
}

async function go(page, hash) {
  await page.goto(`${BASE}${hash}`);
  await settle(page);
}

// Byte offset -> code point offset in a UTF-8 string.
function cpOffset(text, byteOff) {
  return Array.from(Buffer.from(text, 'utf8').subarray(0, byteOff).toString('utf8')).length;
}

async function main() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    acceptDownloads: false,
  });
  try {
    await run(context);
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

async function run(context) {
  const page = context.pages()[0] || await context.newPage();
  const consoleErrors = [];
  const pageErrors = [];
  const dialogs = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // The sandboxed iframe of the rendered view logs its own refusals (blocked scripts,
    // the hostile <img src=x>); those are the sandbox working. The page itself must be clean.
    const where = (msg.location() && msg.location().url) || '';
    const text = msg.text();
    if (where.includes('/raw/') || /Blocked script execution in '[^']*\/raw\//.test(text)) return;
    consoleErrors.push(`${text} (${where})`);
  });
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.on('dialog', async (d) => { dialogs.push(`${d.type()}: ${d.message()}`); await d.dismiss(); });

  const info = await (await context.request.get(new URL('/api/info', BASE).href)).json();
  assert.equal(info.archives.length, 2, 'two archives served');
  const demo = info.archives[0];
  const hostile = info.archives[1];
  assert.equal(demo.articles, demoArticles.length);
  ok(`/api/info lists ${demo.name} (${demo.articles} articles) and ${hostile.name}`);

  // ---- catalog ----
  await go(page, '');
  const shownIds = await page.$$eval('table.catalog tbody tr .id', (xs) => xs.map((x) => x.textContent));
  assert.deepEqual([...shownIds].sort(), demoArticles.map((a) => a.id).sort());
  const shownTitles = await page.$$eval('table.catalog tbody tr .title-link', (xs) => xs.map((x) => x.textContent));
  for (const a of demoArticles) assert.ok(shownTitles.includes(a.title || a.id), `title of ${a.id} listed`);
  assert.equal(await page.locator('#archive option').count(), 2);
  assert.ok(await page.locator('header[role=banner], header').count() > 0 && await page.locator('main').count() === 1);
  ok(`catalog lists all ${demoArticles.length} demo articles`);

  // paging by cursor, 5 a page
  await go(page, '#/catalog?archive=0&limit=5');
  const page1 = await page.$$eval('table.catalog tbody tr .id', (xs) => xs.map((x) => x.textContent));
  assert.equal(page1.length, 5);
  await page.click('nav.pager a[rel=next]');
  await settle(page, /cursor=/);
  const page2 = await page.$$eval('table.catalog tbody tr .id', (xs) => xs.map((x) => x.textContent));
  assert.equal(page2.length, 5);
  assert.ok(!page2.some((id) => page1.includes(id)), 'page 2 differs from page 1');
  await page.click('nav.pager a[rel=prev]');
  await settle(page, /^#\/catalog\?archive=0&limit=5$/);
  assert.deepEqual(await page.$$eval('table.catalog tbody tr .id', (xs) => xs.map((x) => x.textContent)), page1);
  ok('paging: next and previous by cursor');

  // filters
  const viCount = demoArticles.filter((a) => a.lang === 'vi').length;
  await go(page, '#/catalog?archive=0');
  await page.fill('form.filters input[name=lang]', 'vi');
  await page.click('form.filters button[type=submit]');
  await settle(page, /lang=vi/);
  assert.equal(await page.locator('table.catalog tbody tr').count(), viCount);
  assert.match(await page.evaluate(() => location.hash), /lang=vi/);
  const withPerson = demoAnnotations.filter((a) => a.layers.some((l) => l.spans.some((sp) => sp.type === 'entity' && sp.label === 'PERSON'))).length;
  await page.fill('form.filters input[name=lang]', '');
  await page.fill('form.filters input[name=has_annotation]', 'entity=PERSON');
  await page.click('form.filters button[type=submit]');
  await settle(page, /has_annotation=entity%3DPERSON/);
  assert.equal(await page.locator('table.catalog tbody tr').count(), withPerson);
  ok(`filters: lang=vi gives ${viCount} articles, has_annotation=entity=PERSON ${withPerson}`);

  // ---- keyboard on the catalog: j j k, Enter, Escape ----
  await go(page, '#/catalog?archive=0');
  await page.locator('main').focus();
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'q', "'/' focuses the search box");
  await page.keyboard.press('Escape');
  assert.notEqual(await page.evaluate(() => document.activeElement && document.activeElement.id), 'q', 'Escape leaves the search box');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  const selected = await page.$$eval('table.catalog tbody tr', (rows) => rows.findIndex((r) => r.classList.contains('selected')));
  assert.equal(selected, 0, 'j j k selects the first row');
  const firstId = await page.$eval('table.catalog tbody tr.selected .id', (x) => x.textContent);
  const focusVisible = await page.evaluate(() => {
    const a = document.activeElement;
    return a && a.matches(':focus-visible') && getComputedStyle(a).outlineStyle !== 'none';
  });
  assert.ok(focusVisible, 'the selected row link has a visible focus ring');
  await page.keyboard.press('Enter');
  await settle(page, /^#\/article\//);
  assert.equal(await page.$eval('table.meta td.mono', (x) => x.textContent), firstId);
  await page.keyboard.press('Escape');
  await settle(page, /^#\/catalog/);
  assert.equal(await page.$eval('table.catalog tbody tr.selected .id', (x) => x.textContent), firstId);
  ok("keyboard: '/' focuses search, j/k select, Enter opens, Escape goes back to the same row");

  // back/forward through the hash
  await page.goForward();
  await settle(page, /^#\/article\//);
  assert.equal(await page.$eval('table.meta td.mono', (x) => x.textContent), firstId);
  await page.goBack();
  await settle(page, /^#\/catalog/);
  assert.ok(await page.locator('table.catalog tbody tr').count() > 0);
  ok('history: back and forward between catalog and article');

  // ---- search ----
  if (demo.has_fulltext) {
    await page.keyboard.press('/');
    await page.keyboard.type(SEARCH_WORD);
    await page.keyboard.press('Enter');
    await settle(page, /^#\/search\?/);
    const marks = await page.$$eval('ol.hits .snippet mark', (xs) => xs.map((x) => x.textContent.toLowerCase()));
    assert.ok(marks.length > 0, 'snippets have <mark>');
    assert.ok(marks.some((m) => m.includes(SEARCH_WORD)), `a mark says ${SEARCH_WORD}: ${marks}`);
    const withWord = demoArticles.filter((a) => a.text.toLowerCase().includes(SEARCH_WORD)).map((a) => a.id);
    const hitIds = await page.$$eval('ol.hits li .id', (xs) => xs.map((x) => x.textContent));
    for (const id of hitIds) assert.ok(withWord.includes(id), `hit ${id} contains ${SEARCH_WORD}`);
    assert.match(await page.evaluate(() => location.hash), /^#\/search\?/);
    await page.locator('main').focus();
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await settle(page, /^#\/article\//);
    assert.equal(await page.$eval('table.meta td.mono', (x) => x.textContent), hitIds[0]);
    await page.goBack();
    await settle(page, /^#\/search\?/);
    assert.ok(await page.locator('ol.hits li').count() > 0);
    ok(`search '${SEARCH_WORD}': ${hitIds.length} hits with <mark> in snippets; j/Enter opens the first`);
  } else {
    console.log(`# SKIP search: /api/info says ${demo.name} has no full-text index (has_fulltext false)`);
  }

  // ---- an annotated article ----
  const art = demoArticles.find((a) => a.id === ANNOTATED_ID);
  const ann = demoAnnotations.find((a) => a.id === ANNOTATED_ID);
  await go(page, `#/article/0/${encodeURIComponent(ANNOTATED_ID)}`);
  assert.equal(await page.$eval('h1.article-title', (x) => x.textContent), art.title);
  assert.equal(await page.$eval('#body', (x) => x.textContent), art.text, 'the text is shown whole, unchanged');
  for (const layer of ann.layers) {
    for (const type of new Set(layer.spans.map((s) => s.type))) {
      const n = await page.locator(`#body mark.layer-${layer.name}.type-${type}`).count();
      assert.ok(n > 0, `marks for ${layer.name}/${type}`);
    }
  }
  // every entity span's text is covered by marks of its layer/type
  const ner = ann.layers.find((l) => l.name === 'ner');
  const covered = await page.$$eval('#body mark.layer-ner', (xs) => xs.map((x) => x.textContent).join('|'));
  for (const sp of ner.spans) {
    const t = Array.from(art.text).slice(cpOffset(art.text, sp.start), cpOffset(art.text, sp.end)).join('');
    assert.ok(covered.includes(t), `entity '${t}' highlighted`);
  }
  assert.ok(await page.locator('#body mark.layer-structure mark.layer-ner').count() > 0, 'overlapping spans nest');
  const personTitle = await page.$eval('#body mark.layer-ner[data-label=PERSON]', (x) => x.title);
  assert.match(personTitle, /entity: PERSON/);
  const legendTypes = await page.$$eval('.legend .types li', (xs) => xs.map((x) => x.textContent));
  assert.ok(legendTypes.some((t) => t.startsWith('entity')) && legendTypes.some((t) => t.startsWith('dateline')));
  const nerBox = page.locator('.legend input[type=checkbox][data-layer=ner]');
  await nerBox.uncheck();
  assert.equal(await page.locator('#body mark.layer-ner').count(), 0, 'ner toggled off');
  assert.ok(await page.locator('#body mark.layer-structure').count() > 0, 'structure stays');
  assert.equal(await page.$eval('#body', (x) => x.textContent), art.text);
  await nerBox.check();
  assert.ok(await page.locator('#body mark.layer-ner').count() > 0, 'ner toggled back on');
  const dl = await page.$eval('a[download]', (a) => a.getAttribute('href'));
  assert.equal(dl, `/raw/${encodeURIComponent(ANNOTATED_ID)}?archive=0&download=1`);
  const raw = await context.request.get(new URL(dl, BASE).href);
  assert.equal(raw.status(), 200);
  assert.equal(await raw.text(), art.text, 'raw download is the body, byte for byte');
  ok('article: metadata, text, marks per layer/type, nesting, labels on hover, layer toggles, raw download');

  // ---- theme ----
  const theme0 = await page.evaluate(() => document.documentElement.dataset.theme);
  assert.equal(theme0, 'light', 'follows prefers-color-scheme: light');
  const bg0 = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.click('#theme');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), bg0);
  await page.reload();
  await settle(page);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'remembered');
  await page.click('#theme');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.evaluate(() => localStorage.removeItem('quire-theme'));
  await page.reload();
  await settle(page);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'follows prefers-color-scheme: dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.reload();
  await settle(page);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  ok('theme: follows the system, the toggle switches data-theme and is remembered');

  if (SHOT) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.mouse.move(0, 0);
    await page.screenshot({ path: SHOT, fullPage: false });
    ok(`screenshot saved to ${SHOT}`);
  }

  // ---- hostile archive ----
  await go(page, '');
  await page.selectOption('#archive', '1');
  await settle(page, /archive=1/);
  assert.equal(await page.locator('table.catalog tbody tr').count(), 2);
  const hostileTitles = await page.$$eval('table.catalog .title-link', (xs) => xs.map((x) => x.textContent));
  assert.ok(hostileTitles.includes(H.HOSTILE_TITLE), 'hostile title listed literally');
  const about = await page.$eval('#archive-about', (x) => x.textContent);
  for (const f of [hostile.title, hostile.description]) {
    if (f) assert.ok(about.includes(f), `archive metadata shown literally: ${f}`);
  }
  ok(`${hostile.name} listed; titles and archive metadata shown as text`);

  if (hostile.has_fulltext) {
    await page.fill('#q', 'paragraph');
    await page.press('#q', 'Enter');
    await settle(page, /^#\/search\?/);
    assert.equal(await page.locator('ol.hits .snippet *:not(mark)').count(), 0, 'snippets hold only text and <mark>');
    assert.ok(await page.locator('ol.hits .snippet mark').count() > 0);
    ok('search in the hostile archive: snippets are text with <mark> only');
  }

  await go(page, '#/catalog?archive=1');
  await page.locator('table.catalog .title-link').filter({ hasText: H.HOSTILE_TITLE }).click();
  await settle(page, /^#\/article\//);
  assert.equal(await page.$eval('h1.article-title', (x) => x.textContent), H.HOSTILE_TITLE);
  assert.ok((await page.$eval('h1.article-title', (x) => x.textContent)).includes('<script>'));
  assert.equal(await page.$eval('table.meta td.mono', (x) => x.textContent), H.HOSTILE_ID);
  assert.equal(await page.$eval('#body', (x) => x.textContent), H.PAGE, 'HTML source shown as text');
  assert.equal(await page.locator('#body script, #body img, #body b, #view script, #view img').count(), 0, 'no element from data');
  assert.equal(await page.locator('table.meta a[href^="javascript"]').count(), 0, 'javascript: URL is not a link');
  const mark = page.locator('#body mark.hl').first();
  assert.equal(await mark.textContent(), 'Hostile page');
  assert.ok((await mark.getAttribute('title')).includes(H.LABEL), 'label in the title attribute, literally');
  await mark.hover();
  await page.waitForTimeout(300);
  ok('hostile article, source view: title, id, body, label all literal; hovered the span');

  await page.click('.view-switch button[data-view=rendered]');
  const frameEl = await page.waitForSelector('iframe.rendered');
  const sandbox = await frameEl.getAttribute('sandbox');
  assert.notEqual(sandbox, null, 'iframe has a sandbox attribute');
  assert.ok(!/allow-scripts/.test(sandbox), `sandbox without allow-scripts: '${sandbox}'`);
  assert.ok(!/allow-same-origin/.test(sandbox), 'sandbox without allow-same-origin');
  const frame = await frameEl.contentFrame();
  await frame.waitForSelector('h1');
  assert.equal(await frame.$eval('h1', (x) => x.textContent), 'Hostile page');
  await frame.hover('p').catch(() => {});
  await frame.click('p').catch(() => {});
  await page.waitForTimeout(500);
  assert.match(page.url(), /view=rendered/);
  const rawHost = await context.request.get(new URL(await frameEl.getAttribute('src'), BASE).href);
  assert.match(rawHost.headers()['content-security-policy'] || '', /sandbox/, '/raw/ sends CSP sandbox');
  ok('rendered view: <iframe sandbox> without allow-scripts, page shown, /raw/ carries CSP sandbox');

  await page.reload();
  await settle(page);
  assert.equal(await page.locator('iframe.rendered').count(), 1, 'view=rendered survives a reload');
  await page.click('.view-switch button[data-view=source]');
  await page.waitForSelector('#body mark');

  // offsets after astral code points (surrogate pairs in JS strings)
  await go(page, `#/article/1/${encodeURIComponent(H.EMOJI_ID)}`);
  assert.equal(await page.$eval('#body mark', (x) => x.textContent), 'TARGET');
  ok('code point offsets after surrogate pairs land on the right text');

  const pwned = await page.evaluate(() => typeof window.__pwned);
  assert.equal(pwned, 'undefined', 'window.__pwned stays undefined');
  assert.deepEqual(dialogs, [], 'no dialog opened');
  assert.deepEqual(pageErrors, [], 'no page errors');
  assert.deepEqual(consoleErrors, [], 'no console errors');
  ok('nothing from the hostile archive ran: no __pwned, no dialog, no page or console error');
}

main().then(() => {
  console.log(`viewer_test: all ${step} checks passed`);
}, (err) => {
  console.error(`not ok - ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
