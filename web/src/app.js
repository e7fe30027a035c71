// The map page of the frontline service: the line, its sectors coloured by
// coverage, zones, air-defense rings, gaps and units on a country-outline
// basemap, beside a table of the sectors and the force totals, with "what
// if" settings (scenario, posture, required density, sectors, zone) that
// refetch everything with query parameters, a comparison of two scenarios
// sector by sector, and recommended sites. Everything comes from this
// server; the page loads nothing from elsewhere.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { ms, letterground, letterequipment, numberlandunit, numberlandequipment } from 'milsymbol-parts';
import outlines from 'virtual:basemap';
import { expand } from './basemap.js';
import './app.css';

// Land units and equipment in both the letter (2525C) and number (2525D)
// codes; air, sea and space icons would triple the bundle for units a land
// front does not have. An unknown code gets a plain marker.
ms.addIcons(letterground);
ms.addIcons(letterequipment);
ms.addIcons(numberlandunit);
ms.addIcons(numberlandequipment);

const STATUS_COLOR = { ok: '#2e7d32', thin: '#f9a825', gap: '#c62828' };
// The selection's colour, on the map as in the table.
const SELECTED = '#0b57d0';
const KIND_COLOR = { troops: '#37474f', air_defense: '#1565c0', patrol: '#6a1b9a' };
const KIND_NAME = { troops: 'Troops', air_defense: 'Air defense', patrol: 'Patrol' };
// CHANGE_COLOR colours a sector by how the shown scenario compares with
// the other: a diverging scheme, apart from the status colours.
const CHANGE_COLOR = { better: '#2166ac', worse: '#b2182b', mixed: '#8e44ad', same: '#9e9e9e' };
const CHANGE_NAME = { better: 'better', worse: 'worse', mixed: 'mixed', same: 'unchanged' };
const RECOMMENDED = '#e65100';
// The air-defense systems with a planning range in the service
// (frontline.DefaultRangesKm; a test keeps the two lists equal).
const SYSTEMS = ['buk', 'gepard', 'hawk', 'iris-t-slm', 'nasams', 'patriot', 'samp-t', 'stinger'];
// The form's fields and their defaults; the address holds those that
// differ. cut says which of sector_km and sectors applies.
const DEFAULTS = {
  version: '', scenario: 'live', compare: '', posture: '', required_per_km: '',
  cut: 'length', sector_km: '25', sectors: '10', depth_km: '30', side: 'both',
};
const FIELDS = Object.keys(DEFAULTS);
const STATUS_RANK = { gap: 0, thin: 1, ok: 2 };

const $ = (id) => document.getElementById(id);
const nf1 = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const nf0 = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const pct = (f) => `${nf1.format(f * 100)} %`;
const count = (n, what) => `${nf0.format(n)} ${what}${n === 1 ? '' : 's'}`;

// el builds an element with text children only, so that names from the
// data never become markup.
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'dataset') for (const [dk, dv] of Object.entries(v)) { if (dv != null) e.dataset[dk] = dv; }
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c != null && c !== false) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

// state is what the page shows; tests read it through window.frontline.
const state = {
  ready: false,
  loading: false,
  loads: 0,
  error: null,
  params: {},
  sectors: [],
  selected: null,
  // compare: per sector id, how the shown scenario compares (better,
  // worse, mixed, same), while a comparison is on.
  compare: null,
  needs: null,
  recommendation: null,
  // line is the shown line version; history the versions charted.
  line: null,
  history: null,
  drawn: { countries: 0, line: 0, sectors: 0, zones: 0, rings: 0, gaps: 0, units: 0, sites: 0, changes: 0 },
};

// ---- the map -------------------------------------------------------------

const map = L.map('map', {
  zoomSnap: 0.25,
  zoomDelta: 0.5,
  minZoom: 4,
  maxZoom: 13,
  maxBounds: L.latLngBounds([36, 10], [61, 56]),
  maxBoundsViscosity: 0.8,
});
map.attributionControl.setPrefix('Leaflet');
map.attributionControl.addAttribution('Borders: Natural Earth (public domain)');
L.control.scale({ imperial: false }).addTo(map);
map.fitBounds([[44.5, 30], [52.5, 41]]);

// Panes fix the drawing order whatever order the layers load in.
// Units go under the line: along a front they sit on it, and the line and
// its colours matter more than any one symbol.
const PANES = {
  basemap: 200, labels: 210, zones: 350, rings: 360, adGaps: 370, patrols: 380,
  changes: 355, units: 385, patrolGaps: 390, halo: 395, line: 400, sectors: 410, sites: 420,
};
for (const [name, z] of Object.entries(PANES)) map.createPane(name).style.zIndex = z;
map.getPane('labels').style.pointerEvents = 'none';

const countries = expand(outlines);
const basemap = L.geoJSON(countries, {
  pane: 'basemap',
  interactive: false,
  style: (f) => ({
    color: '#8f8a80', weight: 1, opacity: 1, fillOpacity: 1,
    fillColor: f.properties.name === 'Ukraine' ? '#fdfcf8' : '#efebe2',
    className: 'fl-country',
  }),
});
const labels = L.layerGroup(
  countries.features.filter((f) => f.properties.label).map((f) => L.marker([f.properties.label[1], f.properties.label[0]], {
    pane: 'labels', interactive: false, keyboard: false,
    icon: L.divIcon({ className: 'fl-country-label', html: el('span', {}, f.properties.name), iconSize: null }),
  })),
);
const outline = L.layerGroup([basemap, labels]);
state.drawn.countries = countries.features.length;

// Each toggle is a layer group filled anew on every load, so what a user
// turned off stays off across "what if" changes.
const groups = {
  outline,
  line: L.layerGroup(),
  sectors: L.layerGroup(),
  zones: L.layerGroup(),
  rings: L.layerGroup(),
  adGaps: L.layerGroup(),
  patrolGaps: L.layerGroup(),
  units: L.layerGroup(),
  sites: L.layerGroup(),
  changes: L.layerGroup(),
};
const halo = L.layerGroup().addTo(map);

const LAYERS = [
  { key: 'outline', label: 'Country outlines', swatch: 'country' },
  { key: 'line', label: 'Front line', swatch: 'line' },
  { key: 'sectors', label: 'Sectors by status', swatch: 'sectors' },
  { key: 'zones', label: 'Zones by status', swatch: 'zones' },
  { key: 'rings', label: 'Air-defense ranges', swatch: 'rings' },
  { key: 'adGaps', label: 'No air-defense cover', swatch: 'ad-gap' },
  { key: 'patrolGaps', label: 'Line no patrol sees', swatch: 'patrol-gap' },
  { key: 'units', label: 'Units and patrol routes', swatch: 'units' },
  { key: 'sites', label: 'Recommended sites', swatch: 'sites' },
  { key: 'changes', label: 'Changed hands since the version before', swatch: 'changes' },
];

const layerList = $('layer-list');
for (const { key, label, swatch } of LAYERS) {
  const id = `layer-${key}`;
  const box = el('input', { type: 'checkbox', id, checked: true, dataset: { layer: key } });
  groups[key].addTo(map);
  box.addEventListener('change', () => (box.checked ? groups[key].addTo(map) : groups[key].remove()));
  layerList.append(el('li', {}, box, el('label', { for: id }, el('span', { class: `swatch swatch-${swatch}`, 'aria-hidden': 'true' }), label)));
}

// ---- units -----------------------------------------------------------------

const iconCache = new Map();

// Symbols are small when the whole line is in view, where two hundred
// full-size ones would bury it, and full size from SYMBOL_ZOOM on.
const SYMBOL_ZOOM = 8;
const symbolSize = () => (map.getZoom() >= SYMBOL_ZOOM ? 20 : 9);

// unitIcon is the unit's MIL-STD-2525 symbol, or null for a code milsymbol
// does not know.
function unitIcon(sidc, size) {
  const key = `${size}:${sidc}`;
  if (!iconCache.has(key)) {
    let icon = null;
    try {
      const sym = new ms.Symbol(sidc, { size });
      if (sym.isValid()) {
        const size = sym.getSize(), a = sym.getAnchor();
        icon = L.icon({
          iconUrl: sym.toDataURL(),
          iconSize: [size.width, size.height],
          iconAnchor: [a.x, a.y],
          popupAnchor: [0, -a.y],
          className: 'fl-unit',
        });
      }
    } catch {
      icon = null;
    }
    iconCache.set(key, icon);
  }
  return iconCache.get(key);
}

let symbolMarkers = [];
let shownSize = null;
map.on('zoomend', () => {
  const size = symbolSize();
  if (size === shownSize) return;
  shownSize = size;
  for (const { marker, sidc } of symbolMarkers) marker.setIcon(unitIcon(sidc, size));
});

function unitPopup(f) {
  const p = f.properties || {};
  const rows = [
    ['id', f.id ?? p.id],
    ['kind', KIND_NAME[p.kind] || p.kind],
    ['nation', p.nation],
    ['echelon', p.echelon],
    ['strength', p.strength != null ? nf0.format(p.strength) : null],
    ['system', p.system],
    ['range', p.range_km != null ? `${nf1.format(p.range_km)} km` : null],
    ['status', p.status],
    ['observes', p.observe_km != null ? `${nf1.format(p.observe_km)} km` : null],
    ['visits per day', p.visits_per_day],
    ['sector', p.sector],
    ['SIDC', p.sidc],
  ].filter(([, v]) => v != null && v !== '');
  return el('div', { class: 'popup' },
    el('strong', {}, p.name || f.id || 'unit'),
    el('dl', {}, rows.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
}

// unitPosition is where a unit's symbol goes: its point, or the middle of a
// patrol route.
function unitPosition(g) {
  if (!g) return null;
  switch (g.type) {
    case 'Point': return g.coordinates;
    case 'LineString': return g.coordinates[Math.floor(g.coordinates.length / 2)];
    case 'MultiLineString': return g.coordinates[0]?.[0];
    default: return null;
  }
}

function drawUnits(fc) {
  const group = groups.units;
  group.clearLayers();
  symbolMarkers = [];
  shownSize = symbolSize();
  let n = 0;
  for (const f of fc?.features || []) {
    const p = f.properties || {};
    const g = f.geometry;
    if (g && (g.type === 'LineString' || g.type === 'MultiLineString')) {
      group.addLayer(L.geoJSON(f, {
        pane: 'patrols',
        style: { color: KIND_COLOR.patrol, weight: 2, opacity: 0.9, dashArray: '5 4', className: 'fl-route' },
      }).bindPopup(() => unitPopup(f)));
    }
    const pos = unitPosition(g);
    if (!pos) continue;
    const latlng = [pos[1], pos[0]];
    const sidc = p.sidc ? String(p.sidc) : null;
    const icon = sidc ? unitIcon(sidc, shownSize) : null;
    const title = p.name || String(f.id ?? '');
    const marker = icon
      ? L.marker(latlng, { icon, title, alt: title, pane: 'units' })
      : L.circleMarker(latlng, {
        pane: 'units', radius: 5, color: '#fff', weight: 1.5,
        fillColor: KIND_COLOR[p.kind] || '#424242', fillOpacity: 1, className: 'fl-unit-dot',
      });
    if (icon) symbolMarkers.push({ marker, sidc });
    group.addLayer(marker.bindPopup(() => unitPopup(f)));
    n++;
  }
  state.drawn.units = n;
}

// ---- overlays --------------------------------------------------------------

// sectorLayers maps a sector id to its drawn piece of line and zone.
let sectorLayers = new Map();
let sectorFeatures = new Map();

function styleOf(p, extra = {}) {
  return {
    color: p.stroke || '#424242',
    weight: p['stroke-width'] ?? 2,
    opacity: p['stroke-opacity'] ?? 1,
    fillColor: p.fill || p.stroke || '#424242',
    fillOpacity: p['fill-opacity'] ?? 0.2,
    ...extra,
  };
}

// shownProps is a sector's overlay properties with, while a comparison is
// on, its colours those of its change instead of its status.
function shownProps(p) {
  const change = state.compare?.get(p.id);
  return change ? { ...p, stroke: CHANGE_COLOR[change], fill: CHANGE_COLOR[change] } : p;
}

function sectorTooltip(p) {
  const change = state.compare?.get(p.id);
  return el('span', {}, el('strong', {}, p.id), ` ${p.status} · ${nf1.format(p.start_km)}–${nf1.format(p.end_km)} km`,
    change ? ` · ${CHANGE_NAME[change]} than ${compareName()}` : '');
}

// tag marks a sector's path with its id (and the selection) each time
// Leaflet makes the path anew, as it does when a layer is turned back on.
function tag(layer, id) {
  layer.on('add', () => {
    const e = layer.getElement();
    e?.setAttribute('data-sector', id);
    e?.classList.toggle('fl-selected', id === state.selected);
  });
}

function drawSectors(sectorsFC, zonesFC) {
  sectorLayers = new Map();
  sectorFeatures = new Map();
  groups.sectors.clearLayers();
  groups.zones.clearLayers();
  const entry = (id) => {
    if (!sectorLayers.has(id)) sectorLayers.set(id, {});
    return sectorLayers.get(id);
  };
  for (const f of sectorsFC.features) {
    const p = f.properties;
    const q = shownProps(p);
    const layer = L.geoJSON(f, {
      pane: 'sectors',
      style: styleOf(q, { lineCap: 'butt', className: 'fl-sector' }),
    }).getLayers()[0];
    layer.baseStyle = styleOf(q);
    layer.bindTooltip(() => sectorTooltip(p), { sticky: true });
    layer.on('click', (e) => {
      L.DomEvent.stopPropagation(e);
      select(p.id, { scroll: true });
    });
    tag(layer, p.id);
    groups.sectors.addLayer(layer);
    entry(p.id).line = layer;
    sectorFeatures.set(p.id, f);
  }
  for (const f of zonesFC.features) {
    const p = f.properties;
    // The overlay's fill is meant to stand alone; under the other layers a
    // lighter one keeps the gaps and rings readable.
    const style = styleOf(shownProps(p), { fillOpacity: Math.min(p['fill-opacity'] ?? 0.3, 0.3) * 0.6, weight: 0.8, className: 'fl-zone' });
    const layer = L.geoJSON(f, { pane: 'zones', style }).getLayers()[0];
    layer.baseStyle = style;
    layer.bindTooltip(() => sectorTooltip(p), { sticky: true });
    layer.on('click', (e) => {
      L.DomEvent.stopPropagation(e);
      select(p.id, { scroll: true });
    });
    tag(layer, p.id);
    groups.zones.addLayer(layer);
    entry(p.id).zone = layer;
  }
  state.drawn.sectors = sectorsFC.features.length;
  state.drawn.zones = zonesFC.features.length;
}

// The shown line's own source and licence, in the map's attribution.
let lineAttribution = null;
const escapeHTML = (t) => String(t).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
function attributeLine(p) {
  if (lineAttribution) map.attributionControl.removeAttribution(lineAttribution);
  const text = [p.source, p.license].filter(Boolean).join(' · ');
  const short = text.length > 110 ? `${text.slice(0, 109)}…` : text;
  lineAttribution = text ? `<span class="fl-line-attribution" title="${escapeHTML(text)}">Line: ${escapeHTML(short)}</span>` : null;
  if (lineAttribution) map.attributionControl.addAttribution(lineAttribution);
}

function drawLine(feature) {
  attributeLine(feature.properties || {});
  groups.line.clearLayers();
  groups.line.addLayer(L.geoJSON(feature, {
    pane: 'line', interactive: false,
    style: { color: '#1b1b1b', weight: 8, opacity: 0.85, lineCap: 'round', lineJoin: 'round', className: 'fl-line' },
  }));
  state.drawn.line = 1;
}

function drawRings(fc) {
  groups.rings.clearLayers();
  if (!fc) {
    state.drawn.rings = 0;
    return;
  }
  groups.rings.addLayer(L.geoJSON(fc, {
    pane: 'rings',
    style: (f) => styleOf(f.properties, {
      weight: 1.2,
      dashArray: f.properties.status === 'inactive' ? '4 4' : null,
      className: 'fl-ring',
    }),
    onEachFeature: (f, layer) => layer.bindTooltip(() => el('span', {},
      el('strong', {}, f.properties.name || f.id), ` ${f.properties.system || ''} · ${nf1.format(f.properties.range_km)} km · ${f.properties.status}`), { sticky: true }),
  }));
  state.drawn.rings = fc.features.length;
}

function drawGaps(fc) {
  groups.adGaps.clearLayers();
  groups.patrolGaps.clearLayers();
  const ad = fc.features.filter((f) => f.properties.gap === 'air_defense');
  const patrol = fc.features.filter((f) => f.properties.gap === 'patrol');
  groups.adGaps.addLayer(L.geoJSON({ type: 'FeatureCollection', features: ad }, {
    pane: 'adGaps', interactive: false,
    style: (f) => styleOf(f.properties, { weight: 0.5, fillOpacity: 0.22, className: 'fl-ad-gap' }),
  }));
  // A wide translucent band under the sector's own line, so that a gap
  // shows on a red sector as well as on a green one.
  groups.patrolGaps.addLayer(L.geoJSON({ type: 'FeatureCollection', features: patrol }, {
    pane: 'patrolGaps',
    style: (f) => styleOf(f.properties, { weight: 18, opacity: 0.5, lineCap: 'butt', className: 'fl-patrol-gap' }),
    onEachFeature: (f, layer) => layer.bindTooltip(() => el('span', {},
      el('strong', {}, f.properties.sector), ` ${nf1.format(f.properties.unwatched_km)} km not watched by patrols`), { sticky: true }),
  }));
  state.drawn.gaps = fc.features.length;
}

function drawChanges(fc) {
  groups.changes.clearLayers();
  const features = fc?.features || [];
  groups.changes.addLayer(L.geoJSON({ type: 'FeatureCollection', features }, {
    pane: 'changes',
    style: (f) => styleOf(f.properties, { weight: 1, fillOpacity: 0.55, className: `fl-change fl-change-${f.properties.change}` }),
    onEachFeature: (f, layer) => layer.bindTooltip(() => el('span', {},
      el('strong', {}, f.properties.change === 'gained' ? 'Newly held by the other side' : 'Given up by the other side'),
      ` ${nf1.format(f.properties.area_km2)} km², version ${f.properties.from_version} → ${f.properties.to_version}`), { sticky: true }),
  }));
  state.drawn.changes = features.length;
}

// ---- the table and the summary ------------------------------------------

const tbody = document.querySelector('#sector-table tbody');

function statusBadge(status) {
  return el('span', { class: `badge ${status}` }, status);
}

function figure(text, status, label, delta) {
  return el('td', { class: `num fig ${status}`, title: `${label}: ${status}` }, text, delta);
}

// deltaOf shows a change of the shown scenario over the other one: text
// and an arrow as well as a colour.
// polarity is 1 where more is better, -1 where less is, 0 where neither.
function deltaOf(d, format, polarity = 1) {
  const zero = Math.abs(d) <= 1e-9;
  const cls = zero ? 'zero' : polarity === 0 ? 'neutral' : d * polarity > 0 ? 'good' : 'bad';
  const sign = zero ? '±' : d > 0 ? '+' : '−';
  return el('small', { class: `delta ${cls}` }, `${sign}${format(Math.abs(d))}`);
}
const points = (f) => `${nf1.format(f * 100)} pt`;

function drawTable(report, cmp) {
  const byID = new Map((cmp?.sectors || []).map((c) => [c.id, c]));
  const rows = report.sectors.map((s) => {
    const c = byID.get(s.id);
    const change = state.compare?.get(s.id);
    return el('tr', { dataset: { sector: s.id, change }, class: `row-${s.status}${change ? ` change-${change}` : ''}` },
      el('th', { scope: 'row' }, el('button', { type: 'button', class: 'sector-button', 'aria-pressed': 'false' }, s.id)),
      el('td', { class: 'num km' }, `${nf1.format(s.start_km)}–${nf1.format(s.end_km)}`),
      figure(s.troops.ratio.toFixed(2), s.troops.status, 'troops', c && deltaOf(c.delta.troops_ratio, (d) => d.toFixed(2))),
      figure(pct(s.air_defense.covered_fraction), s.air_defense.status, 'air defense', c && deltaOf(c.delta.air_defense_covered_fraction, points)),
      figure(pct(s.patrol.covered_fraction), s.patrol.status, 'patrols', c && deltaOf(c.delta.patrol_covered_fraction, points)),
      el('td', {}, c && c.a.status !== c.b.status ? [statusBadge(c.a.status), el('span', { class: 'arrow', 'aria-label': 'to' }, ' → ')] : null, statusBadge(s.status)),
      change ? el('td', { class: 'change-cell' }, el('span', { class: `change ${change}` }, CHANGE_NAME[change])) : null,
    );
  });
  tbody.replaceChildren(...rows);
  $('change-head').hidden = !cmp;
  $('sector-count').textContent = `(${report.sectors.length})`;
}

tbody.addEventListener('click', (e) => {
  const tr = e.target.closest('tr[data-sector]');
  if (tr) select(tr.dataset.sector, { zoom: true });
});

function drawSummary(report) {
  const s = report.summary;
  const counts = s.status || {};
  $('summary').replaceChildren(
    el('p', { class: 'counts' },
      el('strong', {}, `${s.sectors} sectors`), ' ',
      ['ok', 'thin', 'gap'].map((k) => [el('span', { class: `badge ${k}` }, `${counts[k] || 0} ${k}`), ' '])),
    el('dl', { class: 'figures' },
      el('div', {}, el('dt', {}, 'Troops'), el('dd', {}, `${nf1.format(s.per_km)}/km`, el('small', {}, ` ratio ${s.troops_ratio.toFixed(2)}`))),
      el('div', {}, el('dt', {}, 'Air defense'), el('dd', {}, pct(s.air_defense_covered_fraction), el('small', {}, ` layered ${pct(s.air_defense_layered_fraction)}`))),
      el('div', {}, el('dt', {}, 'Patrols'), el('dd', {}, pct(s.patrol_covered_fraction), el('small', {}, ' of the line'))),
    ),
    el('div', { id: 'detail', class: 'detail', hidden: true }),
  );
  const p = report.params;
  const line = report.line;
  const sides = { both: 'both sides', left: 'left side', right: 'right side' };
  const cut = p.anchors ? `${report.sectors.length} sectors between anchors`
    : p.sectors ? `${report.sectors.length} equal sectors of ${nf1.format(line.length_km / report.sectors.length)} km`
      : `sectors of ${nf1.format(p.sector_km || line.length_km / report.sectors.length)} km`;
  $('line-info').textContent = `${scenarioName(p.scenario || 'live')}: line version ${line.version}${state.params.version ? '' : ' (current)'}, valid from ${String(line.valid_from).slice(0, 10)}, `
    + `${nf1.format(line.length_km)} km in ${cut}; zone ${nf1.format(p.depth_km)} km deep, ${sides[p.side] || p.side}; `
    + `${nf1.format(p.required_per_km)} troops/km required`;
  $('thresholds').textContent = `ok: troops ratio ≥ ${p.troops_ok}, cover ≥ ${pct(p.air_defense_ok)} (air defense), ≥ ${pct(p.patrol_ok)} (patrols); thin: at least half; gap: below`;
  $('required_per_km').placeholder = String(p.required_per_km);
  drawForce(report);
}

// drawForce shows what the scenario fields: troops (and what a rotation
// needs to keep them there), air-defense units by system, patrols, and the
// density the troops are measured against.
function drawForce(report) {
  const f = report.summary.force;
  const p = report.params;
  const systems = Object.entries(f.air_defense || {}).sort(([a], [b]) => a.localeCompare(b));
  const adTotal = systems.reduce((n, [, k]) => n + k, 0);
  const posture = postures.find((x) => x.name === state.params.posture && !state.params.required_per_km);
  $('force-totals').replaceChildren(
    el('dl', { class: 'figures force-figures' },
      el('div', {}, el('dt', {}, 'Troops'), el('dd', { id: 'force-troops' }, nf0.format(f.troops),
        el('small', {}, ` on the line; ${nf0.format(f.troops_with_rotation)} with rotation ×${nf1.format(p.rotation)}`))),
      el('div', {}, el('dt', {}, 'Air defense'), el('dd', { id: 'force-ad' }, `${nf0.format(adTotal)} active`,
        el('small', {}, systems.length ? ` (${systems.map(([k, n]) => `${k} ${n}`).join(', ')})` : ''))),
      el('div', {}, el('dt', {}, 'Patrols'), el('dd', { id: 'force-patrols' }, nf0.format(f.patrols))),
    ),
    el('p', { class: 'posture-note muted' },
      `Measured against ${nf1.format(p.required_per_km)} troops/km`,
      posture ? ` (posture ${posture.name}: ${posture.source})` : state.params.required_per_km ? ' (set here)' : ' (the default setting)'),
  );
}

// drawNeeds shows what the line needs under the same settings: the troops
// short and the air defense and posts the recommendations place.
function drawNeeds(req) {
  const box = $('needs');
  state.needs = req;
  if (!req) {
    box.replaceChildren(el('p', { class: 'muted' }, 'Working out what the line needs…'));
    return;
  }
  const t = req.totals;
  const ad = req.air_defense, posts = req.patrols;
  box.replaceChildren(el('p', {}, el('strong', {}, 'Needs: '),
    `${nf0.format(t.needed)} troops on the line; `,
    el('span', { id: 'needs-short' }, `${nf0.format(t.shortfall)} short`),
    ` in the sectors below their need (${nf0.format(t.shortfall_with_rotation)} with rotation); `,
    el('span', { id: 'needs-ad' }, `${nf0.format(ad.needed)} more ${ad.system}`),
    ` for ${pct(ad.target)} air-defense cover in every sector${ad.reached ? '' : ' (not every sector can reach it from the own side)'}; `,
    el('span', { id: 'needs-posts' }, `${nf0.format(posts.needed)} observation posts`),
    ` for ${pct(posts.target)} of the line watched${posts.reached ? '' : ' (not reached)'}.`));
}

// drawCompare sums up how the shown scenario compares with the other.
function drawCompare(cmp) {
  const panel = $('compare-panel');
  panel.hidden = !cmp;
  if (!cmp) return;
  const a = cmp.a.summary, b = cmp.b.summary;
  const tally = { better: 0, worse: 0, mixed: 0, same: 0 };
  for (const c of state.compare.values()) tally[c]++;
  const row = (label, x, y, format, polarity = 1) => el('tr', {}, el('th', { scope: 'row' }, label), el('td', { class: 'num' }, format(x)), el('td', { class: 'num' }, format(y)),
    el('td', { class: 'num' }, deltaOf(y - x, (d) => (format === pct ? points(d) : format(d)), polarity)));
  $('compare-heading').textContent = `${scenarioName(cmp.b.scenario)} against ${scenarioName(cmp.a.scenario)}`;
  $('compare-summary').replaceChildren(
    el('p', { class: 'change-tally' }, Object.entries(tally).filter(([, n]) => n).map(([k, n]) => [el('span', { class: `change ${k}` }, `${n} ${CHANGE_NAME[k]}`), ' '])),
    el('table', { class: 'compare-table' },
      el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', { class: 'num' }, scenarioName(cmp.a.scenario)), el('th', { class: 'num' }, scenarioName(cmp.b.scenario)), el('th', { class: 'num' }, 'change'))),
      el('tbody', {},
        ['ok', 'thin', 'gap'].map((k) => row(`${k} sectors`, a.status[k] || 0, b.status[k] || 0, nf0.format, { ok: 1, thin: 0, gap: -1 }[k])),
        row('troops', a.force.troops, b.force.troops, nf0.format),
        row('air defense', a.air_defense_covered_fraction, b.air_defense_covered_fraction, pct),
        row('patrols', a.patrol_covered_fraction, b.patrol_covered_fraction, pct),
      )),
  );
}

function drawDetail(s) {
  const box = $('detail');
  if (!box) return;
  if (!s) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  box.replaceChildren(
    el('p', {}, el('strong', {}, s.id), ' ', statusBadge(s.status),
      ` ${nf1.format(s.start_km)}–${nf1.format(s.end_km)} km, zone ${nf0.format(s.zone_area_km2)} km²`),
    el('ul', {},
      el('li', {}, `Troops: ${nf0.format(s.troops.strength)} (${nf1.format(s.troops.per_km)}/km of ${nf1.format(s.troops.required_per_km)} required) `, statusBadge(s.troops.status)),
      el('li', {}, `Air defense: ${pct(s.air_defense.covered_fraction)} covered, ${pct(s.air_defense.layered_fraction)} layered, ${count(s.air_defense.units.length, 'unit')} `, statusBadge(s.air_defense.status)),
      el('li', {}, `Patrols: ${pct(s.patrol.covered_fraction)} watched, ${nf1.format(s.patrol.visits_per_day)} visits a day, ${count(s.patrol.units.length, 'patrol')} `, statusBadge(s.patrol.status)),
    ),
  );
}

// ---- selection ---------------------------------------------------------------

let report = null;

// select highlights a sector on the map and in the table; zoom brings it
// into view, scroll brings its row into view.
function select(id, { zoom = false, scroll = false } = {}) {
  const layers = id != null ? sectorLayers.get(id) : null;
  state.selected = layers ? id : null;
  for (const tr of tbody.rows) {
    const on = tr.dataset.sector === state.selected;
    tr.classList.toggle('selected', on);
    if (on) tr.setAttribute('aria-current', 'true');
    else tr.removeAttribute('aria-current');
    tr.querySelector('button')?.setAttribute('aria-pressed', String(on));
    if (on && scroll) tr.scrollIntoView({ block: 'nearest' });
  }
  for (const [sid, { line, zone }] of sectorLayers) {
    const on = sid === state.selected;
    line?.setStyle(on ? { weight: 7 } : { weight: line.baseStyle.weight });
    line?.getElement()?.classList.toggle('fl-selected', on);
    zone?.setStyle(on ? { fillOpacity: 0.45, weight: 2.5, color: SELECTED } : zone.baseStyle);
    zone?.getElement()?.classList.toggle('fl-selected', on);
  }
  halo.clearLayers();
  if (state.selected) {
    layers.line?.bringToFront();
    halo.addLayer(L.geoJSON(sectorFeatures.get(state.selected), {
      pane: 'halo', interactive: false,
      style: { color: SELECTED, weight: 20, opacity: 0.75, lineCap: 'round', className: 'fl-halo' },
    }));
  }
  drawDetail(report?.sectors.find((s) => s.id === state.selected));
  setURL();
  if (zoom && layers) {
    const b = layers.zone ? layers.zone.getBounds() : layers.line.getBounds();
    if (layers.line) b.extend(layers.line.getBounds());
    // No animation: a zoom started while another runs is dropped by Leaflet.
    map.fitBounds(b, { padding: [40, 40], maxZoom: 10, animate: false });
  }
}

// ---- line versions and history ---------------------------------------------

// lineVersions are the stored versions by valid_from, for the slider.
let lineVersions = [];

function previousVersion(version) {
  const i = lineVersions.findIndex((v) => v.version === version);
  return i > 0 ? lineVersions[i - 1] : null;
}

function versionLabel(v) {
  return `${v.version} · ${String(v.valid_from).slice(0, 10)}`;
}

// showVersion puts the slider on the shown line version.
function showVersion() {
  const shown = state.line?.version;
  const i = lineVersions.findIndex((v) => v.version === shown);
  if (i >= 0) $('version-slider').value = String(i);
  $('version-label').textContent = i >= 0 ? `${versionLabel(lineVersions[i])}${state.params.version ? '' : ' (current)'}` : 'current';
  drawHistoryMarker();
}

$('version-slider').addEventListener('input', (e) => {
  const v = lineVersions[Number(e.target.value)];
  if (v) $('version-label').textContent = versionLabel(v);
});
$('version-slider').addEventListener('change', (e) => {
  const v = lineVersions[Number(e.target.value)];
  if (!v) return;
  showLineVersion(v.version);
});
$('version-current').addEventListener('click', () => showLineVersion(''));

function showLineVersion(version) {
  form.elements.version.value = String(version);
  form.requestSubmit();
}

// The chart of coverage over time: every version's share of ok sectors,
// air-defense cover and patrol cover, under the shown settings.
const SERIES = [
  { key: 'ok', label: 'ok sectors', color: '#2e7d32', value: (s) => (s.status.ok || 0) / Math.max(s.sectors, 1) },
  { key: 'ad', label: 'air-defense cover', color: '#1565c0', value: (s) => s.air_defense_covered_fraction },
  { key: 'patrol', label: 'patrol cover', color: '#6a1b9a', value: (s) => s.patrol_covered_fraction },
];
const CHART = { w: 440, h: 150, left: 34, right: 8, top: 8, bottom: 22 };
let historyController = null;
let historyKey = null;
let historyData = null;

const svgEl = (tag, attrs = {}) => {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};

function chartX(t, t0, t1) {
  return CHART.left + (t1 > t0 ? (t - t0) / (t1 - t0) : 0.5) * (CHART.w - CHART.left - CHART.right);
}
function chartY(f) {
  return CHART.top + (1 - f) * (CHART.h - CHART.top - CHART.bottom);
}

async function loadHistory() {
  const settings = apiSettings(state.params);
  delete settings.version;
  const key = new URLSearchParams(settings).toString();
  if (key === historyKey && historyData) {
    drawHistoryMarker();
    return;
  }
  historyController?.abort();
  historyController = new AbortController();
  historyKey = key;
  $('chart-note').textContent = 'Computing the coverage of every line version…';
  try {
    const h = await getJSON(`/v1/coverage/history?${key}`, historyController.signal);
    historyData = h.versions;
    state.history = { versions: h.versions.length, key };
    drawHistory();
  } catch (err) {
    if (err.name === 'AbortError') return;
    historyKey = null;
    $('chart-note').textContent = `The history could not be computed: ${err.message}`;
  }
}

function drawHistory() {
  const box = $('chart');
  const vs = historyData || [];
  const svg = svgEl('svg', { viewBox: `0 0 ${CHART.w} ${CHART.h}`, class: 'chart-svg' });
  const times = vs.map((v) => Date.parse(v.line.valid_from));
  const t0 = Math.min(...times), t1 = Math.max(...times);
  for (const f of [0, 0.5, 1]) {
    svg.append(svgEl('line', { x1: CHART.left, x2: CHART.w - CHART.right, y1: chartY(f), y2: chartY(f), class: 'chart-grid' }));
    const label = svgEl('text', { x: CHART.left - 4, y: chartY(f) + 4, class: 'chart-axis', 'text-anchor': 'end' });
    label.textContent = `${f * 100} %`;
    svg.append(label);
  }
  for (const [t, anchor] of [[t0, 'start'], [t1, 'end']]) {
    if (!Number.isFinite(t)) continue;
    const label = svgEl('text', { x: chartX(t, t0, t1), y: CHART.h - 6, class: 'chart-axis', 'text-anchor': anchor });
    label.textContent = new Date(t).toISOString().slice(0, 10);
    svg.append(label);
  }
  for (const s of SERIES) {
    const pts = vs.map((v, i) => `${chartX(times[i], t0, t1).toFixed(1)},${chartY(s.value(v.summary)).toFixed(1)}`).join(' ');
    svg.append(svgEl('polyline', { points: pts, class: `chart-series series-${s.key}`, stroke: s.color, fill: 'none', 'data-points': String(vs.length) }));
  }
  svg.append(svgEl('line', { id: 'chart-marker', class: 'chart-marker', y1: CHART.top, y2: CHART.h - CHART.bottom }));
  // A click picks the version nearest in time.
  svg.addEventListener('click', (e) => {
    const r = svg.getBoundingClientRect();
    const x = (e.clientX - r.left) * (CHART.w / r.width);
    let best = 0;
    vs.forEach((v, i) => {
      if (Math.abs(chartX(times[i], t0, t1) - x) < Math.abs(chartX(times[best], t0, t1) - x)) best = i;
    });
    if (vs[best]) showLineVersion(vs[best].line.version);
  });
  box.replaceChildren(svg, el('p', { class: 'chart-legend' }, SERIES.map((s) => [el('span', { class: `chart-key key-${s.key}` }, s.label), ' '])));
  $('chart-note').textContent = `${vs.length} line versions; click the chart to show one.`;
  drawHistoryMarker();
}

function drawHistoryMarker() {
  const marker = document.getElementById('chart-marker');
  if (!marker || !historyData?.length || !state.line) return;
  const times = historyData.map((v) => Date.parse(v.line.valid_from));
  const x = chartX(Date.parse(state.line.valid_from), Math.min(...times), Math.max(...times));
  marker.setAttribute('x1', x);
  marker.setAttribute('x2', x);
}

$('history-panel').addEventListener('toggle', () => {
  if ($('history-panel').open) loadHistory();
});

// ---- loading -----------------------------------------------------------------

class APIError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
  }
}

async function getJSON(path, signal) {
  const res = await fetch(path, { signal, headers: { Accept: 'application/json, application/geo+json' } });
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) throw new APIError(res.status, body);
  return body;
}

function setMessage(text, kind = '') {
  const m = $('message');
  m.textContent = text;
  m.className = `message ${kind}`;
}

// ---- scenarios, postures and comparison --------------------------------

let postures = [];
let scenarios = [];

function scenarioName(id) {
  if (!id || id === 'live') return 'live units';
  const sc = scenarios.find((x) => x.id === id);
  return sc?.name && sc.name !== id ? `${sc.name} (${id})` : id;
}
const compareName = () => scenarioName(state.params.compare);

// changeOf says how a sector of the shown scenario (b) compares with the
// other (a): better when its status rose, or, with the same status, when
// a figure rose and none fell.
function changeOf(c) {
  const ra = STATUS_RANK[c.a.status], rb = STATUS_RANK[c.b.status];
  if (rb !== ra) return rb > ra ? 'better' : 'worse';
  const ds = [c.delta.troops_ratio, c.delta.air_defense_covered_fraction, c.delta.patrol_covered_fraction];
  const up = ds.some((d) => d > 1e-9), down = ds.some((d) => d < -1e-9);
  return up && down ? 'mixed' : up ? 'better' : down ? 'worse' : 'same';
}

function fillSelect(select, options, keep) {
  const value = keep ?? select.value;
  select.replaceChildren(...options.map(([v, text, title]) => el('option', { value: v, title }, text)));
  // A value the list does not have (a scenario deleted since, or typed
  // into the address) stays selectable, so that the API says what is
  // wrong with it.
  if (value && !options.some(([v]) => v === value)) select.append(el('option', { value }, value));
  select.value = value;
}

function fillScenarios(list, keep = {}) {
  scenarios = list;
  const opts = scenarios.map((sc) => [sc.id, scenarioName(sc.id), sc.description || '']);
  fillSelect(form.elements.scenario, [['live', 'live units'], ...opts], keep.scenario);
  fillSelect(form.elements.compare, [['', 'nothing'], ['live', 'live units'], ...opts], keep.compare);
}

async function loadLists(keep) {
  const [ps, ss, vs] = await Promise.allSettled([getJSON('/v1/postures'), getJSON('/v1/scenarios'), getJSON('/v1/frontline/versions')]);
  if (vs.status === 'fulfilled') {
    lineVersions = vs.value.versions.slice().sort((a, b) => a.valid_from.localeCompare(b.valid_from) || a.version - b.version);
    const slider = $('version-slider');
    slider.max = String(Math.max(lineVersions.length - 1, 0));
    slider.disabled = lineVersions.length < 2;
    showVersion();
  }
  if (ps.status === 'fulfilled') {
    postures = ps.value.postures;
    fillSelect(form.elements.posture, [['', 'default setting'],
      ...postures.map((x) => [x.name, `${x.name} · ${nf1.format(x.required_per_km)}/km`, x.source])], keep?.posture);
  }
  if (ss.status === 'fulfilled') fillScenarios(ss.value.scenarios, keep);
}

// ---- loading -----------------------------------------------------------------

let controller = null;
let fitted = false;

// apiSettings turns the form's fields into the API's settings.
function apiSettings(f) {
  const out = {};
  if (f.version) out.version = f.version;
  if (f.scenario && f.scenario !== 'live') out.scenario = f.scenario;
  if (f.posture) out.posture = f.posture;
  if (f.required_per_km) out.required_per_km = f.required_per_km;
  if (f.cut === 'count') out.sectors = f.sectors;
  else if (f.cut === 'anchors') out.sectors = 'anchors';
  else out.sector_km = f.sector_km;
  out.depth_km = f.depth_km;
  out.side = f.side;
  return out;
}

async function load(fields) {
  controller?.abort();
  controller = new AbortController();
  const { signal } = controller;
  const settings = apiSettings(fields);
  const qs = new URLSearchParams(settings).toString();
  const q = (path, extra = '') => `${path}?${qs}${extra}`;
  state.loading = true;
  state.params = { ...fields };
  clearRecommendation();
  document.querySelector('.layout').setAttribute('aria-busy', 'true');
  setMessage('Loading…', 'loading');
  try {
    // Unit positions may need a key the page does not have: the rest of
    // the page works without them.
    const scenario = settings.scenario ? `?scenario=${encodeURIComponent(settings.scenario)}` : '';
    const optional = Promise.allSettled([
      getJSON(q('/v1/overlays/air-defense'), signal),
      getJSON(`/v1/units${scenario}`, signal),
    ]);
    let comparing = Promise.resolve(null);
    if (fields.compare) {
      const cq = new URLSearchParams({ a: fields.compare, b: fields.scenario || 'live' });
      for (const [k, v] of Object.entries(settings)) if (k !== 'scenario') cq.set(k, v);
      comparing = getJSON(`/v1/compare?${cq}`, signal);
    }
    // Zones and gaps are simplified to half a pixel at zoom 9: closer
    // than the page ever needs, and a quarter of the bytes.
    const [cov, line, sectors, zones, gaps, cmp] = await Promise.all([
      getJSON(q('/v1/coverage'), signal),
      getJSON(settings.version ? `/v1/frontline?version=${encodeURIComponent(settings.version)}` : '/v1/frontline', signal),
      getJSON(q('/v1/overlays/sectors'), signal),
      getJSON(q('/v1/overlays/zones', '&zoom=9'), signal),
      getJSON(q('/v1/overlays/gaps', '&zoom=9'), signal),
      comparing,
    ]);
    const [rings, units] = await optional;
    if (signal.aborted) return;
    report = cov;
    state.compare = cmp ? new Map(cmp.sectors.map((c) => [c.id, changeOf(c)])) : null;
    document.body.classList.toggle('comparing', !!cmp);
    drawLine(line);
    drawSectors(sectors, zones);
    drawGaps(gaps);
    drawRings(rings.status === 'fulfilled' ? rings.value : null);
    drawUnits(units.status === 'fulfilled' ? units.value : null);
    state.line = cov.line;
    drawSummary(cov);
    drawTable(cov, cmp);
    drawCompare(cmp);
    showVersion();
    state.sectors = cov.sectors.map((s) => s.id);
    select(sectorLayers.has(state.selected) ? state.selected : null);
    if (!fitted) {
      fitted = true;
      const b = groups.line.getLayers()[0]?.getBounds();
      if (b?.isValid()) map.fitBounds(b, { padding: [20, 20], animate: false });
    }
    const hidden = [rings, units].filter((r) => r.status === 'rejected');
    state.error = null;
    setMessage(hidden.length ? `Units are not shown: ${hidden[0].reason.message}` : '', hidden.length ? 'warning' : '');
    // What the line needs takes longer (it places air defense and posts):
    // the rest of the page does not wait for it.
    drawNeeds(null);
    getJSON(q('/v1/requirements'), signal).then(drawNeeds, (err) => {
      if (signal.aborted || err.name === 'AbortError') return;
      $('needs').replaceChildren(el('p', { class: 'muted' }, `What the line needs could not be worked out: ${err.message}`));
    });
    // What changed hands since the version before, where both come from
    // areas (the overlay is empty otherwise).
    drawChanges(null);
    const before = previousVersion(cov.line.version);
    if (before) {
      const cq = new URLSearchParams({ from: before.version, to: cov.line.version, zoom: 9 });
      getJSON(`/v1/overlays/changes?${cq}`, signal).then(drawChanges, () => {});
    }
    if ($('history-panel').open) loadHistory();
    loadLists(state.params);
  } catch (err) {
    if (signal.aborted || err.name === 'AbortError') return;
    state.error = err.message;
    const none = err.status === 404 && !/scenario/.test(err.message) ? ' (no line loaded? import one with POST /v1/frontline)' : '';
    setMessage(`Could not load: ${err.message}${none}`, 'error');
  } finally {
    if (!signal.aborted) {
      state.loading = false;
      state.loads++;
      state.ready = true;
      document.querySelector('.layout').removeAttribute('aria-busy');
    }
  }
}

// ---- recommended sites -------------------------------------------------------

const recForm = $('recommend');
let recController = null;

function clearRecommendation() {
  recController?.abort();
  recController = null;
  groups.sites.clearLayers();
  state.recommendation = null;
  state.drawn.sites = 0;
  $('rec-result').replaceChildren();
}

function siteLabel(f, i) {
  const p = f.properties;
  const gain = p.gain_km2 != null ? `+${nf0.format(p.gain_km2)} km²` : `+${nf1.format(p.gain_km)} km of line`;
  return `${i + 1}. ${p.system || 'post'}: ${gain}, ${pct(p.covered_fraction)} after`;
}

function drawSites(kind, sites) {
  groups.sites.clearLayers();
  sites.forEach((f, i) => {
    const [lon, lat] = f.geometry.coordinates;
    const p = f.properties;
    const reach = kind === 'air-defense' ? p.range_km : p.observe_km;
    if (reach) {
      groups.sites.addLayer(L.circle([lat, lon], {
        radius: reach * 1000, pane: 'rings', interactive: false,
        color: RECOMMENDED, weight: 1.5, dashArray: '6 4', fillColor: RECOMMENDED, fillOpacity: 0.08, className: 'fl-site-ring',
      }));
    }
    groups.sites.addLayer(L.marker([lat, lon], {
      pane: 'sites', title: siteLabel(f, i), alt: siteLabel(f, i),
      icon: L.divIcon({ className: 'fl-site', html: el('span', {}, String(i + 1)), iconSize: [22, 22], iconAnchor: [11, 11] }),
    }).bindTooltip(siteLabel(f, i)));
  });
  state.drawn.sites = sites.length;
}

async function recommend() {
  recController?.abort();
  recController = new AbortController();
  const { signal } = recController;
  const e = recForm.elements;
  const kind = e.kind.value;
  const target = String(e.target.value).trim();
  const params = new URLSearchParams(apiSettings(state.params));
  if (kind === 'air-defense') {
    params.set('system', e.system.value);
    if (target) params.set('target', target);
    else params.set('count', e.count.value);
  } else {
    params.set('target', target || '0.9');
  }
  const path = `/v1/recommend/${kind}?${params}`;
  const box = $('rec-result');
  const what = kind === 'air-defense' ? `${e.system.value} sites` : 'observation posts';
  box.replaceChildren(el('p', { class: 'muted' }, `Working out the ${what}…`));
  recForm.setAttribute('aria-busy', 'true');
  try {
    const rec = await getJSON(path, signal);
    if (signal.aborted) return;
    const sites = rec.sites.features;
    state.recommendation = { kind, path, sites: sites.length, target_reached: rec.target_reached ?? null, summary: rec.report.summary };
    drawSites(kind, sites);
    const before = report.summary, after = rec.report.summary;
    const cover = kind === 'air-defense' ? 'air_defense_covered_fraction' : 'patrol_covered_fraction';
    box.replaceChildren(
      el('p', {},
        el('strong', {}, `${sites.length} ${what}`),
        `: ${kind === 'air-defense' ? 'air-defense cover' : 'line watched'} ${pct(before[cover])} → ${pct(after[cover])}; `,
        `gap sectors ${before.status.gap || 0} → ${after.status.gap || 0}`,
        rec.target_reached == null ? '' : rec.target_reached ? '; every sector reaches the target' : '; not every sector reaches the target (sites stand on the own side)'),
      el('ol', { class: 'sites' }, sites.map((f, i) => el('li', {},
        el('button', { type: 'button', class: 'link', dataset: { site: String(i) } }, siteLabel(f, i).replace(/^\d+\. /, ''))))),
      el('p', { class: 'muted' }, 'To keep them as a scenario, send ', el('a', { href: path, target: '_blank', rel: 'noopener' }, 'the same request'),
        ' with save_as=ID and a write key.'),
    );
    box.querySelectorAll('button[data-site]').forEach((b) => b.addEventListener('click', () => {
      const [lon, lat] = sites[Number(b.dataset.site)].geometry.coordinates;
      map.setView([lat, lon], Math.max(map.getZoom(), 9), { animate: false });
    }));
  } catch (err) {
    if (signal.aborted || err.name === 'AbortError') return;
    state.recommendation = { error: err.message };
    box.replaceChildren(el('p', { class: 'message error' }, `Could not recommend: ${err.message}`));
  } finally {
    recForm.removeAttribute('aria-busy');
  }
}

fillSelect(recForm.elements.system, SYSTEMS.map((x) => [x, x]), 'nasams');
function showRecFields() {
  const ad = recForm.elements.kind.value === 'air-defense';
  for (const label of recForm.querySelectorAll('.rec-ad')) {
    label.hidden = !ad;
    label.querySelector('input, select').disabled = !ad;
  }
}
recForm.elements.kind.addEventListener('change', showRecFields);
showRecFields();
recForm.addEventListener('submit', (e) => {
  e.preventDefault();
  if (recForm.reportValidity()) recommend();
});
$('rec-clear').addEventListener('click', clearRecommendation);

// ---- what if -----------------------------------------------------------------

const form = $('whatif');

function formFields() {
  const out = {};
  for (const k of FIELDS) out[k] = String(form.elements[k].value).trim();
  for (const k of ['sector_km', 'sectors', 'depth_km', 'side', 'cut', 'scenario']) out[k] ||= DEFAULTS[k];
  return out;
}

// showCut shows the input the sector cut needs; the other one is disabled
// so that it neither counts nor blocks the form.
function showCut() {
  const cut = form.elements.cut.value;
  for (const [cls, on] of [['cut-length', cut === 'length'], ['cut-count', cut === 'count']]) {
    const label = form.querySelector(`.${cls}`);
    label.hidden = !on;
    label.querySelector('input').disabled = !on;
  }
}

// setURL keeps the settings and the selection in the address, so that a
// view can be reloaded or shared.
function setURL() {
  const f = state.params;
  const u = new URLSearchParams();
  for (const k of ['version', 'scenario', 'compare', 'posture', 'required_per_km']) if (f[k] && f[k] !== DEFAULTS[k]) u.set(k, f[k]);
  if (f.cut === 'count') u.set('sectors', f.sectors);
  else if (f.cut === 'anchors') u.set('sectors', 'anchors');
  else if (f.sector_km && f.sector_km !== DEFAULTS.sector_km) u.set('sector_km', f.sector_km);
  for (const k of ['depth_km', 'side']) if (f[k] && f[k] !== DEFAULTS[k]) u.set(k, f[k]);
  if (state.selected) u.set('sector', state.selected);
  const s = u.toString();
  history.replaceState(null, '', s ? `?${s}` : location.pathname);
}

// fromURL is the form's fields as the address gives them.
function fromURL(u) {
  const f = { ...DEFAULTS };
  for (const k of ['version', 'scenario', 'compare', 'posture', 'required_per_km', 'sector_km', 'depth_km', 'side']) if (u.has(k)) f[k] = u.get(k);
  const sectors = u.get('sectors');
  if (sectors === 'anchors') f.cut = 'anchors';
  else if (sectors) {
    f.cut = 'count';
    f.sectors = sectors;
  }
  return f;
}

function setForm(f) {
  for (const k of FIELDS) form.elements[k].value = f[k];
  // A select keeps its value only if it has that option.
  for (const k of ['scenario', 'compare', 'posture']) if (form.elements[k].value !== f[k]) fillSelect(form.elements[k], [...form.elements[k].options].map((o) => [o.value, o.text, o.title]), f[k]);
  showCut();
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  if (!form.reportValidity()) return;
  load(formFields());
});
for (const k of FIELDS) {
  form.elements[k].addEventListener('change', () => {
    if (k === 'cut') showCut();
    // A posture sets the density unless one is typed: choosing one
    // clears the typed one.
    if (k === 'posture') form.elements.required_per_km.value = '';
    form.requestSubmit();
  });
}
$('defaults').addEventListener('click', () => {
  setForm(DEFAULTS);
  form.requestSubmit();
});

const initial = new URLSearchParams(location.search);
state.selected = initial.get('sector');
const start = fromURL(initial);

window.frontline = { state, map, select, load: () => load(formFields()) };
loadLists(start).then(() => {
  setForm(start);
  return load(formFields());
}).then(() => {
  if (state.selected) select(state.selected, { zoom: true, scroll: true });
});
