package server

import (
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"frontline"
	"frontline/geo/geodesic"
)

func TestParseDatetime(t *testing.T) {
	for _, c := range []struct {
		name, in, want, err string
	}{
		{"instant", "2025-03-25T12:00:00Z", "2025-03-25T12:00:00Z", ""},
		{"instant with offset", "2025-03-25T14:00:00+02:00", "2025-03-25T12:00:00Z", ""},
		{"date", "2025-03-25", "2025-03-25T00:00:00Z", ""},
		{"interval", "2025-01-01T00:00:00Z/2025-12-31T00:00:00Z", "2025-01-01T00:00:00Z/2025-12-31T00:00:00Z", ""},
		{"open start", "../2025-12-31T00:00:00Z", "../2025-12-31T00:00:00Z", ""},
		{"open end", "2025-01-01T00:00:00Z/..", "2025-01-01T00:00:00Z/..", ""},
		{"empty end", "2025-01-01T00:00:00Z/", "2025-01-01T00:00:00Z/..", ""},
		{"both open", "../..", "../..", ""},
		{"interval of one instant", "2025-01-01T00:00:00Z/2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z", ""},
		{"not a time", "yesterday", "", `datetime: datetime must be an RFC 3339 time or an interval START/END with '..' for an open end, got "yesterday"`},
		{"three parts", "2025-01-01T00:00:00Z/../..", "", `datetime: datetime must be an RFC 3339 time or an interval START/END with '..' for an open end, got "2025-01-01T00:00:00Z/../.."`},
		{"backwards", "2025-02-01T00:00:00Z/2025-01-01T00:00:00Z", "", `datetime: datetime interval "2025-02-01T00:00:00Z/2025-01-01T00:00:00Z" ends before it starts`},
	} {
		t.Run(c.name, func(t *testing.T) {
			tf, err := parseDatetime(c.in)
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("error %v, want %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := tf.String(); got != c.want {
				t.Errorf("%q reads as %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// Versions are valid from their valid_from to the next one's; of two with
// the same valid_from, the later import wins, as with ?at=.
func TestValidVersions(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 1, d, 0, 0, 0, 0, time.UTC) }
	// Imported out of order; 4 replaces 3 on the same day.
	vs := []*frontline.LineVersion{
		{Version: 1, ValidFrom: day(10)}, {Version: 2, ValidFrom: day(1)},
		{Version: 3, ValidFrom: day(20)}, {Version: 4, ValidFrom: day(20)},
	}
	instant := func(t time.Time) timeFilter { return timeFilter{set: true, from: t, to: t} }
	for _, c := range []struct {
		name string
		tf   timeFilter
		want string
	}{
		{"no filter: every version ever valid", timeFilter{}, "[2 1 4]"},
		{"before the first", instant(day(1).Add(-time.Second)), "[]"},
		{"at the first", instant(day(1)), "[2]"},
		{"just before a change", instant(day(10).Add(-time.Nanosecond)), "[2]"},
		{"at a change", instant(day(10)), "[1]"},
		{"after the last", instant(day(30)), "[4]"},
		{"interval over a change", timeFilter{set: true, from: day(5), to: day(10)}, "[2 1]"},
		{"interval ending before the change", timeFilter{set: true, from: day(5), to: day(9)}, "[2]"},
		{"open start", timeFilter{set: true, openFrom: true, to: day(15)}, "[2 1]"},
		{"open end", timeFilter{set: true, from: day(15), openTo: true}, "[1 4]"},
		{"all time", timeFilter{set: true, openFrom: true, openTo: true}, "[2 1 4]"},
		{"before any line, open start", timeFilter{set: true, openFrom: true, to: day(1).Add(-time.Second)}, "[]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []int
			for _, v := range validVersions(vs, c.tf) {
				got = append(got, v.Version)
			}
			if s := fmt.Sprint(got); s != c.want && !(c.want == "[]" && got == nil) {
				t.Errorf("versions %s, want %s", s, c.want)
			}
		})
	}
}

// The zones' extent holds every point within the depth of the lines.
func TestExpandKm(t *testing.T) {
	for _, c := range []struct {
		name string
		b    orb.Bound
		km   float64
	}{
		{"Ukraine", orb.Bound{Min: orb.Point{31.7, 46.5}, Max: orb.Point{38.1, 52.4}}, 30},
		{"equator", orb.Bound{Min: orb.Point{-1, -1}, Max: orb.Point{1, 1}}, 100},
		{"far north", orb.Bound{Min: orb.Point{10, 70}, Max: orb.Point{20, 80}}, 50},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := expandKm(c.b, c.km)
			// Points at km from each corner, in every direction.
			for _, corner := range []orb.Point{c.b.Min, c.b.Max, {c.b.Min[0], c.b.Max[1]}, {c.b.Max[0], c.b.Min[1]}} {
				for az := 0.0; az < 360; az += 5 {
					lat, lon, _ := geodesic.Direct(corner[1], corner[0], az, c.km*1000)
					p := orb.Point{lon, lat}
					if !e.Contains(p) {
						t.Fatalf("%v, %g km from %v at %g°, is outside %v", p, c.km, corner, az, e)
					}
				}
			}
		})
	}
}

// An items query splits the collection's settings from the OGC
// parameters, refuses what the collection does not take, and writes the
// settings, as given, into every page's link.
func TestParseItemsQuerySettings(t *testing.T) {
	for _, c := range []struct {
		name, query string
		timed       bool
		settings    []string
		page, err   string
	}{
		{"no settings", "limit=5&offset=10", true, coverageParams, "limit=5&offset=20", ""},
		{"settings kept as given", "sector_km=10.0&limit=5&posture=defense&bbox=30,45,40,52", true, coverageParams,
			"bbox=30%2C45%2C40%2C52&limit=5&offset=20&posture=defense&sector_km=10.0", ""},
		{"version without datetime", "version=2", true, coverageParams, "limit=10&offset=20&version=2", ""},
		{"scenario on the units", "scenario=alone", false, []string{scenarioParam}, "limit=10&offset=20&scenario=alone", ""},
		{"a setting the units do not take", "depth_km=10", false, []string{scenarioParam}, "",
			`depth_km: unknown parameter "depth_km" (this endpoint takes bbox, limit, offset, datetime, f, scenario)`},
		{"a setting on the line versions", "sector_km=10", true, nil, "",
			`sector_km: unknown parameter "sector_km" (this endpoint takes bbox, limit, offset, datetime, f)`},
		{"datetime and version", "datetime=2025-01-01&version=2", true, coverageParams, "",
			"datetime: give datetime or version, not both: each picks the line version"},
		{"datetime and at", "at=2025-01-01&datetime=2025-01-01", true, coverageParams, "",
			"datetime: give datetime or at, not both: each picks the line version"},
	} {
		t.Run(c.name, func(t *testing.T) {
			q, err := url.ParseQuery(c.query)
			if err != nil {
				t.Fatal(err)
			}
			iq, err := parseItemsQuery(q, c.timed, c.settings)
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("error %v, want %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := iq.values(20).Encode(); got != c.page {
				t.Errorf("page at 20: %s, want %s", got, c.page)
			}
			for name := range iq.settings {
				if !slices.Contains(c.settings, name) {
					t.Errorf("%s taken as a setting", name)
				}
			}
		})
	}
}
