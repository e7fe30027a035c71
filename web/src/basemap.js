// expand turns the build's compact country outlines (basemap.mjs) back
// into a GeoJSON FeatureCollection.
export function expand({ scale, countries }) {
  return {
    type: 'FeatureCollection',
    features: countries.map((c) => ({
      type: 'Feature',
      properties: { name: c.name, label: c.label },
      geometry: {
        type: 'MultiPolygon',
        coordinates: c.polygons.map((p) => p.map((steps) => {
          const ring = [];
          let x = 0, y = 0;
          for (let i = 0; i + 1 < steps.length; i += 2) {
            x += steps[i];
            y += steps[i + 1];
            ring.push([x / scale, y / scale]);
          }
          return ring;
        })),
      },
    })),
  };
}
