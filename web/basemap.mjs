// Country outlines for the map's basemap, made at build time from Natural
// Earth (public domain) as packaged by world-atlas: the countries that meet
// the region around Ukraine, clipped to it, simplified and rounded, so the
// bundle carries tens of kilobytes instead of the whole world.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature, merge } from 'topojson-client';

const require = createRequire(import.meta.url);

// REGION is [west, south, east, north] in degrees: Ukraine, its neighbours and
// the Black Sea, with room to pan.
export const REGION = [18, 41, 48, 57];

export function basemap({ scale = '10m', tolerance = 0.01, decimals = 3, region = REGION } = {}) {
  const topo = JSON.parse(readFileSync(require.resolve(`world-atlas/countries-${scale}.json`), 'utf8'));
  const features = [];
  for (const f of countries(topo)) {
    if (!f.geometry) continue;
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    const out = [];
    for (const poly of polys) {
      const rings = [];
      for (const ring of poly) {
        const r = round(simplify(clip(ring, region), tolerance), decimals);
        if (r.length >= 4) rings.push(r);
      }
      // A polygon whose outer ring is gone has nothing left in the region.
      if (rings.length && poly[0] && rings[0].length >= 4 && clip(poly[0], region).length >= 4) out.push(rings);
    }
    if (!out.length) continue;
    const area = out.reduce((a, p) => a + Math.abs(ringArea(p[0])), 0);
    features.push({
      type: 'Feature',
      properties: { name: f.properties.name, label: area > 4 ? labelPoint(out) : null },
      geometry: out.length === 1 ? { type: 'Polygon', coordinates: out[0] } : { type: 'MultiPolygon', coordinates: out },
    });
  }
  return { type: 'FeatureCollection', features };
}

// A point in Crimea: Natural Earth's default countries follow de facto
// control and put the peninsula in Russia; the map shows it in Ukraine, as
// the internationally recognised border does (UN General Assembly
// resolution 68/262), the same border the service's default line follows.
const CRIMEA = [34.1, 45.0];

// countries decodes the topology's countries, with Crimea moved from
// Russia's polygons to Ukraine's (merged, so no border crosses the isthmus).
function countries(topo) {
  const geoms = topo.objects.countries.geometries;
  const ru = geoms.find((g) => g.properties.name === 'Russia');
  const ua = geoms.find((g) => g.properties.name === 'Ukraine');
  const out = [];
  let crimea = null;
  if (ru && ua && ru.type === 'MultiPolygon') {
    const parts = feature(topo, ru).geometry.coordinates;
    const k = parts.findIndex((p) => inRing(CRIMEA, p[0]));
    if (k >= 0) crimea = { type: 'Polygon', arcs: ru.arcs[k] };
    if (crimea) {
      const ruLess = { ...ru, arcs: ru.arcs.filter((_, i) => i !== k) };
      for (const g of geoms) {
        if (g === ru) out.push(feature(topo, ruLess));
        else if (g === ua) out.push({ type: 'Feature', properties: ua.properties, geometry: merge(topo, [ua, crimea]) });
        else out.push(feature(topo, g));
      }
      return out;
    }
  }
  throw new Error('basemap: Crimea not found in Russia\'s polygons; check the Natural Earth version');
}

function inRing(p, r) {
  let c = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const a = r[i], b = r[j];
    if ((a[1] > p[1]) !== (b[1] > p[1]) && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) c = !c;
  }
  return c;
}

// clip cuts a closed ring to the rectangle (Sutherland–Hodgman: exact for a
// convex window; a ring that leaves and re-enters gets edges along the
// window's border, which the map never shows as the region is its limit).
function clip(ring, [w, s, e, n]) {
  const edges = [
    [(p) => p[0] >= w, (a, b) => at(a, b, 0, w)],
    [(p) => p[0] <= e, (a, b) => at(a, b, 0, e)],
    [(p) => p[1] >= s, (a, b) => at(a, b, 1, s)],
    [(p) => p[1] <= n, (a, b) => at(a, b, 1, n)],
  ];
  let pts = ring.slice(0, -1);
  for (const [inside, cut] of edges) {
    if (!pts.length) break;
    const next = [];
    for (let i = 0; i < pts.length; i++) {
      const a = pts[(i + pts.length - 1) % pts.length], b = pts[i];
      if (inside(b)) {
        if (!inside(a)) next.push(cut(a, b));
        next.push(b);
      } else if (inside(a)) {
        next.push(cut(a, b));
      }
    }
    pts = next;
  }
  return pts.length >= 3 ? [...pts, pts[0]] : [];
}

function at(a, b, axis, v) {
  const t = (v - a[axis]) / (b[axis] - a[axis]);
  const p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  p[axis] = v;
  return p;
}

// simplify is Douglas–Peucker in degrees, keeping the ring closed.
function simplify(ring, tol) {
  if (ring.length < 5 || !(tol > 0)) return ring;
  const keep = new Uint8Array(ring.length);
  keep[0] = keep[ring.length - 1] = 1;
  const stack = [[0, ring.length - 1]];
  // A closed ring's ends coincide: split it at its farthest point first.
  let far = 0, best = -1;
  for (let i = 1; i < ring.length - 1; i++) {
    const d = (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2;
    if (d > best) { best = d; far = i; }
  }
  keep[far] = 1;
  stack.pop();
  stack.push([0, far], [far, ring.length - 1]);
  while (stack.length) {
    const [i, j] = stack.pop();
    let k = -1, dmax = tol;
    for (let m = i + 1; m < j; m++) {
      const d = segDist(ring[m], ring[i], ring[j]);
      if (d > dmax) { dmax = d; k = m; }
    }
    if (k >= 0) {
      keep[k] = 1;
      stack.push([i, k], [k, j]);
    }
  }
  return ring.filter((_, i) => keep[i]);
}

function segDist(p, a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  let t = l2 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2 : 0;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

function round(ring, decimals) {
  const f = 10 ** decimals;
  const out = [];
  for (const p of ring) {
    const q = [Math.round(p[0] * f) / f, Math.round(p[1] * f) / f];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  return out;
}

function ringArea(r) {
  let a = 0;
  for (let i = 0; i + 1 < r.length; i++) a += r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1];
  return a / 2;
}

// labelPoint is the centroid of the largest polygon's outer ring, which for
// the large countries kept for labels falls well inside them.
function labelPoint(polys) {
  let best = polys[0][0], bestArea = 0;
  for (const p of polys) {
    const a = Math.abs(ringArea(p[0]));
    if (a > bestArea) { bestArea = a; best = p[0]; }
  }
  let cx = 0, cy = 0, a = 0;
  for (let i = 0; i + 1 < best.length; i++) {
    const c = best[i][0] * best[i + 1][1] - best[i + 1][0] * best[i][1];
    cx += (best[i][0] + best[i + 1][0]) * c;
    cy += (best[i][1] + best[i + 1][1]) * c;
    a += c;
  }
  return [Math.round((cx / (3 * a)) * 100) / 100, Math.round((cy / (3 * a)) * 100) / 100];
}

// compact writes each polygon ring as a flat list of integer steps in
// thousandths of a degree ([x0, y0, dx1, dy1, ...]): half the bytes of
// plain coordinates. The page reverses it with expand (src/basemap.js).
export function compact(fc, decimals = 3) {
  const f = 10 ** decimals;
  return {
    scale: f,
    countries: fc.features.map((c) => {
      const polys = c.geometry.type === 'Polygon' ? [c.geometry.coordinates] : c.geometry.coordinates;
      return {
        name: c.properties.name,
        label: c.properties.label,
        polygons: polys.map((p) => p.map((r) => {
          let px = 0, py = 0;
          const out = [];
          for (const [x, y] of r) {
            const X = Math.round(x * f), Y = Math.round(y * f);
            out.push(X - px, Y - py);
            px = X;
            py = Y;
          }
          return out;
        })),
      };
    }),
  };
}
