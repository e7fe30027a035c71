package server

import (
	"maps"
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"frontline"
	"frontline/overlay"
)

// Paging bounds of the OGC items: OGC's default page, and the largest one
// served (GDAL asks for it, having read it from the service description).
const (
	ogcDefaultLimit = 10
	ogcMaxLimit     = 10000
)

// ogcItemsParams are the query parameters of an items request; f is
// there because GDAL sometimes sends f=json.
var ogcItemsParams = []string{"bbox", "limit", "offset", "datetime", "f"}

// timeFilter is an OGC datetime: an instant (From == To) or a closed
// interval whose ends may be open.
type timeFilter struct {
	set              bool
	from, to         time.Time
	openFrom, openTo bool
}

// parseDatetime reads an OGC datetime: an RFC 3339 instant, or an
// interval "start/end" whose ends may be ".." (or empty) for open.
func parseDatetime(v string) (timeFilter, error) {
	if v == "" {
		return timeFilter{}, nil
	}
	bad := func() error {
		return frontline.BadParameter("datetime", "datetime must be an RFC 3339 time or an interval START/END with '..' for an open end, got %q", truncateParam(v))
	}
	tf := timeFilter{set: true}
	if !strings.Contains(v, "/") {
		t, err := frontline.ParseTime(v)
		if err != nil {
			return tf, bad()
		}
		tf.from, tf.to = t, t
		return tf, nil
	}
	start, end, _ := strings.Cut(v, "/")
	if strings.Contains(end, "/") {
		return tf, bad()
	}
	for _, e := range []struct {
		text string
		t    *time.Time
		open *bool
	}{{start, &tf.from, &tf.openFrom}, {end, &tf.to, &tf.openTo}} {
		if e.text == "" || e.text == ".." {
			*e.open = true
			continue
		}
		t, err := frontline.ParseTime(e.text)
		if err != nil {
			return tf, bad()
		}
		*e.t = t
	}
	if !tf.openFrom && !tf.openTo && tf.from.After(tf.to) {
		return tf, frontline.BadParameter("datetime", "datetime interval %q ends before it starts", truncateParam(v))
	}
	return tf, nil
}

// String is the filter in canonical form, for cache keys and links.
func (tf timeFilter) String() string {
	if !tf.set {
		return ""
	}
	end := func(t time.Time, open bool) string {
		if open {
			return ".."
		}
		return t.UTC().Format(time.RFC3339Nano)
	}
	if !tf.openFrom && !tf.openTo && tf.from.Equal(tf.to) {
		return end(tf.from, false)
	}
	return end(tf.from, tf.openFrom) + "/" + end(tf.to, tf.openTo)
}

// validVersions returns the line versions valid at some moment of the
// filter, oldest valid_from first. A version is valid from its valid_from
// until the next one's, the way the service picks the line for ?at=: of
// versions with the same valid_from, only the highest number is ever
// valid.
func validVersions(vs []*frontline.LineVersion, tf timeFilter) []*frontline.LineVersion {
	sorted := append([]*frontline.LineVersion(nil), vs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if !a.ValidFrom.Equal(b.ValidFrom) {
			return a.ValidFrom.Before(b.ValidFrom)
		}
		return a.Version < b.Version
	})
	var out []*frontline.LineVersion
	for i, v := range sorted {
		last := i == len(sorted)-1
		var end time.Time
		if !last {
			end = sorted[i+1].ValidFrom
			if !end.After(v.ValidFrom) {
				continue // superseded at once: never valid
			}
		}
		if !tf.set {
			out = append(out, v)
			continue
		}
		startsInTime := tf.openTo || !v.ValidFrom.After(tf.to)
		endsInTime := last || tf.openFrom || end.After(tf.from)
		if startsInTime && endsInTime {
			out = append(out, v)
		}
	}
	return out
}

// itemsQuery is a parsed items request.
type itemsQuery struct {
	shape  overlay.Options // only its bbox is used
	limit  int
	offset int
	when   timeFilter
	// settings are the coverage settings as given, for
	// Service.ParseParams and for the links, which carry them so that a
	// client walking the pages keeps them.
	settings url.Values
}

// settingsOf returns the parameters of q that are among the settings
// names, as given: a request's settings with the OGC parameters removed.
func settingsOf(q url.Values, names []string) url.Values {
	out := url.Values{}
	for name, vs := range q {
		if slices.Contains(names, name) {
			out[name] = vs
		}
	}
	return out
}

// collectionQuery checks the query of a request for one collection or
// one feature, which takes f and the collection's settings, and returns
// the settings.
func collectionQuery(q url.Values, settings []string, geo bool) (url.Values, error) {
	if err := checkParams(q, []string{"f"}, settings); err != nil {
		return nil, err
	}
	if err := checkFormat(q, geo); err != nil {
		return nil, err
	}
	return settingsOf(q, settings), nil
}

// parseItemsQuery reads an items request: the OGC parameters, and apart
// from them the settings the collection takes (datetime only when it is
// timed).
//
// datetime and the settings version and at all pick the line version, so
// a query gives datetime or one of them, never both: datetime as OGC
// clients send it (an interval picks the newest version valid during
// it), version and at as on /v1.
func parseItemsQuery(q url.Values, timed bool, settings []string) (itemsQuery, error) {
	iq := itemsQuery{limit: ogcDefaultLimit}
	if err := checkParams(q, ogcItemsParams, settings); err != nil {
		return iq, err
	}
	if err := checkFormat(q, true); err != nil {
		return iq, err
	}
	iq.settings = settingsOf(q, settings)
	if v := q.Get("bbox"); v != "" {
		sh, _, err := parseShape(url.Values{"bbox": {v}})
		if err != nil {
			return iq, err
		}
		iq.shape = sh
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > ogcMaxLimit {
			return iq, frontline.BadParameter("limit", "limit must be a whole number from 1 to %d, got %q", ogcMaxLimit, truncateParam(v))
		}
		iq.limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return iq, frontline.BadParameter("offset", "offset must be a whole number from 0, got %q", truncateParam(v))
		}
		iq.offset = n
	}
	if v := q.Get("datetime"); v != "" {
		if !timed {
			return iq, frontline.BadParameter("datetime", "this collection does not change with the line's versions; it takes no datetime")
		}
		tf, err := parseDatetime(v)
		if err != nil {
			return iq, err
		}
		iq.when = tf
		for _, line := range []string{"version", "at"} {
			if iq.settings.Get(line) != "" {
				return iq, frontline.BadParameter("datetime", "give datetime or %s, not both: each picks the line version", line)
			}
		}
	}
	return iq, nil
}

// values are the query's parameters in canonical form, with the page at
// offset: the same for the same selection however it was spelt, so they
// serve as cache key and in links.
func (iq itemsQuery) values(offset int) url.Values {
	v := url.Values{}
	if iq.shape.HasBBox {
		b := iq.shape.BBox
		f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
		v.Set("bbox", f(b.Min[0])+","+f(b.Min[1])+","+f(b.Max[0])+","+f(b.Max[1]))
	}
	if iq.when.set {
		v.Set("datetime", iq.when.String())
	}
	v.Set("limit", strconv.Itoa(iq.limit))
	v.Set("offset", strconv.Itoa(offset))
	for name, vs := range iq.settings {
		v[name] = vs
	}
	return v
}

// key is a text of the query, for cache keys: the settings as given, which
// the links repeat (the computation's settings, Params.Key, are keyed on
// apart from it).
func (iq itemsQuery) key() string { return iq.values(iq.offset).Encode() }

// pageURL is the items URL of the page at offset, with the query's
// filters and settings.
func (iq itemsQuery) pageURL(itemsURL string, offset int) string {
	return itemsURL + "?" + iq.values(offset).Encode()
}

// settingsText is settings as a reader would write them, by name:
// "scenario=more-south, sector_km=10".
func settingsText(settings url.Values) string {
	names := slices.Sorted(maps.Keys(settings))
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = name + "=" + strings.Join(settings[name], ",")
	}
	return strings.Join(parts, ", ")
}

// withQuery is u with the query q, if there is one.
func withQuery(u string, q url.Values) string {
	if len(q) == 0 {
		return u
	}
	return u + "?" + q.Encode()
}

// checkFormat accepts f=json (and f=geojson where GeoJSON is served):
// JSON is all the OGC endpoints speak.
func checkFormat(q url.Values, geo bool) error {
	switch f := q.Get("f"); f {
	case "", "json":
	case "geojson":
		if !geo {
			return frontline.BadParameter("f", "f must be json here, got %q", truncateParam(f))
		}
	default:
		if geo {
			return frontline.BadParameter("f", "f must be json or geojson, got %q", truncateParam(f))
		}
		return frontline.BadParameter("f", "f must be json, got %q", truncateParam(f))
	}
	return nil
}

// truncateParam shortens a value quoted in an error: long enough for an
// interval of two times with nanoseconds and offsets.
func truncateParam(v string) string {
	if len(v) > 80 {
		return v[:80] + "..."
	}
	return v
}

// expandKm grows a bound by km on every side, generously: a point within
// km of one inside the bound lies within the result.
func expandKm(b orb.Bound, km float64) orb.Bound {
	// A degree of latitude is at least 110.574 km; a degree of longitude
	// at least 111.319·cos(latitude) km.
	dlat := km / 110.574 * 1.01
	minLat, maxLat := math.Max(-90, b.Min[1]-dlat), math.Min(90, b.Max[1]+dlat)
	cos := math.Cos(math.Max(math.Abs(minLat), math.Abs(maxLat)) * math.Pi / 180)
	if cos < 0.01 {
		return orb.Bound{Min: orb.Point{-180, minLat}, Max: orb.Point{180, maxLat}}
	}
	dlon := km / (111.319 * cos) * 1.01
	// Outwards to six decimals, as the coordinates are served.
	down := func(x float64) float64 { return math.Floor(x*1e6) / 1e6 }
	up := func(x float64) float64 { return math.Ceil(x*1e6) / 1e6 }
	return orb.Bound{Min: orb.Point{math.Max(-180, down(b.Min[0]-dlon)), down(minLat)},
		Max: orb.Point{math.Min(180, up(b.Max[0]+dlon)), up(maxLat)}}
}
