package cot

import (
	"strings"

	"frontline"
)

// Fallback types of the unit kinds, for units without a SIDC CoT can
// take: a friendly ground combat unit; air defense; reconnaissance.
var kindTypes = map[string]string{
	frontline.KindTroops:     "a-f-G-U-C",
	frontline.KindAirDefense: "a-f-G-U-C-D",
	frontline.KindPatrol:     "a-f-G-U-C-R",
}

// UnitType is the CoT type of a unit of a kind with a SIDC (properties.sidc,
// "" when it has none): the SIDC's type when SIDCType reads it, else the
// kind's fallback (troops a-f-G-U-C, air_defense a-f-G-U-C-D, patrol
// a-f-G-U-C-R, anything else a-f-G), with the affiliation of a
// MIL-STD-2525D/E number SIDC when it has one.
func UnitType(sidc, kind string) string {
	if t, ok := SIDCType(sidc); ok {
		return t
	}
	t, ok := kindTypes[kind]
	if !ok {
		t = "a-f-G"
	}
	if a, ok := numberAffiliation(sidc); ok {
		t = t[:2] + a + t[3:]
	}
	return t
}

// SIDCType maps a MIL-STD-2525B/C letter SIDC to the CoT atom type of the
// same symbol, as TAK derives one from the other: "a-", the affiliation,
// the battle dimension, then each letter of the function id, all
// separated by "-". SFGPUCI---- (friendly ground infantry) is
// a-f-G-U-C-I, SHAPMF---- (hostile fixed-wing aircraft) a-h-A-M-F.
//
// The SIDC's characters are: 1 coding scheme (only S, warfighting, has
// CoT atoms), 2 affiliation, 3 battle dimension, 4 status (P, A, C, D,
// X, F, '-' or '*'; not in the type), 5-10 function id (up to the first
// '-'), 11-15 modifiers and country (not in the type). Case is ignored;
// the SIDC may stop after the function id. The affiliations become the
// four TAK draws: friend (F, and A assumed friend, D exercise friend, M
// exercise assumed friend) f, hostile (H, and S suspect, J joker, K
// faker) h, neutral (N, L exercise neutral) n, unknown (U, P pending, G
// exercise pending, W exercise unknown) u; a '-' or '*' there is friend,
// as the kinds' fallbacks are. ok is false for anything else: a number SIDC
// (2525D/E), another coding scheme, unknown letters.
func SIDCType(sidc string) (string, bool) {
	s := strings.ToUpper(strings.TrimSpace(sidc))
	if len(s) < 4 || len(s) > 15 || s[0] != 'S' {
		return "", false
	}
	var aff string
	switch s[1] {
	case 'F', 'A', 'D', 'M', '-', '*':
		aff = "f"
	case 'H', 'S', 'J', 'K':
		aff = "h"
	case 'N', 'L':
		aff = "n"
	case 'U', 'P', 'G', 'W':
		aff = "u"
	default:
		return "", false
	}
	if !strings.ContainsRune("PAGSUFXZ", rune(s[2])) || !strings.ContainsRune("PACDXF-*", rune(s[3])) {
		return "", false
	}
	parts := []string{"a", aff, s[2:3]}
	fn := s[min(4, len(s)):min(10, len(s))]
	for _, c := range fn {
		if c == '-' || c == '*' {
			break
		}
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return "", false
		}
		parts = append(parts, string(c))
	}
	return strings.Join(parts, "-"), true
}

// numberAffiliation reads the standard identity of a MIL-STD-2525D or E
// number SIDC (20 or 30 digits; the fourth is the identity) as a CoT
// affiliation.
func numberAffiliation(sidc string) (string, bool) {
	s := strings.TrimSpace(sidc)
	if len(s) != 20 && len(s) != 30 {
		return "", false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	switch s[3] {
	case '2', '3': // assumed friend, friend
		return "f", true
	case '5', '6': // suspect, hostile
		return "h", true
	case '4':
		return "n", true
	case '0', '1': // pending, unknown
		return "u", true
	}
	return "", false
}
