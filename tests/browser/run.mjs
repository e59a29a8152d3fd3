#!/usr/bin/env node
// Browser checks of a site built by `cuenta build`.
//
// Usage:
//   node tests/browser/run.mjs --site DIR [--shots DIR] [--query Q] [--expect TEXT]...
//   [--mobile-width PX] [--desktop-width PX] (390 and 1366 by default)
//        [--no-match-query Q] [--max-kb 150] [--file-only]
//
// Over loopback HTTP, under a sub-path (http://127.0.0.1:PORT/informe/), for every *.html page:
//   - no console error, no page error, no failed request, no request to another host;
//   - axe-core finds no WCAG 2.0/2.1 A/AA violation (desktop light and dark, mobile);
//   - the page plus everything it loads weighs less than --max-kb (the .zip is only linked);
//   - no horizontal overflow at 390 or 1366 px (WCAG 1.4.10 reflow);
//   - at both widths every table column is reachable (on screen, in a box that scrolls
//     and takes keyboard focus, or stacked under its column's name) and no chart text
//     is drawn under 12 CSS px;
//   - full-page screenshots at 390x844 and 1366x900 into --shots.
// From file:// (the offline copy case):
//   - every page loads without console errors, failed requests or non-file requests, as UTF-8;
//   - with JavaScript disabled every page shows its main content and hides the search form;
//   - the search box finds --query, the results include --expect, clicking the first result
//     opens the right page at the right anchor; a nonsense query shows no result links.
// Links: every relative href/src resolves to an existing file inside the site and every
// #anchor exists as an id in its target page; root-relative and directory links fail.
//
// --allow-missing FILE: a link to FILE may point to nothing (the unzipped offline copy
// cannot hold the .zip it came from).
// --file-only runs only the file:// part and the link checks (used on the unzipped copy).
// Prints every failure, then a summary; exits 1 if there was any failure.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------- arguments
function parseArgs(argv) {
  const opts = {
    site: null,
    shots: null,
    query: 'regularizacion',
    expect: [],
    noMatchQuery: 'zqxwvkjh',
    maxKb: 150,
    fileOnly: false,
    chromium: process.env.CHROMIUM || '/usr/bin/chromium',
    basePath: '/informe/',
    resultsSelector: null,
    allowMissing: [],
    mobileWidth: 390,
    desktopWidth: 1366,
  };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) usage(`missing value after ${a}`);
      return argv[++i];
    };
    switch (a) {
      case '--site': opts.site = next(); break;
      case '--shots': opts.shots = next(); break;
      case '--query': opts.query = next(); break;
      case '--expect': opts.expect.push(next()); break;
      case '--no-match-query': opts.noMatchQuery = next(); break;
      case '--max-kb': opts.maxKb = Number(next()); break;
      case '--file-only': opts.fileOnly = true; break;
      case '--chromium': opts.chromium = next(); break;
      case '--base-path': opts.basePath = next(); break;
      case '--results-selector': opts.resultsSelector = next(); break;
      case '--allow-missing': opts.allowMissing.push(next()); break;
      case '--mobile-width': opts.mobileWidth = Number(next()); break;
      case '--desktop-width': opts.desktopWidth = Number(next()); break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${a}`);
    }
  }
  if (!opts.site) usage('--site DIR is required');
  if (opts.expect.length === 0) opts.expect.push('extranjeria');
  if (!opts.basePath.startsWith('/')) opts.basePath = '/' + opts.basePath;
  if (!opts.basePath.endsWith('/')) opts.basePath += '/';
  if (!Number.isFinite(opts.maxKb) || opts.maxKb <= 0) usage('--max-kb needs a positive number');
  opts.site = path.resolve(opts.site);
  return opts;
}

function usage(msg) {
  if (msg) console.error(`run.mjs: ${msg}`);
  console.error('usage: node run.mjs --site DIR [--shots DIR] [--query Q] [--expect TEXT]... ' +
    '[--no-match-query Q] [--max-kb N] [--file-only] [--chromium PATH] [--base-path /informe/] ' +
    '[--results-selector CSS] [--allow-missing FILE]...');
  process.exit(2);
}

const opts = parseArgs(process.argv);

// ---------------------------------------------------------------- failures
const failures = [];
const infos = [];
function fail(where, what) {
  failures.push(`${where}: ${what}`);
  console.log(`  FAIL ${where}: ${what}`);
}
function info(line) {
  infos.push(line);
  console.log(`  ${line}`);
}
const T0 = Date.now();
function section(title) {
  console.log(`\n== ${title} [${((Date.now() - T0) / 1000).toFixed(1)} s]`);
}

// Lower case, accents removed: "Extranjería" -> "extranjeria".
function fold(s) {
  return String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

// ---------------------------------------------------------------- site files
function walk(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

if (!fs.existsSync(path.join(opts.site, 'index.html'))) {
  console.error(`run.mjs: ${opts.site} has no index.html (is it a built site?)`);
  process.exit(2);
}
const allFiles = walk(opts.site).map((f) => path.relative(opts.site, f).split(path.sep).join('/'));
const pages = allFiles.filter((f) => f.endsWith('.html')).sort((a, b) => {
  // index first, then alphabetical: stable output
  if (a === 'index.html') return -1;
  if (b === 'index.html') return 1;
  return a.localeCompare(b);
});

// ---------------------------------------------------------------- HTTP server
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.webmanifest': 'application/manifest+json',
};

function startServer(root, basePath) {
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end('method not allowed');
      return;
    }
    // Only the sub-path exists: a root-relative link (/assets/...) gets a 404, as it
    // would on a real server where the report lives in a folder.
    if (!pathname.startsWith(basePath)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('outside the site');
      return;
    }
    let rel = pathname.slice(basePath.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(root, rel);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const type = CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
      res.writeHead(200, {
        'content-type': type,
        'content-length': st.size,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      if (req.method === 'HEAD') res.end();
      else fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------- browser
const { chromium } = await import('playwright-core');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const LAUNCH_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const DESKTOP = { name: String(opts.desktopWidth), viewport: { width: opts.desktopWidth, height: 900 } };
const MOBILE = {
  name: String(opts.mobileWidth), viewport: { width: opts.mobileWidth, height: 844 }, isMobile: true, hasTouch: true,
};
/** Chart text smaller than this (CSS px, as drawn) is too small to read on a phone. */
const MIN_CHART_TEXT_PX = 12;

// Layout problems of the page as shown: table cells out of reach, chart text too small.
async function layoutProblems(page) {
  return page.evaluate((minPx) => {
    const out = [];
    const width = document.documentElement.clientWidth;
    const scrolls = (el) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll') return p;
      }
      return null;
    };
    document.querySelectorAll('main table').forEach((table, t) => {
      const name = table.closest('figure')?.id || `table ${t + 1}`;
      const row = table.querySelector('tbody tr');
      if (!row) return;
      [...row.children].forEach((cell, c) => {
        const r = cell.getBoundingClientRect();
        const st = getComputedStyle(cell);
        if (r.width < 1 || r.height < 1 || st.visibility === 'hidden') {
          out.push(`${name}: column ${c + 1} is hidden`);
          return;
        }
        if (r.left >= -1 && r.right <= width + 1) {
          const stacked = getComputedStyle(row).display === 'block';
          if (stacked && c > 0 && !cell.dataset.label) out.push(`${name}: stacked column ${c + 1} has no label`);
          return;
        }
        const box = scrolls(cell);
        if (!box) out.push(`${name}: column ${c + 1} lies off screen with no box to scroll it into view`);
        else if (box.tabIndex < 0) out.push(`${name}: its scrolling box cannot be reached from the keyboard`);
      });
    });
    document.querySelectorAll('svg.chart-svg').forEach((svg) => {
      const vb = svg.viewBox.baseVal;
      const scale = vb && vb.width ? svg.getBoundingClientRect().width / vb.width : 1;
      const name = svg.closest('figure')?.id || 'a chart';
      let smallest = Infinity;
      svg.querySelectorAll('text').forEach((text) => {
        const size = parseFloat(getComputedStyle(text).fontSize) * scale;
        if (text.textContent.trim()) smallest = Math.min(smallest, size);
      });
      if (smallest < minPx - 0.05) out.push(`${name}: chart text drawn at ${smallest.toFixed(1)} px, under ${minPx} px`);
    });
    return out;
  }, MIN_CHART_TEXT_PX);
}
const NAV_TIMEOUT = 20000;

if (!fs.existsSync(opts.chromium)) {
  console.error(`run.mjs: chromium not found at ${opts.chromium} (apt-get install chromium, or set CHROMIUM)`);
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: opts.chromium,
  headless: true,
  args: LAUNCH_ARGS,
});

// A context whose pages are watched: every problem goes into `problems` (strings).
// `allowed(url)` says whether a request may be made at all; others are aborted and reported.
async function watchedContext({ device, javaScriptEnabled = true, allowed }) {
  const context = await browser.newContext({
    viewport: device.viewport,
    isMobile: !!device.isMobile,
    hasTouch: !!device.hasTouch,
    deviceScaleFactor: 1,
    javaScriptEnabled,
    serviceWorkers: 'block',
    locale: 'es-CL',
    colorScheme: 'light',
  });
  context.setDefaultNavigationTimeout(NAV_TIMEOUT);
  context.setDefaultTimeout(NAV_TIMEOUT);
  const problems = [];
  const responses = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (allowed(url)) return route.continue();
    problems.push(`request to a disallowed location: ${url}`);
    return route.abort('blockedbyclient');
  });
  context.on('page', (page) => attachWatchers(page, problems, responses));
  return { context, problems, responses };
}

function attachWatchers(page, problems, responses) {
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      // The request we aborted is reported once, as a disallowed request.
      if (msg.text().includes('ERR_BLOCKED_BY_CLIENT')) return;
      const loc = msg.location();
      problems.push(`console error: ${msg.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
  page.on('requestfailed', (req) => {
    const why = req.failure() ? req.failure().errorText : 'failed';
    // Already reported as disallowed when we aborted it ourselves.
    if (why.includes('ERR_BLOCKED_BY_CLIENT')) return;
    problems.push(`request failed: ${req.url()} (${why})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
    responses.push(res);
  });
}

function report(where, problems) {
  for (const p of [...new Set(problems)]) fail(where, p);
  problems.length = 0;
}

// Ids and links of the page currently loaded, read from the DOM.
async function collectLinksAndIds(page) {
  return page.evaluate(() => {
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    const links = [];
    const grab = (sel, attr) => {
      for (const el of document.querySelectorAll(sel)) {
        // A canonical link names the page's published address; nothing loads it.
        const tag = el.tagName.toLowerCase() === 'link' && el.rel === 'canonical' ? 'canonical' : el.tagName.toLowerCase();
        links.push({ tag, attr, value: el.getAttribute(attr) });
      }
    };
    grab('a[href]', 'href');
    grab('area[href]', 'href');
    grab('link[href]', 'href');
    grab('script[src]', 'src');
    grab('img[src]', 'src');
    grab('source[src]', 'src');
    grab('iframe[src]', 'src');
    grab('use[href]', 'href');
    grab('form[action]', 'action');
    return { ids, links };
  });
}

async function runAxe(page) {
  try {
    await page.addScriptTag({ content: AXE_SOURCE });
  } catch {
    // A Content-Security-Policy may refuse an inline script: evaluate the source instead.
    await page.evaluate(AXE_SOURCE);
  }
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        summary: (n.failureSummary || '').replace(/\s+/g, ' ').trim(),
        html: n.html.length > 160 ? n.html.slice(0, 157) + '...' : n.html,
      })),
    }));
  });
}

function reportAxe(where, violations, seen) {
  for (const v of violations) {
    for (const n of v.nodes) {
      const key = `${v.id}|${n.target}`;
      if (seen.has(key)) continue;
      seen.add(key);
      fail(where, `axe ${v.id} [${v.impact}] ${v.help} — target: ${n.target} — ${n.summary} — ${n.html}`);
    }
  }
}

// ---------------------------------------------------------------- link check
// pageData: Map page -> { ids: Set, links: [...] } ; pageUrl(page) gives the URL it was loaded from.
function checkLinks(pageData, siteUrl) {
  let checked = 0;
  let external = 0;
  const fileSet = new Set(allFiles);
  const idCache = new Map();
  const idsOf = (rel) => {
    if (pageData.has(rel)) return pageData.get(rel).ids;
    if (!idCache.has(rel)) {
      const html = fs.readFileSync(path.join(opts.site, rel), 'utf8');
      idCache.set(rel, new Set([...html.matchAll(/\sid\s*=\s*["']([^"']+)["']/g)].map((m) => m[1])));
    }
    return idCache.get(rel);
  };
  for (const [page, data] of pageData) {
    const where = `${page} (links)`;
    const base = new URL(page, siteUrl);
    for (const { tag, attr, value } of data.links) {
      const v = value.trim();
      const what = `<${tag} ${attr}="${value}">`;
      if (v === '' ) { fail(where, `${what}: empty link`); continue; }
      if (/^(mailto|tel):/i.test(v)) continue;
      if (/^javascript:/i.test(v)) { fail(where, `${what}: javascript: link`); continue; }
      if (v.startsWith('//')) { fail(where, `${what}: protocol-relative URL`); continue; }
      if (v.startsWith('/')) {
        fail(where, `${what}: root-relative link breaks under a sub-path and from file://`);
        continue;
      }
      let url;
      try {
        url = new URL(v, base);
      } catch {
        fail(where, `${what}: not a valid URL`);
        continue;
      }
      if (url.protocol === 'data:') continue;
      if (url.href.startsWith(siteUrl) === false) {
        if ((url.protocol === 'http:' || url.protocol === 'https:') && /^[a-z][a-z0-9+.-]*:/i.test(v)) {
          // An absolute link to another site: allowed for <a>, not for loaded resources.
          if (tag === 'a' || tag === 'area' || tag === 'canonical') { external++; continue; }
          fail(where, `${what}: loads a resource from another site`);
          continue;
        }
        fail(where, `${what}: points outside the site folder`);
        continue;
      }
      let rel = decodeURIComponent(url.pathname.slice(new URL(siteUrl).pathname.length));
      checked++;
      if (rel === '' && v.startsWith('#')) rel = page; // same-page anchor
      if (rel === '' || rel.endsWith('/')) {
        fail(where, `${what}: links to a folder, which does not open from file:// (link the .html file)`);
        continue;
      }
      if (!fileSet.has(rel)) {
        if (opts.allowMissing.includes(rel)) continue;
        fail(where, `${what}: target file ${rel} does not exist`);
        continue;
      }
      if (url.hash && url.hash !== '#') {
        const id = decodeURIComponent(url.hash.slice(1));
        if (!rel.endsWith('.html')) {
          fail(where, `${what}: anchor #${id} on a non-HTML file`);
        } else if (!idsOf(rel).has(id)) {
          fail(where, `${what}: no element with id="${id}" in ${rel}`);
        }
      }
    }
  }
  info(`links: ${checked} internal links and resources checked, ${external} external links (not followed)`);
}

// ---------------------------------------------------------------- search
// Types `query` into the search box of the loaded page and returns the result links
// that appeared (visible <a> elements that were not visible before typing).
async function visibleLinks(page) {
  return page.evaluate((sel) => {
    const scope = sel ? document.querySelectorAll(sel) : [document];
    const out = [];
    for (const root of scope) {
      for (const a of root.querySelectorAll('a[href]')) {
        const r = a.getBoundingClientRect();
        const st = getComputedStyle(a);
        if (r.width > 0 && r.height > 0 && st.visibility !== 'hidden') {
          const item = a.closest('li') || a.parentElement;
          out.push({
            href: a.getAttribute('href'),
            text: (a.innerText || a.textContent).replace(/\s+/g, ' ').trim(),
            context: (item ? item.textContent : '').replace(/\s+/g, ' ').trim(),
          });
        }
      }
    }
    return out;
  }, opts.resultsSelector);
}

async function typeQuery(page, input, query, before, waitMs = 5000) {
  await input.fill('');
  await input.pressSequentially(query, { delay: 15 });
  const beforeKeys = new Set(before.map((l) => `${l.href}|${l.text}`));
  const deadline = Date.now() + waitMs;
  let results = [];
  for (;;) {
    const now = await visibleLinks(page);
    results = now.filter((l) => !beforeKeys.has(`${l.href}|${l.text}`));
    if (results.length > 0 || Date.now() > deadline) break;
    await page.waitForTimeout(100);
  }
  return results;
}

async function checkSearch(where, context, problems, startUrl, siteUrl) {
  const page = await context.newPage();
  await page.goto(startUrl, { waitUntil: 'load' });
  const input = page.locator('form input[type="search"]').first();
  if ((await page.locator('form input[type="search"]').count()) === 0) {
    fail(where, 'no <input type="search"> inside a <form>');
    await page.close();
    return;
  }
  if (!(await input.isVisible())) {
    fail(where, 'the search input is not visible with JavaScript enabled');
    await page.close();
    return;
  }
  const before = opts.resultsSelector ? [] : await visibleLinks(page);

  // A nonsense query finds nothing.
  const none = await typeQuery(page, input, opts.noMatchQuery, before, 1500);
  if (none.length > 0) {
    fail(where, `search "${opts.noMatchQuery}" should find nothing but shows ${none.length} links: ` +
      none.slice(0, 3).map((l) => l.href).join(', '));
  }

  // The real query finds the expected part of the report.
  const results = await typeQuery(page, input, opts.query, before);
  if (results.length === 0) {
    fail(where, `search "${opts.query}" shows no results within 5 s`);
    await page.close();
    return;
  }
  info(`search "${opts.query}" from ${where}: ${results.length} results; first: ${results[0].href} "${results[0].text.slice(0, 60)}"`);
  const expected = opts.expect.map(fold);
  // A result matches when its link text, its list item (snippet) or its href names it.
  const hit = results.some((r) => expected.some((e) =>
    fold(r.text).includes(e) || fold(r.context).includes(e) || fold(r.href).includes(e)));
  if (!hit) {
    fail(where, `search "${opts.query}": no result mentions ${opts.expect.join(' or ')}; got ` +
      results.slice(0, 5).map((r) => `${r.href} "${r.text.slice(0, 40)}"`).join(', '));
  }
  for (const r of results) {
    if (!/^[^/:?#][^:]*\.html(#.+)?$/.test(r.href || '')) {
      fail(where, `search result link "${r.href}" is not a relative page.html#anchor link`);
    }
  }

  // Clicking the first result opens that page at that anchor.
  const first = results[0];
  const expectedUrl = new URL(first.href, page.url());
  const link = page.locator(`a[href="${first.href.replace(/"/g, '\\"')}"]`).filter({ visible: true }).first();
  await Promise.all([
    page.waitForURL((u) => u.pathname === expectedUrl.pathname, { timeout: 10000 }).catch(() => {}),
    link.click(),
  ]);
  await page.waitForLoadState('load');
  const got = new URL(page.url());
  if (got.pathname !== expectedUrl.pathname || got.hash !== expectedUrl.hash) {
    fail(where, `clicking the first result "${first.href}" opened ${page.url()} instead of ${expectedUrl.href}`);
  } else if (expectedUrl.hash) {
    const id = decodeURIComponent(expectedUrl.hash.slice(1));
    const found = await page.evaluate((i) => {
      const el = document.getElementById(i);
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { top: r.top, vh: window.innerHeight };
    }, id);
    if (!found) fail(where, `first result ${first.href}: no element with id="${id}" on the target page`);
    else if (found.top < -5 || found.top > found.vh) {
      fail(where, `first result ${first.href}: the anchor is not scrolled into view (top ${Math.round(found.top)})`);
    }
  }
  if (!got.href.startsWith(siteUrl)) fail(where, `the first result left the site: ${got.href}`);
  await page.close();
}

// ---------------------------------------------------------------- HTTP checks
async function httpChecks(server) {
  const port = server.address().port;
  const siteUrl = `http://127.0.0.1:${port}${opts.basePath}`;
  const origin = `http://127.0.0.1:${port}/`;
  const allowed = (u) => u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:');
  section(`HTTP checks at ${siteUrl} (${pages.length} pages)`);
  if (opts.shots) fs.mkdirSync(opts.shots, { recursive: true });

  const pageData = new Map();
  const weights = [];
  for (const rel of pages) {
    const url = siteUrl + rel;
    const where = `${rel} [http]`;
    const seen = new Set();
    for (const device of [DESKTOP, MOBILE]) {
      const { context, problems, responses } = await watchedContext({ device, allowed });
      const page = await context.newPage();
      try {
        await page.goto(url, { waitUntil: 'load' });
        await page.waitForTimeout(150);
        for (const problem of await layoutProblems(page)) fail(`${where} @${device.name}px`, problem);
        {
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
          if (device === DESKTOP && overflow > device.viewport.width + 1) {
            fail(where, `page is ${overflow}px wide at ${device.viewport.width}px (horizontal scrolling)`);
          }
        }
        if (device === DESKTOP) {
          const data = await collectLinksAndIds(page);
          pageData.set(rel, { ids: new Set(data.ids), links: data.links });
          let bytes = 0;
          const parts = [];
          for (const res of responses) {
            if (new URL(res.url()).pathname.endsWith('.zip')) continue;
            let size = 0;
            try { size = (await res.body()).length; } catch { size = 0; }
            bytes += size;
            parts.push([res.url().slice(siteUrl.length) || res.url(), size]);
          }
          weights.push({ rel, bytes, parts });
        } else {
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
          if (overflow > device.viewport.width + 1) {
            const culprits = await page.evaluate((w) => {
              const out = [];
              for (const el of document.querySelectorAll('body *')) {
                const r = el.getBoundingClientRect();
                if (r.right > w + 1 && r.width > 0) {
                  let p = el.parentElement; let clipped = false;
                  while (p) {
                    const o = getComputedStyle(p).overflowX;
                    if (o === 'auto' || o === 'scroll' || o === 'hidden') { clipped = true; break; }
                    p = p.parentElement;
                  }
                  if (!clipped) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''));
                }
                if (out.length >= 3) break;
              }
              return out;
            }, device.viewport.width);
            fail(where, `page is ${overflow}px wide at ${device.viewport.width}px (horizontal scrolling; WCAG 1.4.10). Wider elements: ${culprits.join(', ')}`);
          }
        }
        reportAxe(`${where} @${device.name}px`, await runAxe(page), seen);
        if (device === DESKTOP) {
          // The theme may follow prefers-color-scheme: dark colours need contrast too.
          await page.emulateMedia({ colorScheme: 'dark' });
          await page.waitForTimeout(50);
          reportAxe(`${where} @${device.name}px dark`, await runAxe(page), seen);
          await page.emulateMedia({ colorScheme: 'light' });
        }
        if (opts.shots) {
          const name = rel.replace(/\//g, '_').replace(/\.html$/, '');
          await page.screenshot({ path: path.join(opts.shots, `${name}-${device.name}.png`), fullPage: true });
        }
      } catch (e) {
        fail(where, `could not check at ${device.name}px: ${e.message.split('\n')[0]}`);
      }
      report(`${where} @${device.name}px`, problems);
      await context.close();
    }
  }

  // Search over HTTP, plus axe on the page with results shown.
  {
    const { context, problems } = await watchedContext({ device: DESKTOP, allowed });
    try {
      await checkSearch('index.html [http search]', context, problems, siteUrl + 'index.html', siteUrl);
      const page = await context.newPage();
      await page.goto(siteUrl + 'index.html', { waitUntil: 'load' });
      const input = page.locator('form input[type="search"]').first();
      if (await input.count()) {
        await input.pressSequentially(opts.query, { delay: 15 });
        await page.waitForTimeout(800);
        reportAxe('index.html [http, search results shown]', await runAxe(page), new Set());
        if (opts.shots) await page.screenshot({ path: path.join(opts.shots, `search-results-${DESKTOP.name}.png`) });
      }
    } catch (e) {
      fail('index.html [http search]', e.message.split('\n')[0]);
    }
    report('index.html [http search]', problems);
    await context.close();
  }

  // Page weight.
  weights.sort((a, b) => b.bytes - a.bytes);
  const heaviest = weights[0];
  if (heaviest) {
    const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
    info(`page weight (page + everything it loads, .zip excluded): heaviest ${heaviest.rel} = ${kb(heaviest.bytes)} ` +
      `(${heaviest.parts.map(([u, s]) => `${u} ${kb(s)}`).join(', ')}); limit ${opts.maxKb} KB`);
    for (const w of weights.slice(1)) info(`  ${w.rel}: ${kb(w.bytes)}`);
    const idx = path.join(opts.site, 'search-index.js');
    if (fs.existsSync(idx)) info(`search-index.js (loaded on first search): ${kb(fs.statSync(idx).size)}`);
    for (const w of weights) {
      if (w.bytes > opts.maxKb * 1024) {
        fail(`${w.rel} [weight]`, `${kb(w.bytes)} with its resources, over the ${opts.maxKb} KB budget`);
      }
    }
  }

  section('link check (HTTP)');
  checkLinks(pageData, siteUrl);
}

// ---------------------------------------------------------------- file:// checks
async function fileChecks() {
  const siteUrl = pathToFileURL(opts.site).href + '/';
  const allowed = (u) => u.startsWith(siteUrl) || u.startsWith('data:') || u.startsWith('blob:');
  section(`file:// checks at ${siteUrl} (${pages.length} pages)`);
  const pageData = new Map();

  // JavaScript on: loads cleanly, UTF-8, collect links.
  {
    const { context, problems } = await watchedContext({ device: DESKTOP, allowed });
    for (const rel of pages) {
      const where = `${rel} [file]`;
      const page = await context.newPage();
      try {
        await page.goto(siteUrl + rel, { waitUntil: 'load' });
        await page.waitForTimeout(150);
        const charset = await page.evaluate(() => document.characterSet);
        if (charset.toUpperCase() !== 'UTF-8') {
          fail(where, `document decoded as ${charset}, not UTF-8 (missing <meta charset="utf-8">?)`);
        }
        const data = await collectLinksAndIds(page);
        pageData.set(rel, { ids: new Set(data.ids), links: data.links });
      } catch (e) {
        fail(where, `could not load: ${e.message.split('\n')[0]}`);
      }
      report(where, problems);
      await page.close();
    }
    await context.close();
  }

  // The offline copy on a phone and a large screen: columns in reach, chart text readable.
  for (const device of [MOBILE, DESKTOP]) {
    const { context, problems } = await watchedContext({ device, allowed });
    for (const rel of pages) {
      const where = `${rel} [file] @${device.name}px`;
      const page = await context.newPage();
      try {
        await page.goto(siteUrl + rel, { waitUntil: 'load' });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
        if (overflow > device.viewport.width + 1) fail(where, `page is ${overflow}px wide (horizontal scrolling)`);
        for (const problem of await layoutProblems(page)) fail(where, problem);
      } catch (e) {
        fail(where, `could not load: ${e.message.split('\n')[0]}`);
      }
      report(where, problems);
      await page.close();
    }
    await context.close();
  }

  // JavaScript off: the content is there, the search form is not offered.
  {
    const { context, problems } = await watchedContext({ device: DESKTOP, javaScriptEnabled: false, allowed });
    for (const rel of pages) {
      const where = `${rel} [file, no JS]`;
      const page = await context.newPage();
      try {
        await page.goto(siteUrl + rel, { waitUntil: 'load' });
        const state = await page.evaluate(() => {
          const main = document.querySelector('main');
          const visible = (el) => {
            if (!el) return false;
            const r = el.getBoundingClientRect();
            const st = getComputedStyle(el);
            return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none';
          };
          const input = document.querySelector('input[type="search"]');
          return {
            hasMain: !!main,
            mainVisible: visible(main),
            mainText: main ? main.innerText.replace(/\s+/g, ' ').trim().length : 0,
            h1: !!document.querySelector('h1'),
            searchVisible: visible(input),
            searchInForm: !!(input && input.closest('form')),
            hasSearch: !!input,
          };
        });
        if (!state.hasMain) fail(where, 'no <main> element');
        else if (!state.mainVisible || state.mainText < 40) {
          fail(where, `main content missing or hidden without JavaScript (${state.mainText} characters of text)`);
        }
        if (!state.h1) fail(where, 'no <h1>');
        if (!state.hasSearch) fail(where, 'no <input type="search"> on the page');
        else if (!state.searchInForm) fail(where, 'the search input is not inside a <form>');
        else if (state.searchVisible) fail(where, 'the search input is visible without JavaScript, where it cannot work');
      } catch (e) {
        fail(where, `could not load: ${e.message.split('\n')[0]}`);
      }
      report(where, problems);
      await page.close();
    }
    await context.close();
  }

  // Search from file://, on the home page and on a section page.
  {
    const { context, problems } = await watchedContext({ device: DESKTOP, allowed });
    const starts = ['index.html'];
    const other = pages.find((p) => !['index.html', 'informe-completo.html', 'datos.html'].includes(p));
    if (other) starts.push(other);
    for (const start of starts) {
      try {
        await checkSearch(`${start} [file search]`, context, problems, siteUrl + start, siteUrl);
      } catch (e) {
        fail(`${start} [file search]`, e.message.split('\n')[0]);
      }
      report(`${start} [file search]`, problems);
    }
    await context.close();
  }

  section('link check (file://)');
  checkLinks(pageData, siteUrl);
}

// ---------------------------------------------------------------- main
const started = Date.now();
console.log(`cuenta browser checks: site ${opts.site}, ${pages.length} pages: ${pages.join(', ')}`);
let server = null;
try {
  if (!opts.fileOnly) {
    server = await startServer(opts.site, opts.basePath);
    await httpChecks(server);
  }
  await fileChecks();
} catch (e) {
  fail('runner', e.stack || String(e));
} finally {
  await browser.close().catch(() => {});
  if (server) server.close();
}

section('summary');
if (opts.shots && !opts.fileOnly) console.log(`  screenshots: ${opts.shots}`);
console.log(`  ${pages.length} pages, ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failures.length) {
  console.log(`  ${failures.length} failure(s):`);
  for (const f of failures) console.log(`   - ${f}`);
  console.log('browser checks: FAILED');
  process.exit(1);
}
console.log('browser checks: all passed');
