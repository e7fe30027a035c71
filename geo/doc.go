// Package geo is the front-line engine: the line, its sectors, the zones
// behind it and the coverage of each sector by units, all on the WGS84
// ellipsoid.
//
// # Geodesy
//
// Lengths along the line are sums of exact ellipsoidal geodesic distances
// (package geodesic). Everything that needs areas or the nearest point of
// the line is computed in one conformal plane centred on the line
// (Projection): conformal maps scale lengths equally in every direction,
// by a factor known exactly at each point, so planar lengths divided by
// the local scale and planar areas divided by its square are ellipsoidal
// ones. What is left is the variation of the scale across one small
// feature, which stays below 10⁻⁴ relative within 1,000 km of the centre.
// Geodesic edges longer than 2 km are split before projecting, so that
// straight planar edges follow the geodesics to well under a millimetre.
//
// # Zones
//
// A zone is the set of points within the band's depth of the line, on the
// chosen side, whose nearest point of the line lies in the sector. Zones
// are built from the Voronoi diagram of samples of the line: every vertex,
// points at most SpacingKm apart between them, and a pair of samples a
// metre apart straddling every sector boundary, so that the boundary
// between two sectors' zones is exactly the line's normal there. Each
// sample's Voronoi cell is cut to the disk of the band's radius around it
// and to its side of the line, and cells are merged per sector.
//
// Replacing the line by its samples moves the band's outer edge inwards
// by at most s²/8D between samples s apart at depth D (about a metre at
// the default 0.5 km and 30 km) and bends the boundaries between distant
// parts of the line by a similar amount; the arcs of the outer edge are
// drawn with at most 2° between points. Zone areas come out within 0.01 %
// of the exact point set (see the tests, which check them against an
// independent brute-force integration on the ellipsoid).
//
// # Coverage
//
// Air-defense ranges are geodesic circles, drawn in the plane as circles
// through four of their exact points. A zone's covered area is summed
// over its cells: a cell inside or outside every range counts whole; a
// cell crossed by a range's edge is measured along parallel lines 100 m
// apart, exactly along each line. Patrol cover is exact: the part of each
// edge of the line within the patrol's distance of each edge of its route.
package geo
