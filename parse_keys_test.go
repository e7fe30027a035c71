package frontline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
)

func TestCheckDuplicateKeys(t *testing.T) {
	nd := Location{Feature: 4, Part: -1, Vertex: -1} // a line of newline-delimited GeoJSON
	many := func(dup bool) string {
		var b strings.Builder
		b.WriteString(`{"k0":0`)
		for i := 1; i < 40; i++ {
			fmt.Fprintf(&b, `,"k%d":%d`, i, i)
		}
		if dup {
			b.WriteString(`,"k3":3`)
		}
		return b.String() + "}"
	}
	// fc marks a FeatureCollection, where features[i] is feature i.
	const fc = true
	for _, tc := range []struct {
		name, in string
		at       Location
		fc       bool
		want     string // the error, "" for none
		wantAt   Location
	}{
		{"scalars", ` 1 `, Nowhere, false, "", Nowhere},
		{"empty containers", `{"a":{},"b":[],"c":[{}]}`, Nowhere, false, "", Nowhere},
		{"distinct", `{"type":"Feature","id":"g2","properties":{"id":"g3"}}`, Nowhere, false, "", Nowhere},
		{"same names in siblings", `[{"a":1},{"a":2,"b":{"a":3}}]`, Nowhere, false, "", Nowhere},
		{"same names nested", `{"a":{"a":{"a":1}}}`, Nowhere, false, "", Nowhere},
		{"names that only look alike", `{"a\"":1,"a\\":2,"a ":4,"a":5}`, Nowhere, false, "", Nowhere},
		{"names that differ in case", `{"type":"Feature","id":"c1","ID":"c2"}`, Nowhere, false,
			`ID: duplicate key "ID" in the top-level object: it differs from "id" only in case, and JSON readers that ignore case take either`,
			Location{-1, -1, -1, "ID"}},
		{"names that differ in case, many members", strings.TrimSuffix(many(false), "}") + `,"K7":1}`, Nowhere, false,
			`K7: duplicate key "K7" in the top-level object: it differs from "k7" only in case, and JSON readers that ignore case take either`,
			Location{-1, -1, -1, "K7"}},
		{"Kelvin sign folds to k", `{"k":1,"\u212a":2}`, Nowhere, false,
			"[\"\u212a\"]: duplicate key \"\u212a\" in the top-level object: it differs from \"k\" only in case, and JSON readers that ignore case take either",
			Location{-1, -1, -1, "[\"\u212a\"]"}},
		{"40 names", many(false), Nowhere, false, "", Nowhere},
		{"top level", `{"type":"Feature","id":"g2","id":"g3"}`, Nowhere, false,
			`id: duplicate key "id" in the top-level object`, Location{-1, -1, -1, "id"}},
		{"escaped", `{"a":1,"\u0061":2}`, Nowhere, false,
			`a: duplicate key "a" in the top-level object`, Location{-1, -1, -1, "a"}},
		{"escaped both", `{"\u00e9t\u00E9":1,"été":2}`, Nowhere, false,
			`["été"]: duplicate key "été" in the top-level object`, Location{-1, -1, -1, `["été"]`}},
		{"surrogate pair", `{"\ud83d\ude00":1,"😀":2}`, Nowhere, false,
			`["😀"]: duplicate key "😀" in the top-level object`, Location{-1, -1, -1, `["😀"]`}},
		{"lone surrogates read as U+FFFD", `{"\ud800":1,"\udc00x":2,"\udfff":3}`, Nowhere, false,
			`["�"]: duplicate key "�" in the top-level object`, Location{-1, -1, -1, `["�"]`}},
		{"after a closed member", `{"a":{"x":1,"y":[1,{"a":2}]},"b":1,"a":3}`, Nowhere, false,
			`a: duplicate key "a" in the top-level object`, Location{-1, -1, -1, "a"}},
		{"in a map", many(true), Nowhere, false,
			`k3: duplicate key "k3" in the top-level object`, Location{-1, -1, -1, "k3"}},
		{"features twice", `{"type":"FeatureCollection","features":[],"features":[{}]}`, Nowhere, false,
			`features: duplicate key "features" in the top-level object`, Location{-1, -1, -1, "features"}},
		{"in a feature", `{"type":"FeatureCollection","features":[{"type":"Feature"},{},{},{"type":"Feature","id":"g2","id":"g3"}]}`, Nowhere, fc,
			`feature 3, id: duplicate key "id" in features[3]`, Location{3, -1, -1, "id"}},
		{"in a feature's properties", `{"features":[{"properties":{"name":"a","name":"b"}}],"type":"FeatureCollection"}`, Nowhere, fc,
			`feature 0, properties.name: duplicate key "name" in features[0].properties`, Location{0, -1, -1, "properties.name"}},
		{"deep in a feature", `{"features":[{},{"geometry":{"coordinates":[[1,2],{"k":1,"k":2}]}}]}`, Nowhere, fc,
			`feature 1, geometry.coordinates[1].k: duplicate key "k" in features[1].geometry.coordinates[1]`, Location{1, -1, -1, "geometry.coordinates[1].k"}},
		{"features of a Feature", `{"type":"Feature","features":[{"a":1,"a":2}]}`, Nowhere, false,
			`features[0].a: duplicate key "a" in features[0]`, Location{-1, -1, -1, "features[0].a"}},
		{"features not at the top", `{"a":{"features":[{"id":1,"id":2}]}}`, Nowhere, fc,
			`a.features[0].id: duplicate key "id" in a.features[0]`, Location{-1, -1, -1, "a.features[0].id"}},
		{"names that are not words", `{"a.b":{"":1,"":2}}`, Nowhere, false,
			`["a.b"][""]: duplicate key "" in ["a.b"]`, Location{-1, -1, -1, `["a.b"][""]`}},
		{"in an array", `[0,[1,{"x":1,"x":1}]]`, Nowhere, false,
			`[1][1].x: duplicate key "x" in [1][1]`, Location{-1, -1, -1, "[1][1].x"}},
		{"long name", `{"` + strings.Repeat("n", 50) + `":1,"` + strings.Repeat("n", 50) + `":2}`, Nowhere, false,
			`` + strings.Repeat("n", 40) + `...: duplicate key "` + strings.Repeat("n", 40) + `..." in the top-level object`, Location{-1, -1, -1, strings.Repeat("n", 40) + "..."}},
		{"a line's feature", `{"type":"Feature","id":1,"id":2}`, nd, false,
			`feature 4, id: duplicate key "id" in the feature`, Location{4, -1, -1, "id"}},
		{"a line's feature's properties", `{"type":"Feature","properties":{"a":1,"a":2}}`, nd, false,
			`feature 4, properties.a: duplicate key "a" in properties`, Location{4, -1, -1, "properties.a"}},
		{"a line's features member", `{"features":[{"a":1,"a":2}]}`, nd, fc,
			`feature 4, features[0].a: duplicate key "a" in features[0]`, Location{4, -1, -1, "features[0].a"}},
		{"not JSON", `{"a":1`, Nowhere, false, "not valid JSON at byte 6", Nowhere},
		{"trailing data", `{"a":1} {}`, Nowhere, false, "not valid JSON at byte 8", Nowhere},
		{"not JSON in a line", `{"a":tru}`, nd, false, "feature 4: not valid JSON at byte 5", nd},
		{"a duplicate before the error", `{"a":1,"a":`, Nowhere, false,
			`a: duplicate key "a" in the top-level object`, Location{-1, -1, -1, "a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkDuplicateKeys([]byte(tc.in), tc.at, tc.fc)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("got %v", err)
				}
				return
			}
			var in *InputError
			if !errors.As(err, &in) {
				t.Fatalf("got %v (%T), want %q", err, err, tc.want)
			}
			if in.Error() != tc.want || in.At != tc.wantAt {
				t.Fatalf("got %q at %+v,\nwant %q at %+v", in.Error(), in.At, tc.want, tc.wantAt)
			}
			wantCode := CodeDuplicateKey
			if strings.Contains(tc.want, "not valid JSON") {
				wantCode = CodeNotJSON
			}
			if in.Code != wantCode || !errors.Is(err, ErrInvalid) {
				t.Errorf("code %q, want %q (wraps ErrInvalid: %t)", in.Code, wantCode, errors.Is(err, ErrInvalid))
			}
		})
	}
}

// The scanner accepts exactly what encoding/json accepts.
func TestCheckDuplicateKeysSyntax(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	for _, in := range []string{
		``, ` `, `{}`, `[]`, `{"a":1}`, `0`, `-0`, `-`, `01`, `1.`, `.5`, `1.5e`, `1.5e+`, `1.5E-7`, `1e07`, `-01`,
		`+1`, `0x10`, `1_000`, `NaN`, `Infinity`, `true`, `tru`, `truex`, `nul`, `null null`, `"a`, `"\u12"`, `"\u12g4"`,
		`"\x"`, `"\'"`, `"\/\b\f\n\r\t\\\""`, "\"a\tb\"", "\"a\x7fb\"", "\"\xff\"", "\"\xed\xa0\x80\"", `[1,]`, `[,1]`, `{"a":1,}`,
		`{,}`, `{"a" 1}`, `{"a":}`, `{1:1}`, `{"a":1 "b":2}`, `[1 2]`, `]`, `}`, `[}`, `{]`, "\t\r\n [ 1 , 2 ] \n",
		"\f[]", "\u00a0[]", deep(10000), deep(10001), `{"a":` + deep(9999) + `}`, `{"a":` + deep(10000) + `}`,
	} {
		got := checkDuplicateKeys([]byte(in), Nowhere, false)
		if valid := json.Valid([]byte(in)); (got == nil) != valid {
			t.Errorf("%.40q: json.Valid says %t, the scanner %v", in, valid, got)
		}
	}
}

// refDuplicateKey finds the first duplicate name of a valid JSON text by
// another route: encoding/json's Decoder.Token, which unquotes names as
// the decoder does. It returns the name and the path of its object as
// the scanner's messages write it, and the feature it is in.
func refDuplicateKey(data []byte) (name, path string, feature int, found bool, err error) {
	type container struct {
		object  bool
		names   []string
		key     string // object: the member being read
		index   int    // array: the element being read
		wantKey bool
	}
	var stack []*container
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	valueDone := func() {
		if n := len(stack); n > 0 {
			if c := stack[n-1]; c.object {
				c.wantKey = true
			} else {
				c.index++
			}
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return "", "", -1, false, nil
		}
		if err != nil {
			return "", "", -1, false, err
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
			c := stack[n-1]
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:n-1]
				valueDone()
				continue
			}
			key := tok.(string)
			dup := false
			for _, k := range c.names {
				// encoding/json matches names to fields ignoring case.
				dup = dup || strings.EqualFold(k, key)
			}
			if dup {
				var b strings.Builder
				feature = -1
				for i, o := range stack[:n-1] {
					if o.object {
						plain := o.key != ""
						for _, r := range o.key {
							if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
								plain = false
							}
						}
						switch {
						case !plain:
							b.WriteString("[" + strconv.Quote(truncate(o.key, 40)) + "]")
						case b.Len() > 0:
							b.WriteString("." + truncate(o.key, 40))
						default:
							b.WriteString(truncate(o.key, 40))
						}
					} else {
						fmt.Fprintf(&b, "[%d]", o.index)
						if i == 1 && stack[0].object && stack[0].key == "features" {
							feature = o.index
						}
					}
				}
				return key, b.String(), feature, true, nil
			}
			c.names = append(c.names, key)
			c.key, c.wantKey = key, false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &container{object: true, wantKey: true})
		case json.Delim('['):
			stack = append(stack, &container{})
		case json.Delim(']'), json.Delim('}'):
			stack = stack[:len(stack)-1]
			valueDone()
		default:
			valueDone()
		}
	}
}

// compareWithReference checks the scanner on one input against json.Valid
// and refDuplicateKey.
func compareWithReference(t *testing.T, in []byte) {
	t.Helper()
	err := checkDuplicateKeys(in, Nowhere, true)
	var ie *InputError
	if err != nil && !errors.As(err, &ie) {
		t.Fatalf("%q: error %v is a %T, not an *InputError", in, err, err)
	}
	if !json.Valid(in) {
		if err == nil {
			t.Fatalf("%q: not JSON, but no error", in)
		}
		return
	}
	name, path, feature, found, rerr := refDuplicateKey(in)
	if rerr != nil {
		t.Fatalf("%q: the reference cannot read valid JSON: %v", in, rerr)
	}
	if !found {
		if err != nil {
			t.Fatalf("%q: no duplicate, but %v", in, err)
		}
		return
	}
	if err == nil {
		t.Fatalf("%q: duplicate key %q in %q not found", in, name, path)
	}
	where := path
	if where == "" {
		where = "the top-level object"
	}
	want := fmt.Sprintf("duplicate key %q in %s", truncate(name, 40), where)
	// A name that repeats an earlier one up to case says which.
	if ie.Code != "duplicate_key" || (ie.Message != want && !strings.HasPrefix(ie.Message, want+": it differs from ")) || ie.At.Feature != feature {
		t.Fatalf("%q: got %s %q in feature %d, want %q in feature %d", in, ie.Code, ie.Message, ie.At.Feature, want, feature)
	}
}

func TestCheckDuplicateKeysAgainstReference(t *testing.T) {
	for _, s := range duplicateKeySeeds {
		compareWithReference(t, []byte(s))
	}
}

var duplicateKeySeeds = []string{
	`{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4,"a":5}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"x":[1,{"y":1,"z":2,"y":3}]}}]}`,
	`{"features":[{},{"id":1,"\u0069d":2}]}`,
	`{"\ud800":1,"\ud800\udc00":2,"\udbff":3}`,
	"{\"\xff\":1,\"\xfe\":2}",
	`[[],{},[{}],{"":{"":{"":1,"":2}}}]`,
	`{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"p":16,"q":17,"a":18}`,
	`{"a":{"b":{"c":{}}},"d":{"b":{"c":{"c":1,"d":2}}},"a":1}`,
	`"x"`, `[1, 2.5e3, -0, true, false, null]`, `{"a":1`, `{"a":1,"a":`, `{"a":1}x`,
}

// lineJSON writes a GeoJSON Feature of an n-vertex LineString, as the
// import benchmark posts.
func lineJSON(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"Feature","properties":{"valid_from":"2026-01-01T00:00:00Z","source":"bench"},"geometry":{"type":"LineString","coordinates":[`)
	lon, lat := 30.0, 46.6
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "[%.6f,%.6f]", lon, lat)
		lon += 0.0002 * float64(i%7)
		lat += 0.00015 * float64(i%5)
	}
	b.WriteString("]}}")
	return b.Bytes()
}

// BenchmarkCheckDuplicateKeys scans a 100,000-vertex line; json.Valid, one
// pass of encoding/json's own scanner over the same bytes, is the yardstick.
func BenchmarkCheckDuplicateKeys(b *testing.B) {
	line := lineJSON(100000)
	b.Run("scanner", func(b *testing.B) {
		b.SetBytes(int64(len(line)))
		b.ReportAllocs()
		for b.Loop() {
			if err := checkDuplicateKeys(line, Nowhere, false); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json.Valid", func(b *testing.B) {
		b.SetBytes(int64(len(line)))
		b.ReportAllocs()
		for b.Loop() {
			if !json.Valid(line) {
				b.Fatal("not valid")
			}
		}
	})
}
