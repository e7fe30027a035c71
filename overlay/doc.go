// Package overlay draws what the service computed as GeoJSON
// FeatureCollections for map clients: the sectors and their zones styled
// by coverage status, air-defense range rings, the gaps, the line and the
// units.
//
// It only draws. The computations and their caches (coverage reports,
// zone polygons, air-defense gaps) belong to frontline.Service; the
// caller fetches them there and hands them in. Styles follow the
// simplestyle specification (stroke, fill and their opacity), so that a
// client without a style of its own still shows green, amber and red.
// Options then cut a collection down for a client: a bounding box,
// simplification for a zoom, and coordinates rounded to a precision.
package overlay
