// Package tiles cuts GeoJSON layers into Mapbox Vector Tiles (MVT 2).
//
// A Source holds one layer's features projected once to Web Mercator
// (x and y from 0 to 1, y down); a tile is cut from it on demand: the
// features whose bounds meet the tile and its buffer, simplified for the
// tile's zoom, clipped, rounded to whole tile units and encoded.
//
// Why it is built this way:
//
//   - Simplification is made once per zoom and kept, and it keeps every
//     vertex where lines or rings that share an edge part ways (see
//     simplify.go): neighbouring zones then keep one common edge and a
//     sector's pieces their common ends at every zoom, with no slivers or
//     gaps between them, however the tiles cut them.
//   - The encoder (mvt.go) is our own, on protowire: it writes one layer
//     straight from the features, lighter than orb's encoding/mvt (which
//     goes through generated protobuf structs), and it writes properties
//     in key order, so that the same tile always encodes to the same bytes
//     and its ETag holds. The tests decode our tiles with orb's decoder.
//
// The package knows nothing of front lines: it takes a FeatureCollection
// and a layer name; what the layers hold is the server's business.
package tiles
