// Package bruteforce is a slow, independent reference implementation of the
// product's coverage definitions, for tests only.
//
// It evaluates the spec's definitions directly, point by point, on the WGS84
// ellipsoid: every decision (distance to the line, nearest point, side, flat
// ends, sector, air-defense and patrol coverage) is taken from exact
// geodesics computed by frontline/geo/geodesic. No projection and no planar
// approximation is used for any decision. Lon/lat boxes appear only in
// pruning, and every pruning bound is a provable lower bound of the
// geodesic distance (see lowerBoundKm), so pruning never changes a result.
//
// The package is meant to be simple enough to be obviously correct, so that
// tests can compare the production engine (projections, Voronoi cells)
// against it. It is not meant for production use: it is orders of magnitude
// slower than the engine.
//
// Definitions implemented (from the product spec):
//
//   - A line is a list of parts (LineStrings) of {lon, lat} vertices joined by
//     geodesic edges. Distance along the line runs through the parts in
//     order; the gap between parts counts zero.
//   - The nearest point of p is found exactly: candidate edges are pruned with
//     safe lower bounds, and the distance to each remaining edge is minimised
//     by golden-section search on the fraction along the edge.
//   - Side is judged at the nearest point by the edge direction there (inside
//     an edge), by the bisector of the incoming and outgoing azimuths (inner
//     vertex of a part) or by the single edge's direction (end of a part).
//   - The first vertex of the first part and the last vertex of the last part
//     are flat ends: points beyond them are outside the band. Ends of other
//     parts are round.
//   - Zones integrates the band (by sector) and its air-defense coverage on a
//     lon/lat grid whose cells are weighted by their exact ellipsoidal area
//     and classified by their centre points.
//   - PatrolCovered samples the line and measures, per sector, the length
//     watched by patrols (routes or posts).
package bruteforce
