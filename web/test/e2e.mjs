// Browser test of the map page: node test/e2e.mjs URL SCREENSHOT.png
//
// Drives Debian's Chromium (no browser download) through playwright-core
// against a running frontline server at URL: the map and the table load,
// the line, sectors and basemap are drawn, the table has one row per
// sector, a row selects its sector on the map and a sector on the map its
// row, a "what if" setting refetches and changes the number of rows, and
// nothing is fetched from anywhere but the server. It saves a screenshot
// and exits non-zero on the first failure.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, shot] = process.argv.slice(2);
if (!base || !shot) {
  console.error('usage: node test/e2e.mjs URL SCREENSHOT.png');
  process.exit(2);
}
const url = base.replace(/\/$/, '');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = 60_000;

let failures = 0;
let passes = 0;
function check(cond, what, got) {
  if (cond) {
    passes++;
    console.log(`ok   ${what}`);
  } else {
    failures++;
    console.log(`FAIL ${what}${got !== undefined ? `: got ${JSON.stringify(got)}` : ''}`);
  }
  return cond;
}

async function coverage(query = '') {
  const res = await fetch(`${url}/v1/coverage${query}`);
  if (!res.ok) throw new Error(`GET /v1/coverage${query}: ${res.status}`);
  return res.json();
}

const userDataDir = mkdtempSync(join(tmpdir(), 'frontline-e2e-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  viewport: { width: 1440, height: 900 },
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});

try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(TIMEOUT);

  // Everything must come from the server itself: record anything else and
  // refuse it.
  const origin = new URL(url).origin;
  const foreign = [];
  const errors = [];
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin + '/') || u.startsWith('data:')) return route.continue();
    foreign.push(u);
    return route.abort();
  });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  // A new setting aborts the requests of the one before: that is not an
  // error; anything else that fails is.
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText;
    if (!r.url().startsWith('data:') && why !== 'net::ERR_ABORTED') errors.push(`request failed: ${r.url()} ${why}`);
  });

  mkdirSync(dirname(shot), { recursive: true });
  const expected = await coverage();
  const n = expected.sectors.length;

  await page.goto(url + '/', { waitUntil: 'load' });
  await page.waitForSelector('#map.leaflet-container');
  await page.waitForFunction(() => window.frontline?.state.ready && !window.frontline.state.loading);
  await page.waitForSelector('#sector-table tbody tr');
  const st = await page.evaluate(() => window.frontline.state);
  check(!st.error, 'the page loaded without an error message', st.error);

  // The map fills its area and the panel is beside it.
  const box = await page.locator('#map').boundingBox();
  const panel = await page.locator('aside.panel').boundingBox();
  check(box && box.width > 700 && box.height > 600, 'the map fills its area', box);
  check(panel && panel.x >= box.x + box.width - 1 && panel.width >= 380, 'the panel is beside the map', panel);

  // What is drawn (SVG paths tagged by the page).
  const count = (sel) => page.locator(sel).count();
  check(await count('path.fl-country') > 10, 'the country outlines are drawn', await count('path.fl-country'));
  const lineD = await page.locator('path.fl-line').first().getAttribute('d');
  check(lineD && lineD.length > 100, 'the line is drawn', lineD?.length);
  check(await count('path.fl-sector[data-sector]') === n, `one sector path per sector (${n})`, await count('path.fl-sector[data-sector]'));
  check(await count('path.fl-zone[data-sector]') === n, `one zone path per sector (${n})`, await count('path.fl-zone[data-sector]'));
  check(await count('path.fl-ring') > 0, 'air-defense rings are drawn', await count('path.fl-ring'));
  check(await count('path.fl-ad-gap, path.fl-patrol-gap') > 0, 'gaps are drawn', await count('path.fl-ad-gap, path.fl-patrol-gap'));
  check(await count('img.fl-unit') > 0, 'units are drawn with MIL-STD-2525 symbols', await count('img.fl-unit'));
  const strokes = await page.locator('path.fl-sector').evaluateAll((ps) => [...new Set(ps.map((p) => p.getAttribute('stroke')))].sort());
  const want = [...new Set(expected.sectors.map((s) => ({ ok: '#2e7d32', thin: '#f9a825', gap: '#c62828' })[s.status]))].sort();
  check(JSON.stringify(strokes) === JSON.stringify(want), 'sectors are stroked in their status colours', strokes);

  // The table: one row per sector, in order, with its status.
  const rows = page.locator('#sector-table tbody tr');
  check(await rows.count() === n, `the table has one row per sector (${n})`, await rows.count());
  const ids = await rows.evaluateAll((rs) => rs.map((r) => r.dataset.sector));
  check(JSON.stringify(ids) === JSON.stringify(expected.sectors.map((s) => s.id)), 'the rows are the sectors in order', ids.slice(0, 5));
  const k = Math.min(11, n - 1);
  const rowText = await rows.nth(k).innerText();
  check(rowText.includes(expected.sectors[k].id) && rowText.includes(expected.sectors[k].status), 'a row shows its sector id and status', rowText);

  // A row selects its sector on the map and zooms to it.
  const zoomBefore = await page.evaluate(() => window.frontline.map.getZoom());
  const pick = expected.sectors[k].id;
  await rows.nth(k).click();
  await page.waitForFunction((id) => window.frontline.state.selected === id, pick);
  // The zoom animates: wait for it to settle (or time out and fail below).
  await page.waitForFunction((z) => window.frontline.map.getZoom() > z, zoomBefore, { timeout: 5000 }).catch(() => {});
  await page.waitForTimeout(300);
  check(await rows.nth(k).getAttribute('aria-current') === 'true', 'the clicked row is marked', await rows.nth(k).getAttribute('class'));
  check(await count(`path.fl-sector.fl-selected[data-sector="${pick}"]`) === 1, `sector ${pick} is highlighted on the map`);
  check(await count('path.fl-sector.fl-selected') === 1, 'only that sector is highlighted');
  check(await count('path.fl-halo') >= 1, 'the highlight halo is drawn');
  const zoomAfter = await page.evaluate(() => window.frontline.map.getZoom());
  check(zoomAfter > zoomBefore, 'the map zoomed to the sector', [zoomBefore, zoomAfter]);
  const inView = await page.evaluate((id) => {
    const p = document.querySelector(`path.fl-sector[data-sector="${id}"]`).getBoundingClientRect();
    const m = document.getElementById('map').getBoundingClientRect();
    return p.left >= m.left - 1 && p.right <= m.right + 1 && p.top >= m.top - 1 && p.bottom <= m.bottom + 1;
  }, pick);
  check(inView, 'the selected sector is in view');
  check(new URL(page.url()).searchParams.get('sector') === pick, 'the address names the selected sector', page.url());
  await page.screenshot({ path: shot.replace(/(\.png)?$/, '-sector.png') });

  // A sector on the map selects its row: click a point on a neighbour's
  // path where nothing else lies on top.
  const target = await page.evaluate((skip) => {
    for (const p of document.querySelectorAll('path.fl-sector[data-sector]')) {
      if (p.dataset.sector === skip) continue;
      const len = p.getTotalLength();
      for (const t of [0.5, 0.3, 0.7, 0.2, 0.8]) {
        const pt = p.getPointAtLength(len * t);
        const m = p.getScreenCTM();
        const x = pt.x * m.a + pt.y * m.c + m.e, y = pt.x * m.b + pt.y * m.d + m.f;
        const r = document.getElementById('map').getBoundingClientRect();
        if (x < r.left + 5 || x > r.right - 5 || y < r.top + 5 || y > r.bottom - 5) continue;
        if (document.elementFromPoint(x, y) === p) return { id: p.dataset.sector, x, y };
      }
    }
    return null;
  }, pick);
  if (check(target, 'a sector on the map is clickable')) {
    await page.mouse.click(target.x, target.y);
    await page.waitForFunction((id) => window.frontline.state.selected === id, target.id);
    const row = page.locator(`#sector-table tbody tr[data-sector="${target.id}"]`);
    check(await row.getAttribute('aria-current') === 'true' && (await row.getAttribute('class')).includes('selected'),
      `clicking sector ${target.id} on the map marks its row`);
    check(await count('#sector-table tbody tr.selected') === 1, 'only that row is marked');
    check(await count(`path.fl-sector.fl-selected[data-sector="${target.id}"]`) === 1, 'and highlights it on the map');
  }

  // Layer toggles remove and restore a layer.
  await page.getByLabel('Zones by status').uncheck();
  check(await count('path.fl-zone') === 0, 'unticking the zones layer removes the zones');
  await page.getByLabel('Zones by status').check();
  check(await count('path.fl-zone[data-sector]') === n, 'ticking it brings them back');

  // What if: a longer sector length refetches, and the table follows.
  const loads = await page.evaluate(() => window.frontline.state.loads);
  const other = await coverage('?sector_km=50&depth_km=20&side=left');
  await page.getByLabel('Zone depth').fill('20');
  await page.getByLabel('Side of the line').selectOption('left');
  await page.getByLabel('Sector length').fill('50');
  await page.getByLabel('Sector length').press('Enter');
  await page.waitForFunction((l) => window.frontline.state.loads > l && !window.frontline.state.loading, loads);
  await page.waitForFunction((m) => document.querySelectorAll('#sector-table tbody tr').length === m, other.sectors.length);
  const m = await rows.count();
  check(m === other.sectors.length && m !== n, `the table changes to ${other.sectors.length} rows with 50 km sectors`, m);
  check(await count('path.fl-sector[data-sector]') === m, 'the map redraws the sectors', await count('path.fl-sector[data-sector]'));
  const params = new URL(page.url()).searchParams;
  check(params.get('sector_km') === '50' && params.get('depth_km') === '20' && params.get('side') === 'left', 'the address carries the settings', page.url());
  const info = await page.locator('#line-info').innerText();
  check(/sectors of 50 km/.test(info) && /20 km deep, left side/.test(info), 'the header shows the settings', info);
  check(await rows.first().innerText().then((t) => t.includes(other.sectors[0].status)), 'the rows show the new statuses');

  // A bad setting shows the API's message and keeps the page.
  await page.getByLabel('Zone depth').fill('0.5');
  await page.getByLabel('Zone depth').press('Enter');
  await page.waitForTimeout(300);
  check(await rows.count() === m, 'an invalid setting is refused in the form and the table stays');

  // A setting the API refuses (here from the address, past the form's
  // limits) shows the API's message.
  await page.goto(url + '/?depth_km=600');
  await page.waitForFunction(() => window.frontline?.state.ready && !window.frontline.state.loading);
  const msg = page.locator('#message');
  check(await msg.getAttribute('class').then((c) => c.includes('error')) && /depth_km/.test(await msg.innerText()),
    'a refused setting shows the API\'s message', await msg.innerText());
  // The browser logs the refused request itself; anything else is an error.
  const refused = (e) => /status of 400/.test(e);
  check(errors.filter((e) => !refused(e)).length === 0, 'no errors in the console', errors);
  errors.length = 0;

  // Back to the defaults, a sector selected, the whole line in view, for
  // the screenshot.
  const before = await page.evaluate(() => window.frontline.state.loads);
  await page.getByRole('button', { name: 'Defaults' }).click();
  await page.waitForFunction((l) => window.frontline.state.loads > l && !window.frontline.state.loading, before);
  check(await rows.count() === n, 'Defaults restores the default sectors', await rows.count());
  await rows.nth(k).click();
  await page.evaluate(() => {
    let b = null;
    window.frontline.map.eachLayer((l) => { if (l.options?.className === 'fl-line' && l.getBounds) b = l.getBounds(); });
    if (b) window.frontline.map.fitBounds(b, { padding: [20, 20], animate: false });
  });
  await page.waitForTimeout(500);

  check(foreign.length === 0, 'nothing was fetched from anywhere but the server', foreign);
  check(errors.length === 0, 'no errors in the console after', errors);

  await page.screenshot({ path: shot });
  console.log(`screenshot: ${shot}`);
} catch (err) {
  failures++;
  console.log(`FAIL ${err.stack || err}`);
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}

console.log(`${passes} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
