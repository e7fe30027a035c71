// Package delaunay computes the Delaunay triangulation of a set of points
// in the plane, robustly, for building Voronoi diagrams of many points
// sampled along polylines (long runs of exactly or nearly collinear points,
// very close pairs, many nearly cocircular quadruples, a few far-away frame
// points).
//
// # Algorithm
//
// Incremental insertion with Lawson flips (Lawson 1977; Guibas and Stolfi
// 1985): each point is located in the current triangulation, inserted by
// splitting the triangle that contains it (or the two triangles sharing the
// edge it lies on, or one triangle if that edge is on the hull), or, if it
// lies outside the convex hull, connected to every hull edge that has it
// strictly on its outer side; then every edge opposite the new point whose
// neighbouring triangle's third point lies strictly inside the circle
// through the edge and the new point is flipped, until none is left. The
// triangulation is Delaunay after every insertion.
//
// Point location is a randomized visibility walk (Devillers, Pion and
// Teillaud 2002) starting from the triangle created by the previous
// insertion. The insertion order is a Biased Randomized Insertion Order
// (Amenta, Choi and Rote 2003): rounds of doubling size, each a random
// sample; within a round the points are taken in input order when the input
// is a spatially coherent sequence (points given along a polyline, the
// common case: each point is then a few triangles away from the previous
// one), or else along a Hilbert curve, whichever makes the shorter path.
// Randomizing the rounds keeps the expected number of flips linear even for
// inputs that make insertion in the given order quadratic (points along two
// long straight segments meeting at an angle, or along a parabola).
//
// Complexity: O(n log n) expected time and O(n) memory, with a handful of
// allocations per call. 10,000 points along a polyline take a few
// milliseconds.
//
// # Robustness
//
// Every decision is made with exact predicates, so the construction never
// loops and its result is a valid Delaunay triangulation of the exact input
// coordinates, whatever the degeneracies. orient2d (the side of a line a
// point is on) and incircle (whether a point is inside the circle through
// three others) are first evaluated in float64 and accepted when the result
// exceeds Shewchuk's static error bound (3+16ε)ε·(|l|+|r|) resp.
// (10+96ε)ε·permanent, with ε = 2⁻⁵³; this settles almost every call.
// Otherwise they are evaluated exactly with floating-point expansions
// (error-free TwoSum, and TwoProduct by math.FMA), which are exact because
// no intermediate value can underflow or overflow when all coordinates are
// zero or of magnitude between 2⁻¹⁵⁰ and 2²⁴⁰. If some input coordinate is
// outside that range, every predicate is evaluated with math/big.Rat
// instead (correct, but much slower). Products are written so that the
// compiler cannot fuse them into FMAs, which would void the error bounds.
//
// Input with a NaN or infinite coordinate is rejected (ErrNotFinite).
//
// # Degenerate input
//
//   - Duplicates: points with exactly equal coordinates (0 and -0 are equal)
//     are triangulated once, as the first occurrence (lowest index); the
//     others are in no triangle, EdgesAround returns nothing for them and
//     Duplicates / DuplicateOf map them to the first occurrence.
//   - Collinear points: if all points are collinear, or there are fewer
//     than three distinct points, New returns ErrDegenerate. Otherwise
//     collinear points are handled exactly: points on the boundary of the
//     convex hull (including those in the middle of a hull edge) are hull
//     points, listed in Hull, and every triangle has strictly positive
//     area.
//   - Cocircular points: the Delaunay triangulation is not unique when four
//     or more points are cocircular (a regular grid, say); any one of them
//     is returned (edges are flipped only when a point is strictly inside a
//     circumcircle). The result depends only on the input, not on timing.
//
// In every case the result is a valid triangulation of the convex hull of
// the distinct points: triangles counter-clockwise with positive area,
// without overlaps, covering the hull, with 2n-h-2 triangles for n distinct
// points of which h are on the hull boundary, and no input point strictly
// inside the circumcircle of any triangle.
//
// # Representation
//
// Triangles and Halfedges follow the half-edge convention of the
// Triangulation type; Next and Prev move around a triangle, and
// Halfedges[e] crosses to the neighbouring one. EdgesAround lists the
// half-edges leaving a point counter-clockwise, the natural order for
// walking a Voronoi cell whose vertices are the Circumcenters of the
// triangles around the point. New does not retain the input slice.
package delaunay
