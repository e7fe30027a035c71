package storetest

import (
	"testing"

	"github.com/paulmach/orb"

	"frontline"
	"frontline/geo"
)

func wantAnchors(t *testing.T, s frontline.Store, want ...geo.Anchor) {
	t.Helper()
	got := must(s.Anchors(t.Context())).get(t)
	if len(got) != len(want) {
		t.Fatalf("Anchors: %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("Anchors[%d]: %v, want %v", i, got[i], want[i])
		}
	}
}

func testAnchors(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	a := geo.Anchor{Name: "Kupiansk", Point: orb.Point{37.6161, 49.7106}}
	b := geo.Anchor{Name: "Bakhmut", Point: orb.Point{38.0003, 48.5953}}
	c := geo.Anchor{Name: "Zaporizhzhia", Point: orb.Point{35.1396, 47.8388}}

	set := func(anchors ...geo.Anchor) {
		t.Helper()
		if err := s.SetAnchors(ctx, anchors); err != nil {
			t.Fatalf("SetAnchors(%v): %v", anchors, err)
		}
	}
	wantAnchors(t, s)
	set(a, b, c)
	wantAnchors(t, s, a, b, c) // in the order given
	set(c, a)
	wantAnchors(t, s, c, a)

	// A name twice cannot name a sector boundary; the anchors stay.
	if err := s.SetAnchors(ctx, []geo.Anchor{b, a, b}); err == nil {
		t.Error("SetAnchors with a name twice succeeded")
	}
	wantAnchors(t, s, c, a)
	if err := s.SetAnchors(cancelled(ctx), []geo.Anchor{b}); err == nil {
		t.Error("SetAnchors with a cancelled context succeeded")
	}
	wantAnchors(t, s, c, a)

	set()
	wantAnchors(t, s)
}
