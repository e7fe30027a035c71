package frontline

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Duplicate keys. encoding/json keeps the last of two members with one
// name, so {"id":"g2","id":"g3"} would be stored as g3 while another reader
// (or a reviewer) sees g2: SPEC 3 refuses such input instead. The scanner
// below walks a JSON text once, byte by byte, and allocates nothing per
// number or string (only for objects of more than manyNames members): a
// line of a million coordinates costs one pass over its bytes.
// Names are compared as encoding/json decodes them ("a" and "\u0061" are
// one name; ill-formed UTF-8 and lone surrogates read as U+FFFD), and it
// accepts exactly the texts encoding/json accepts, nesting limit included,
// so it can run before or after the decoder.

// maxJSONDepth is encoding/json's nesting limit.
const maxJSONDepth = 10000

// manyNames is the member count from which an object's names go into a
// map: below it a linear search is faster, and above it an object of n
// members would cost n² comparisons.
const manyNames = 16

// CheckDuplicateKeys refuses a JSON text in which an object has two
// members with the same name, with an *InputError (code duplicate_key)
// naming the name and the path of the object. A text that is not JSON is
// refused with not_json; decode it first for a precise message.
func CheckDuplicateKeys(data []byte) error { return checkDuplicateKeys(data, Nowhere, false) }

// checkDuplicateKeys is CheckDuplicateKeys for a text at a location: at is
// Nowhere for a whole document, or a feature's own location for one
// feature of newline-delimited GeoJSON. In a FeatureCollection
// (collection), a member of features[i] is in feature i. The error's Field
// is the path of the duplicate member within its feature (or the text).
func checkDuplicateKeys(data []byte, at Location, collection bool) error {
	s := keyScanner{data: data, at: at, collection: collection && at.Feature < 0}
	return s.scan()
}

// jsonFrame is an open object or array.
type jsonFrame struct {
	object bool
	index  int               // array: the element being read
	first  int               // object: where its names start in names
	buf    int               // object: where its unquoted names start in buf
	name   []byte            // object: the member being read
	set    map[string][]byte // object: its names by foldName, once it has manyNames
}

type keyScanner struct {
	data       []byte
	at         Location
	collection bool // features[i] is feature i
	frames     []jsonFrame
	names      [][]byte // the names of the open objects' members, innermost last
	buf        []byte   // unquoted names that differ from their bytes
}

func (s *keyScanner) scan() error {
	data := s.data
	i := skipSpace(data, 0)
	var err error
	for {
		// A value starts at i.
		if i >= len(data) {
			return s.syntax(i)
		}
		switch c := data[i]; c {
		case '{':
			if len(s.frames) >= maxJSONDepth {
				return s.syntax(i)
			}
			i = skipSpace(data, i+1)
			if i < len(data) && data[i] == '}' {
				i++
				break
			}
			s.frames = append(s.frames, jsonFrame{object: true, first: len(s.names), buf: len(s.buf)})
			if i, err = s.member(i); err != nil {
				return err
			}
			continue
		case '[':
			if len(s.frames) >= maxJSONDepth {
				return s.syntax(i)
			}
			// Arrays of numbers (positions) are most of a GeoJSON text:
			// they are read here, without a frame, up to the first
			// element that is not a number.
			i = skipSpace(data, i+1)
			n, closed := 0, false
			if i < len(data) && data[i] == ']' {
				i, closed = i+1, true
			}
			for !closed && i < len(data) && (data[i] == '-' || isDigit(data[i])) {
				end, ok := scanNumber(data, i)
				if !ok {
					return s.syntax(end)
				}
				switch i = skipSpace(data, end); {
				case i < len(data) && data[i] == ']':
					i, closed = i+1, true
				case i < len(data) && data[i] == ',':
					i, n = skipSpace(data, i+1), n+1
				default:
					return s.syntax(i)
				}
			}
			if closed {
				break
			}
			s.frames = append(s.frames, jsonFrame{index: n})
			continue
		case '"':
			end, _, ok := scanString(data, i)
			if !ok {
				return s.syntax(end)
			}
			i = end
		case 't':
			if !bytes.HasPrefix(data[i:], []byte("true")) {
				return s.syntax(i)
			}
			i += 4
		case 'f':
			if !bytes.HasPrefix(data[i:], []byte("false")) {
				return s.syntax(i)
			}
			i += 5
		case 'n':
			if !bytes.HasPrefix(data[i:], []byte("null")) {
				return s.syntax(i)
			}
			i += 4
		default:
			end, ok := scanNumber(data, i)
			if !ok {
				return s.syntax(end)
			}
			i = end
		}
		// A value ended before i: a comma or the end of its container
		// follows.
	after:
		for {
			i = skipSpace(data, i)
			if len(s.frames) == 0 {
				if i != len(data) {
					return s.syntax(i)
				}
				return nil
			}
			if i >= len(data) {
				return s.syntax(i)
			}
			top := &s.frames[len(s.frames)-1]
			switch c := data[i]; {
			case c == ',' && top.object:
				if i, err = s.member(skipSpace(data, i+1)); err != nil {
					return err
				}
				break after
			case c == ',':
				top.index++
				i = skipSpace(data, i+1)
				break after
			case c == '}' && top.object, c == ']' && !top.object:
				s.pop()
				i++
			default:
				return s.syntax(i)
			}
		}
	}
}

// member reads a member's name at i and the colon after it, and returns
// where its value starts.
func (s *keyScanner) member(i int) (int, error) {
	data := s.data
	if i >= len(data) || data[i] != '"' {
		return i, s.syntax(i)
	}
	end, plain, ok := scanString(data, i)
	if !ok {
		return end, s.syntax(end)
	}
	name := data[i+1 : end-1]
	if !plain {
		start := len(s.buf)
		s.buf = unquoteName(s.buf, name)
		name = s.buf[start:]
	}
	top := &s.frames[len(s.frames)-1]
	if prev := s.seen(top, name); prev != nil {
		return i, s.duplicate(name, prev)
	}
	top.name = name
	i = skipSpace(data, end)
	if i >= len(data) || data[i] != ':' {
		return i, s.syntax(i)
	}
	return skipSpace(data, i+1), nil
}

// seen returns the earlier member of the object whose name equals name
// up to case, or nil after noting name. Case counts because
// encoding/json matches member names to fields ignoring case: {"id": "a",
// "ID": "b"} is read as id "b", so it is as ambiguous as a repeated name.
func (s *keyScanner) seen(f *jsonFrame, name []byte) []byte {
	if f.set != nil {
		key := foldName(name)
		if prev, dup := f.set[key]; dup {
			return prev
		}
		f.set[key] = name
		return nil
	}
	names := s.names[f.first:]
	for _, n := range names {
		if bytes.EqualFold(n, name) {
			return n
		}
	}
	if len(names) >= manyNames {
		f.set = make(map[string][]byte, 2*len(names))
		for _, n := range names {
			f.set[foldName(n)] = n
		}
		f.set[foldName(name)] = name
		return nil
	}
	s.names = append(s.names, name)
	return nil
}

// foldName maps names that bytes.EqualFold finds equal to one string:
// each rune becomes the least rune of its case-folding orbit.
func foldName(name []byte) string {
	var b strings.Builder
	b.Grow(len(name))
	for _, r := range string(name) {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}

func (s *keyScanner) pop() {
	f := s.frames[len(s.frames)-1]
	if f.object {
		s.names, s.buf = s.names[:f.first], s.buf[:f.buf]
	}
	s.frames = s.frames[:len(s.frames)-1]
}

func (s *keyScanner) syntax(offset int) error {
	return invalid(CodeNotJSON, s.at, "not valid JSON at byte %d", offset)
}

// duplicate is the error for a second member called name (prev, up to
// case) in the innermost object.
func (s *keyScanner) duplicate(name, prev []byte) error {
	at := s.at
	outer := s.frames[:len(s.frames)-1] // the path to the object
	inner := outer
	if s.collection && len(outer) >= 2 && outer[0].object && string(outer[0].name) == "features" && !outer[1].object {
		at.Feature = outer[1].index
		inner = outer[2:]
	}
	where := framePath(outer)
	if where == "" {
		where = "the top-level object"
		if s.at.Feature >= 0 {
			where = "the feature"
		}
	}
	var field strings.Builder
	field.WriteString(framePath(inner))
	writeName(&field, name)
	at.Field = field.String()
	if !bytes.Equal(name, prev) {
		return invalid(CodeDuplicateKey, at, "duplicate key %q in %s: it differs from %q only in case, and JSON readers that ignore case take either",
			truncate(string(name), 40), where, truncate(string(prev), 40))
	}
	return invalid(CodeDuplicateKey, at, "duplicate key %q in %s", truncate(string(name), 40), where)
}

// framePath writes the path through open containers: features[3].properties.
func framePath(frames []jsonFrame) string {
	var b strings.Builder
	for _, f := range frames {
		if f.object {
			writeName(&b, f.name)
		} else {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(f.index))
			b.WriteByte(']')
		}
	}
	return b.String()
}

// writeName appends a member to a path: .name, or ["name"] for a name
// that is not a plain word.
func writeName(b *strings.Builder, name []byte) {
	plain := len(name) > 0
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			plain = false
			break
		}
	}
	switch {
	case !plain:
		b.WriteString("[" + strconv.Quote(truncate(string(name), 40)) + "]")
	case b.Len() > 0:
		b.WriteString("." + truncate(string(name), 40))
	default:
		b.WriteString(truncate(string(name), 40))
	}
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		if c := data[i]; c > ' ' || c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return i
		}
		i++
	}
	return i
}

// stringStop marks the bytes a string's plain run stops at: the quote,
// the backslash, control characters and bytes above ASCII.
var stringStop = func() (t [256]bool) {
	for c := range t {
		t[c] = c == '"' || c == '\\' || c < 0x20 || c >= utf8.RuneSelf
	}
	return t
}()

// scanString reads the string that opens at data[i] and returns where it
// ends (after the closing quote), whether its bytes are its value (no
// escapes, well-formed UTF-8) and whether it is a valid JSON string.
func scanString(data []byte, i int) (end int, plain, ok bool) {
	i++
	plain = true
	for {
		for i < len(data) && !stringStop[data[i]] {
			i++
		}
		if i >= len(data) {
			return i, false, false
		}
		switch c := data[i]; {
		case c == '"':
			return i + 1, plain, true
		case c == '\\':
			plain = false
			if i+1 >= len(data) {
				return i + 1, false, false
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if hex4(data[i+2:]) < 0 {
					return i + 2, false, false
				}
				i += 6
			default:
				return i + 1, false, false
			}
		case c < 0x20:
			return i, false, false
		default:
			// Above ASCII: encoding/json reads ill-formed UTF-8 as U+FFFD.
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n == 1 {
				plain = false
			}
			i += n
		}
	}
}

// hex4 reads four hex digits, or returns -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// unquoteName appends the value of a valid JSON string's contents (without
// its quotes) to buf, as encoding/json decodes it.
func unquoteName(buf, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			switch s[i+1] {
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r := hex4(s[i+2:])
				i += 6
				if utf16.IsSurrogate(r) {
					var r2 rune = -1
					if i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
						r2 = hex4(s[i+2:])
					}
					if pair := utf16.DecodeRune(r, r2); pair != unicode.ReplacementChar {
						buf = utf8.AppendRune(buf, pair)
						i += 6
						continue
					}
					r = unicode.ReplacementChar
				}
				buf = utf8.AppendRune(buf, r)
				continue
			default: // '"', '\\', '/'
				buf = append(buf, s[i+1])
			}
			i += 2
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			i++
		default:
			r, n := utf8.DecodeRune(s[i:])
			buf = utf8.AppendRune(buf, r)
			i += n
		}
	}
	return buf
}

// scanNumber reads the number that starts at data[i] and returns where it
// ends, and whether it is a valid JSON number.
func scanNumber(data []byte, i int) (int, bool) {
	if data[i] == '-' {
		i++
	}
	switch {
	case i >= len(data):
		return i, false
	case data[i] == '0':
		i++
	case '1' <= data[i] && data[i] <= '9':
		i = skipDigits(data, i+1)
	default:
		return i, false
	}
	if i < len(data) && data[i] == '.' {
		if i+1 >= len(data) || !isDigit(data[i+1]) {
			return i + 1, false
		}
		i = skipDigits(data, i+1)
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || !isDigit(data[i]) {
			return i, false
		}
		i = skipDigits(data, i)
	}
	return i, true
}

func skipDigits(data []byte, i int) int {
	for i < len(data) && isDigit(data[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
