// The map page of the frontline service: the line, its sectors coloured by
// coverage, zones, air-defense rings, gaps and units on a country-outline
// basemap, beside a table of the sectors, with "what if" settings that
// refetch everything with query parameters. Everything comes from this
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
const DEFAULTS = { sector_km: '25', depth_km: '30', side: 'both' };
const WHATIF = Object.keys(DEFAULTS);

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
    else if (k === 'dataset') Object.assign(e.dataset, v);
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
  drawn: { countries: 0, line: 0, sectors: 0, zones: 0, rings: 0, gaps: 0, units: 0 },
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
map.attributionControl.addAttribution('Borders: Natural Earth (public domain) | Default line: GeoNames (CC BY 4.0), © OpenStreetMap contributors (ODbL)');
L.control.scale({ imperial: false }).addTo(map);
map.fitBounds([[44.5, 30], [52.5, 41]]);

// Panes fix the drawing order whatever order the layers load in.
// Units go under the line: along a front they sit on it, and the line and
// its colours matter more than any one symbol.
const PANES = {
  basemap: 200, labels: 210, zones: 350, rings: 360, adGaps: 370, patrols: 380,
  units: 385, patrolGaps: 390, halo: 395, line: 400, sectors: 410,
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

function sectorTooltip(p) {
  return el('span', {}, el('strong', {}, p.id), ` ${p.status} · ${nf1.format(p.start_km)}–${nf1.format(p.end_km)} km`);
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
    const layer = L.geoJSON(f, {
      pane: 'sectors',
      style: styleOf(p, { lineCap: 'butt', className: 'fl-sector' }),
    }).getLayers()[0];
    layer.baseStyle = styleOf(p);
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
    const style = styleOf(p, { fillOpacity: Math.min(p['fill-opacity'] ?? 0.3, 0.3) * 0.6, weight: 0.8, className: 'fl-zone' });
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

function drawLine(feature) {
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

// ---- the table and the summary ------------------------------------------

const tbody = document.querySelector('#sector-table tbody');

function statusBadge(status) {
  return el('span', { class: `badge ${status}` }, status);
}

function figure(text, status, label) {
  return el('td', { class: `num fig ${status}`, title: `${label}: ${status}` }, text);
}

function drawTable(report) {
  const rows = report.sectors.map((s) => el('tr', { dataset: { sector: s.id }, class: `row-${s.status}` },
    el('th', { scope: 'row' }, el('button', { type: 'button', class: 'sector-button', 'aria-pressed': 'false' }, s.id)),
    el('td', { class: 'num km' }, `${nf1.format(s.start_km)}–${nf1.format(s.end_km)}`),
    figure(s.troops.ratio.toFixed(2), s.troops.status, 'troops'),
    figure(pct(s.air_defense.covered_fraction), s.air_defense.status, 'air defense'),
    figure(pct(s.patrol.covered_fraction), s.patrol.status, 'patrols'),
    el('td', {}, statusBadge(s.status)),
  ));
  tbody.replaceChildren(...rows);
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
  $('line-info').textContent = `Line version ${line.version}, valid from ${String(line.valid_from).slice(0, 10)}: `
    + `${nf1.format(line.length_km)} km in sectors of ${nf1.format(p.sector_km || line.length_km / report.sectors.length)} km; `
    + `zone ${nf1.format(p.depth_km)} km deep, ${sides[p.side] || p.side}`;
  $('thresholds').textContent = `ok: troops ratio ≥ ${p.troops_ok}, cover ≥ ${pct(p.air_defense_ok)} (air defense), ≥ ${pct(p.patrol_ok)} (patrols); thin: at least half; gap: below`;
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

let controller = null;
let fitted = false;

async function load(params) {
  controller?.abort();
  controller = new AbortController();
  const { signal } = controller;
  const qs = new URLSearchParams(params).toString();
  const q = (path, extra = '') => `${path}?${qs}${extra}`;
  state.loading = true;
  state.params = { ...params };
  document.querySelector('.layout').setAttribute('aria-busy', 'true');
  setMessage('Loading…', 'loading');
  try {
    // Unit positions may need a key the page does not have: the rest of
    // the page works without them.
    const optional = Promise.allSettled([
      getJSON(q('/v1/overlays/air-defense'), signal),
      getJSON('/v1/units', signal),
    ]);
    // Zones and gaps are simplified to half a pixel at zoom 9: closer
    // than the page ever needs, and a quarter of the bytes.
    const [cov, line, sectors, zones, gaps] = await Promise.all([
      getJSON(q('/v1/coverage'), signal),
      getJSON('/v1/frontline', signal),
      getJSON(q('/v1/overlays/sectors'), signal),
      getJSON(q('/v1/overlays/zones', '&zoom=9'), signal),
      getJSON(q('/v1/overlays/gaps', '&zoom=9'), signal),
    ]);
    const [rings, units] = await optional;
    if (signal.aborted) return;
    report = cov;
    drawLine(line);
    drawSectors(sectors, zones);
    drawGaps(gaps);
    drawRings(rings.status === 'fulfilled' ? rings.value : null);
    drawUnits(units.status === 'fulfilled' ? units.value : null);
    drawSummary(cov);
    drawTable(cov);
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
  } catch (err) {
    if (signal.aborted || err.name === 'AbortError') return;
    state.error = err.message;
    const none = err.status === 404 ? ' (no line loaded? import one with POST /v1/frontline)' : '';
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

// ---- what if -----------------------------------------------------------------

const form = $('whatif');

function formParams() {
  const out = {};
  for (const k of WHATIF) out[k] = String(form.elements[k].value).trim() || DEFAULTS[k];
  return out;
}

// setURL keeps the settings and the selection in the address, so that a
// view can be reloaded or shared.
function setURL() {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(state.params)) if (v !== DEFAULTS[k]) u.set(k, v);
  if (state.selected) u.set('sector', state.selected);
  const s = u.toString();
  history.replaceState(null, '', s ? `?${s}` : location.pathname);
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  if (!form.reportValidity()) return;
  load(formParams());
});
for (const k of WHATIF) form.elements[k].addEventListener('change', () => form.requestSubmit());
$('defaults').addEventListener('click', () => {
  for (const k of WHATIF) form.elements[k].value = DEFAULTS[k];
  form.requestSubmit();
});

const initial = new URLSearchParams(location.search);
for (const k of WHATIF) if (initial.has(k)) form.elements[k].value = initial.get(k);
state.selected = initial.get('sector');

window.frontline = { state, map, select, load: () => load(formParams()) };
load(formParams()).then(() => {
  if (state.selected) select(state.selected, { zoom: true, scroll: true });
});
