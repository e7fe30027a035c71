package storetest

import (
	"testing"

	"frontline"
)

// testDefaults: none stored at first; stored ones come back equal, a
// second write replaces the first, and each write is audited.
func testDefaults(t *testing.T, s frontline.Store) {
	ctx := frontline.WithActor(t.Context(), "k1")
	if d, err := s.Defaults(ctx); err != nil || d != nil {
		t.Fatalf("Defaults on an empty store: %v, %v; want nil, nil", d, err)
	}
	p := frontline.DefaultParams()
	p.SectorKm, p.DepthKm, p.Side, p.RequiredPerKm = 0, 45, "left", 60
	p.Sectors = 12
	if err := s.SetDefaults(ctx, p); err != nil {
		t.Fatal(err)
	}
	p.TroopsOK = 1.2
	if err := s.SetDefaults(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Defaults(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || *got != p {
		t.Errorf("Defaults = %+v, want %+v", got, p)
	}
	entries, err := s.Audit(ctx, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Action != "settings.set" || entries[0].Actor != "k1" {
		t.Errorf("audit after two settings writes: %+v", entries)
	}
}
