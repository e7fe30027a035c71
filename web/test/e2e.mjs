// Browser test of the map page: node test/e2e.mjs URL SCREENSHOT.png
//
// Drives Debian's Chromium (no browser download) through playwright-core
// against a running frontline server at URL: the map and the table load,
// the line, sectors and basemap are drawn, the table has one row per
// sector, a row selects its sector on the map and a sector on the map its
// row, a "what if" setting refetches and changes the number of rows, and
// nothing is fetched from anywhere but the server. It saves a screenshot
// and exits non-zero on the first failure.
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
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

async function api(path, init = {}) {
  const res = await fetch(`${url}${path}`, init);
  if (!res.ok) throw new Error(`${init.method || 'GET'} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}
const coverage = (query = '') => api(`/v1/coverage${query}`);

// The scenarios the page is tried with, made through the API with a write
// key: recommended air defense added, and the live units less twenty
// troop units.
const key = process.env.FRONTLINE_KEY;
if (!key) {
  console.error('FRONTLINE_KEY must hold an API key with role write (the scenarios the test compares are made with it)');
  process.exit(2);
}
const auth = { Authorization: `Bearer ${key}` };
async function makeScenarios() {
  for (const id of ['e2e-ad', 'e2e-thin']) {
    const res = await fetch(`${url}/v1/scenarios/${id}`, { method: 'DELETE', headers: auth });
    if (res.status !== 204 && res.status !== 404) throw new Error(`DELETE /v1/scenarios/${id}: ${res.status}`);
  }
  await api('/v1/recommend/air-defense?system=nasams&count=4&save_as=e2e-ad', { headers: auth });
  const troops = (await api('/v1/units?kind=troops')).features.slice(0, 20).map((f) => f.id);
  await api('/v1/scenarios', {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: 'e2e-thin', name: 'Fewer troops', base: 'live', remove: troops }),
  });
  return troops;
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

  // ---- options: scenarios, postures, comparison, recommendations ----
  const removed = await makeScenarios();
  const nf0 = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
  const nf1 = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
  const pct = (f) => `${nf1.format(f * 100)} %`;
  const settle = async (before) => {
    await page.waitForFunction((l) => window.frontline.state.loads > l && !window.frontline.state.loading, before);
  };
  const loadsNow = () => page.evaluate(() => window.frontline.state.loads);
  // The form's fields by their ids: a select's accessible name holds
  // its chosen option as well as its label.
  const field = { Scenario: '#scenario', 'Compare with': '#compare', Posture: '#posture', Required: '#required_per_km', Sectors: '#cut', 'Number of sectors': '#sectors' };
  const change = async (label, value) => {
    const before = await loadsNow();
    await page.locator(field[label]).selectOption(value);
    await settle(before);
  };
  const typeIn = async (label, value) => {
    const before = await loadsNow();
    await page.locator(field[label]).fill(value);
    await page.locator(field[label]).press('Enter');
    await settle(before);
  };
  const rowIDs = () => rows.evaluateAll((rs) => rs.map((r) => r.dataset.sector));

  await page.goto(url + '/');
  await page.waitForFunction(() => window.frontline?.state.ready && !window.frontline.state.loading);
  const live = await coverage();
  const liveUnits = await page.evaluate(() => window.frontline.state.drawn.units);

  // The force panel: the totals of the report, and what the line needs.
  const forceText = await page.locator('#force-totals').innerText();
  check(forceText.includes(nf0.format(live.summary.force.troops)) && forceText.includes(nf0.format(live.summary.force.troops_with_rotation)),
    'the force panel shows the troops and the troops with rotation', forceText);
  check(forceText.includes(`nasams ${live.summary.force.air_defense.nasams}`) && forceText.includes(nf0.format(live.summary.force.patrols)),
    'and the air defense by system', forceText);
  const req = await api('/v1/requirements');
  await page.waitForFunction(() => window.frontline.state.needs != null);
  const needs = await page.locator('#needs').innerText();
  check(needs.includes(`${nf0.format(req.totals.shortfall)} short`) && needs.includes(`${nf0.format(req.totals.shortfall_with_rotation)} with rotation`)
    && needs.includes(`${req.air_defense.needed} more nasams`) && needs.includes(`${req.patrols.needed} observation posts`),
  'the needs are those of /v1/requirements', needs);

  // The scenarios are offered; one of them is shown with its own units.
  const offered = await page.locator('#scenario option').evaluateAll((os) => os.map((o) => o.value));
  check(['live', 'e2e-ad', 'e2e-thin'].every((v) => offered.includes(v)), 'the scenarios are offered', offered);
  await change('Scenario', 'e2e-thin');
  const thin = await coverage('?scenario=e2e-thin');
  check((await page.locator('#force-troops').innerText()).includes(nf0.format(thin.summary.force.troops)) && thin.summary.force.troops < live.summary.force.troops,
    `the scenario's troops are shown (${thin.summary.force.troops})`, await page.locator('#force-troops').innerText());
  check(await page.evaluate(() => window.frontline.state.drawn.units) === liveUnits - removed.length,
    `the map draws the scenario's units (${liveUnits} less ${removed.length})`, await page.evaluate(() => window.frontline.state.drawn.units));
  check(new URL(page.url()).searchParams.get('scenario') === 'e2e-thin', 'the address names the scenario', page.url());
  check(/Fewer troops \(e2e-thin\)/.test(await page.locator('#line-info').innerText()), 'the header names the scenario', await page.locator('#line-info').innerText());

  // Compared with the live units: every row and sector path says how it
  // changed, as /v1/compare has it.
  await change('Compare with', 'live');
  const cmp = await api('/v1/compare?a=live&b=e2e-thin');
  const rank = { gap: 0, thin: 1, ok: 2 };
  const expectChange = (c) => {
    if (c.a.status !== c.b.status) return rank[c.b.status] > rank[c.a.status] ? 'better' : 'worse';
    const ds = [c.delta.troops_ratio, c.delta.air_defense_covered_fraction, c.delta.patrol_covered_fraction];
    const up = ds.some((d) => d > 1e-9), down = ds.some((d) => d < -1e-9);
    return up && down ? 'mixed' : up ? 'better' : down ? 'worse' : 'same';
  };
  const wantChanges = cmp.sectors.map(expectChange);
  const gotChanges = await rows.evaluateAll((rs) => rs.map((r) => r.dataset.change));
  check(JSON.stringify(gotChanges) === JSON.stringify(wantChanges), 'each row shows its change, as /v1/compare has it', gotChanges.slice(0, 8));
  check(wantChanges.includes('worse') && wantChanges.includes('same'), 'fewer troops make some sectors worse and leave others', [...new Set(wantChanges)]);
  const colour = { better: '#2166ac', worse: '#b2182b', mixed: '#8e44ad', same: '#9e9e9e' };
  const pathColours = await page.locator('path.fl-sector[data-sector]').evaluateAll((ps) => Object.fromEntries(ps.map((p) => [p.dataset.sector, p.getAttribute('stroke')])));
  check(cmp.sectors.every((c, i) => pathColours[c.id] === colour[wantChanges[i]]), 'each sector on the map has the colour of its change', Object.values(pathColours).slice(0, 5));
  const worse = cmp.sectors.findIndex((c, i) => wantChanges[i] === 'worse' && c.delta.troops_ratio < 0);
  const worseRow = await rows.nth(worse).innerText();
  check(worseRow.includes(`−${Math.abs(cmp.sectors[worse].delta.troops_ratio).toFixed(2)}`), 'a worse row shows the fall of its troop ratio', worseRow);
  const cmpText = await page.locator('#compare-panel').innerText();
  check(await page.locator('#compare-panel').isVisible() && cmpText.includes(nf0.format(cmp.a.summary.force.troops)) && cmpText.includes(nf0.format(cmp.b.summary.force.troops)),
    'the comparison panel shows both totals', cmpText);
  check(new URL(page.url()).searchParams.get('compare') === 'live', 'the address keeps the comparison', page.url());
  await page.screenshot({ path: shot.replace(/(\.png)?$/, '-compare.png') });

  // The recommended air defense against the live units: better sectors.
  await change('Scenario', 'e2e-ad');
  const cmpAD = await api('/v1/compare?a=live&b=e2e-ad');
  const adChanges = await rows.evaluateAll((rs) => rs.map((r) => r.dataset.change));
  check(JSON.stringify(adChanges) === JSON.stringify(cmpAD.sectors.map(expectChange)) && adChanges.includes('better') && !adChanges.includes('worse'),
    'added air defense makes sectors better and none worse', [...new Set(adChanges)]);

  // Back to the live units, no comparison; a posture sets the density.
  await change('Compare with', '');
  check(await page.locator('#compare-panel').isHidden() && await count('#sector-table tbody tr[data-change]') === 0, 'without a comparison, the rows lose their changes');
  await change('Scenario', 'live');
  await change('Posture', 'separation');
  const sep = await coverage('?posture=separation');
  check(sep.params.required_per_km === 15, 'the separation posture is 15 troops/km', sep.params.required_per_km);
  check((await page.locator('#line-info').innerText()).includes('15 troops/km required'), 'the header shows the posture\'s density', await page.locator('#line-info').innerText());
  check((await rows.nth(k).innerText()).includes(sep.sectors[k].troops.ratio.toFixed(2)), 'the rows show the troop ratios of the posture', await rows.nth(k).innerText());
  check((await page.locator('#force-totals').innerText()).includes('UNDOF'), 'the force panel cites the posture\'s source', await page.locator('#force-totals').innerText());
  check(new URL(page.url()).searchParams.get('posture') === 'separation', 'the address keeps the posture', page.url());
  await typeIn('Required', '60');
  const r60 = await coverage('?posture=separation&required_per_km=60');
  check((await rows.nth(k).innerText()).includes(r60.sectors[k].troops.ratio.toFixed(2)) && (await page.locator('#line-info').innerText()).includes('60 troops/km'),
    'a typed density wins over the posture', await rows.nth(k).innerText());
  check(new URL(page.url()).searchParams.get('required_per_km') === '60', 'the address keeps it', page.url());
  await change('Posture', '');

  // Sectors: a number of equal sectors, then between the anchors.
  await change('Sectors', 'count');
  await typeIn('Number of sectors', '12');
  check(await rows.count() === 12, '12 equal sectors give 12 rows', await rows.count());
  check(new URL(page.url()).searchParams.get('sectors') === '12', 'the address says sectors=12', page.url());
  await change('Sectors', 'anchors');
  const anchored = await coverage('?sectors=anchors');
  check(JSON.stringify(await rowIDs()) === JSON.stringify(anchored.sectors.map((x) => x.id)), `sectors between the anchors: ${anchored.sectors.length} rows, named after them`, (await rowIDs()).slice(0, 3));
  check(new URL(page.url()).searchParams.get('sectors') === 'anchors', 'the address says sectors=anchors', page.url());
  await change('Sectors', 'length');

  // Recommended sites: drawn, numbered, with the cover they bring.
  await page.locator('#recommend-panel > summary').click();
  await page.locator('#rec-kind').selectOption('air-defense');
  await page.locator('#rec-system').selectOption('nasams');
  await page.locator('#rec-count').fill('3');
  await page.getByRole('button', { name: 'Recommend', exact: true }).click();
  await page.waitForFunction(() => window.frontline.state.recommendation?.sites >= 0 || window.frontline.state.recommendation?.error);
  const rec = await api('/v1/recommend/air-defense?system=nasams&count=3&sector_km=25&depth_km=30&side=both');
  const recText = await page.locator('#rec-result').innerText();
  check(await count('.fl-site') === 3 && await count('path.fl-site-ring') === 3, 'three recommended sites are drawn, with their ranges', await count('.fl-site'));
  check(recText.includes(`${pct(live.summary.air_defense_covered_fraction)} → ${pct(rec.report.summary.air_defense_covered_fraction)}`),
    'the result gives the air-defense cover before and after, as the API does', recText);
  check(recText.includes(`+${nf0.format(rec.sites.features[0].properties.gain_km2)} km²`), 'and each site\'s gain', recText);
  await page.locator('#rec-kind').selectOption('patrols');
  check(await page.locator('#rec-system').isHidden(), 'observation posts need no system');
  await page.getByRole('button', { name: 'Recommend', exact: true }).click();
  const posts = await api('/v1/recommend/patrols?target=0.9&sector_km=25&depth_km=30&side=both');
  await page.waitForFunction((n) => window.frontline.state.recommendation?.sites === n && document.querySelectorAll('.fl-site').length === n, posts.sites.features.length);
  check(await count('.fl-site') === posts.sites.features.length, `the ${posts.sites.features.length} observation posts for 90 % are drawn`, await count('.fl-site'));
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  check(await count('.fl-site') === 0, 'Clear removes the recommended sites');
  check(errors.length === 0, 'no errors in the console with the options', errors);

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

  // ---- line versions derived from areas: the slider, what changed hands,
  // the attribution of the shown line, the chart over time ----
  for (const day of ['2026-01-10', '2026-02-10']) {
    const body = readFileSync(new URL(`../../examples/areas/area-${day}.geojson`, import.meta.url));
    await api('/v1/areas', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/geo+json' }, body });
  }
  const versions = (await api('/v1/frontline/versions')).versions
    .sort((a, b) => a.valid_from.localeCompare(b.valid_from) || a.version - b.version);
  await page.goto(url + '/');
  await page.waitForFunction(() => window.frontline?.state.ready && !window.frontline.state.loading);
  const now = await coverage();
  const lineInfo = () => page.locator('#line-info').innerText();
  check((await lineInfo()).includes(`line version ${now.line.version} (current)`), 'the header names the current line version', await lineInfo());
  const attribution = () => page.locator('.leaflet-control-attribution').innerText();
  check((await attribution()).includes('invented example'), 'the attribution is the shown line\'s source', await attribution());
  await page.waitForFunction(() => window.frontline.state.drawn.changes > 0, null, { timeout: 15000 }).catch(() => {});
  check(await count('path.fl-change-gained') >= 1, 'the area gained since the version before is drawn', await count('path.fl-change'));
  const slider = page.locator('#version-slider');
  const at = versions.findIndex((v) => v.version === now.line.version);
  check(await slider.getAttribute('max') === String(versions.length - 1) && await slider.inputValue() === String(at),
    `the slider runs over the ${versions.length} versions and stands on the current one`, [await slider.getAttribute('max'), await slider.inputValue()]);
  // Back to the default line of 2025-12-15 with the slider.
  const oldAt = versions.findIndex((v) => v.valid_from.startsWith('2025-12-15'));
  let mark = await loadsNow();
  await slider.evaluate((e, i) => { e.value = String(i); e.dispatchEvent(new Event('change', { bubbles: true })); }, oldAt);
  await settle(mark);
  const oldCov = await coverage(`?version=${versions[oldAt].version}`);
  check(new URL(page.url()).searchParams.get('version') === String(versions[oldAt].version), 'the address names the version', page.url());
  check(await rows.count() === oldCov.sectors.length && (await lineInfo()).includes(`line version ${versions[oldAt].version},`),
    'the table and the header follow the version', [await rows.count(), await lineInfo()]);
  check((await attribution()).includes('GeoNames') && !(await attribution()).includes('invented example'), 'the attribution follows the shown line', await attribution());
  check(await page.evaluate(() => window.frontline.state.drawn.changes) === 0, 'a line not derived from an area has no changed areas');
  // An address with a version shows it.
  const first = versions[versions.length - 2];
  await page.goto(`${url}/?version=${first.version}`);
  await page.waitForFunction(() => window.frontline?.state.ready && !window.frontline.state.loading);
  check(await page.evaluate(() => window.frontline.state.line?.version) === first.version, `/?version=${first.version} shows that version`);
  // The chart over time: one point per version on each series; a click
  // picks the version nearest in time.
  await page.locator('#history-panel > summary').click();
  await page.waitForFunction(() => window.frontline.state.history?.versions > 0, null, { timeout: 60000 });
  const series = await page.locator('polyline.chart-series').evaluateAll((ps) => ps.map((p) => Number(p.dataset.points)));
  check(series.length === 3 && series.every((n) => n === versions.length), `the chart has 3 series of ${versions.length} versions`, series);
  mark = await loadsNow();
  const chart = await page.locator('.chart-svg').boundingBox();
  await page.mouse.click(chart.x + chart.width * 0.08, chart.y + chart.height / 2);
  await settle(mark);
  check(await page.evaluate(() => window.frontline.state.line?.version) === versions[0].version, 'clicking the chart\'s left end shows the first version', await page.evaluate(() => window.frontline.state.line));
  await page.screenshot({ path: shot.replace(/(\.png)?$/, '-history.png') });
  mark = await loadsNow();
  await page.getByRole('button', { name: 'Now' }).click();
  await settle(mark);
  check(await page.evaluate(() => window.frontline.state.line?.version) === now.line.version && !new URL(page.url()).searchParams.has('version'),
    'Now shows the current line again');
  check(errors.length === 0, 'no errors in the console with line versions', errors);
} catch (err) {
  failures++;
  console.log(`FAIL ${err.stack || err}`);
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}

console.log(`${passes} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
