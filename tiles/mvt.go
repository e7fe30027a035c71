package tiles

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"google.golang.org/protobuf/encoding/protowire"
)

// Tile is one layer's features in one tile.
type Tile struct {
	Layer    string
	Z, X, Y  int
	Features []Feature
}

// Feature is a feature of a Tile, in tile units: whole numbers from 0 to
// Extent across the tile, y down, reaching Buffer beyond it. Polygons'
// outer rings are clockwise as drawn (MVT 2).
type Feature struct {
	ID         uint64
	Geometry   orb.Geometry
	Properties map[string]any // string, float64, int64 or bool; shared: do not modify
}

// Field numbers and values of the vector tile protobuf schema
// (vector_tile.proto, version 2.1).
const (
	tileLayers = 3 // Tile.layers

	layerVersion  = 15
	layerName     = 1
	layerFeatures = 2
	layerKeys     = 3
	layerValues   = 4
	layerExtent   = 5

	featureID       = 1
	featureTags     = 2
	featureType     = 3
	featureGeometry = 4

	valueString = 1
	valueDouble = 3
	valueSint   = 6
	valueBool   = 7

	geomPoint   = 1
	geomLine    = 2
	geomPolygon = 3

	cmdMoveTo    = 1
	cmdLineTo    = 2
	cmdClosePath = 7
)

// MarshalMVT encodes the tile as a Mapbox Vector Tile (version 2,
// uncompressed) of one layer named after it. The same tile encodes to the
// same bytes: each feature's properties are written in key order, and
// the layer's keys and values in the order first met.
func (t *Tile) MarshalMVT() []byte {
	// The key and value tables are plain locals (not a struct the helpers
	// share), so that they stay on the stack: a tile is encoded on every
	// response cache miss.
	keyIdx, valIdx := map[string]uint64{}, map[value]uint64{}
	var keys []string
	var vals []value
	var layer, feat, packed []byte
	var names []string
	layer = protowire.AppendTag(layer, layerVersion, protowire.VarintType)
	layer = protowire.AppendVarint(layer, 2)
	layer = protowire.AppendTag(layer, layerName, protowire.BytesType)
	layer = protowire.AppendString(layer, t.Layer)
	for _, f := range t.Features {
		names = names[:0]
		for k := range f.Properties {
			names = append(names, k)
		}
		slices.Sort(names)
		packed = packed[:0]
		for _, k := range names {
			v, ok := valueOf(f.Properties[k])
			if !ok {
				continue
			}
			ki, ok := keyIdx[k]
			if !ok {
				ki = uint64(len(keys))
				keyIdx[k] = ki
				keys = append(keys, k)
			}
			vi, ok := valIdx[v]
			if !ok {
				vi = uint64(len(vals))
				valIdx[v] = vi
				vals = append(vals, v)
			}
			packed = protowire.AppendVarint(protowire.AppendVarint(packed, ki), vi)
		}
		feat = protowire.AppendTag(feat[:0], featureID, protowire.VarintType)
		feat = protowire.AppendVarint(feat, f.ID)
		if len(packed) > 0 {
			feat = protowire.AppendTag(feat, featureTags, protowire.BytesType)
			feat = protowire.AppendBytes(feat, packed)
		}
		typ, cmds := encodeGeometry(f.Geometry)
		feat = protowire.AppendTag(feat, featureType, protowire.VarintType)
		feat = protowire.AppendVarint(feat, typ)
		packed = packed[:0]
		for _, c := range cmds {
			packed = protowire.AppendVarint(packed, uint64(c))
		}
		feat = protowire.AppendTag(feat, featureGeometry, protowire.BytesType)
		feat = protowire.AppendBytes(feat, packed)
		layer = protowire.AppendTag(layer, layerFeatures, protowire.BytesType)
		layer = protowire.AppendBytes(layer, feat)
	}
	for _, k := range keys {
		layer = protowire.AppendTag(layer, layerKeys, protowire.BytesType)
		layer = protowire.AppendString(layer, k)
	}
	for _, v := range vals {
		layer = protowire.AppendTag(layer, layerValues, protowire.BytesType)
		layer = protowire.AppendBytes(layer, v.appendTo(nil))
	}
	layer = protowire.AppendTag(layer, layerExtent, protowire.VarintType)
	layer = protowire.AppendVarint(layer, Extent)
	tile := protowire.AppendTag(make([]byte, 0, len(layer)+8), tileLayers, protowire.BytesType)
	return protowire.AppendBytes(tile, layer)
}

// value is a property value as a Tile.Value holds it.
type value struct {
	kind int // valueString, valueDouble, valueSint or valueBool
	s    string
	f    float64
	i    int64
	b    bool
}

// valueOf is a property's value; false for a type tiles do not hold.
func valueOf(v any) (value, bool) {
	switch x := v.(type) {
	case string:
		return value{kind: valueString, s: x}, true
	case float64:
		return value{kind: valueDouble, f: x}, true
	case int64:
		return value{kind: valueSint, i: x}, true
	case bool:
		return value{kind: valueBool, b: x}, true
	}
	return value{}, false
}

// appendTo appends the value as a Tile.Value message's fields.
func (v value) appendTo(b []byte) []byte {
	switch v.kind {
	case valueString:
		return protowire.AppendString(protowire.AppendTag(b, valueString, protowire.BytesType), v.s)
	case valueDouble:
		return protowire.AppendFixed64(protowire.AppendTag(b, valueDouble, protowire.Fixed64Type), math.Float64bits(v.f))
	case valueSint:
		return protowire.AppendVarint(protowire.AppendTag(b, valueSint, protowire.VarintType), protowire.EncodeZigZag(v.i))
	case valueBool:
		return protowire.AppendVarint(protowire.AppendTag(b, valueBool, protowire.VarintType), protowire.EncodeBool(v.b))
	}
	return b
}

// encodeGeometry writes a geometry in tile units as MVT commands: its
// GeomType and the command integers.
func encodeGeometry(g orb.Geometry) (uint64, []uint32) {
	var cmds []uint32
	var cx, cy int64
	cmd := func(id, count int) { cmds = append(cmds, uint32(id&7|count<<3)) }
	to := func(p orb.Point) {
		x, y := int64(p[0]), int64(p[1])
		cmds = append(cmds, uint32(protowire.EncodeZigZag(x-cx)), uint32(protowire.EncodeZigZag(y-cy)))
		cx, cy = x, y
	}
	line := func(ls []orb.Point) {
		cmd(cmdMoveTo, 1)
		to(ls[0])
		cmd(cmdLineTo, len(ls)-1)
		for _, p := range ls[1:] {
			to(p)
		}
	}
	ring := func(r []orb.Point) { // closed: the last point is the first
		line(r[:len(r)-1])
		cmd(cmdClosePath, 1)
	}
	switch g := g.(type) {
	case orb.Point:
		cmd(cmdMoveTo, 1)
		to(g)
		return geomPoint, cmds
	case orb.MultiPoint:
		cmd(cmdMoveTo, len(g))
		for _, p := range g {
			to(p)
		}
		return geomPoint, cmds
	case orb.LineString:
		line(g)
		return geomLine, cmds
	case orb.MultiLineString:
		for _, ls := range g {
			line(ls)
		}
		return geomLine, cmds
	case orb.Polygon:
		for _, r := range g {
			ring(r)
		}
		return geomPolygon, cmds
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				ring(r)
			}
		}
		return geomPolygon, cmds
	}
	return 0, nil
}
