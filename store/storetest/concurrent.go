package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"frontline"
)

// testConcurrent reads while several writers import lines and units. Run
// with -race. Readers check what they can of consistency: a listing is
// always versions 1..n with no gap (batches are whole), what one reader
// sees never shrinks, and every version listed can be read whole.
func testConcurrent(t *testing.T, s frontline.Store) {
	ctx := t.Context()
	const writers, perWriter, readers = 3, 10, 4
	lines := make([][]*frontline.LineInput, writers)
	units := make([][]*frontline.Unit, writers)
	for w := range writers {
		for i := range perWriter {
			k := w*perWriter + i
			day := date("2024-01-01").AddDate(0, 0, k).Format(time.DateOnly)
			lines[w] = append(lines[w], testLine(t, k, day))
			units[w] = append(units[w], troops(t, fmt.Sprintf("u%03d", k), k+1))
		}
	}

	var writing, reading sync.WaitGroup
	for w := range writers {
		writing.Go(func() {
			for i := range perWriter {
				if _, err := s.AddLines(ctx, lines[w][i:i+1], time.Now()); err != nil {
					t.Errorf("writer %d: AddLines: %v", w, err)
					return
				}
				if _, err := s.PutUnits(ctx, units[w][i:i+1], false); err != nil {
					t.Errorf("writer %d: PutUnits: %v", w, err)
					return
				}
			}
		})
	}
	done := make(chan struct{})
	for r := range readers {
		reading.Go(func() {
			if err := read(t, s, done); err != nil {
				t.Errorf("reader %d: %v", r, err)
			}
		})
	}
	writing.Wait()
	close(done)
	reading.Wait()

	if n := countLines(t, s); n != writers*perWriter {
		t.Errorf("%d versions stored, want %d", n, writers*perWriter)
	}
	if n := len(must(s.Units(ctx)).get(t)); n != writers*perWriter {
		t.Errorf("%d units stored, want %d", n, writers*perWriter)
	}
}

// read reads until done, and at least once after the writers finish.
func read(t *testing.T, s frontline.Store, done <-chan struct{}) error {
	ctx := t.Context()
	seenLines, seenUnits := 0, 0
	for last := false; !last; {
		select {
		case <-done:
			last = true
		default:
		}
		lines, err := s.Lines(ctx)
		if err != nil {
			return fmt.Errorf("Lines: %w", err)
		}
		if len(lines) < seenLines {
			return fmt.Errorf("Lines: %d versions after seeing %d", len(lines), seenLines)
		}
		seenLines = len(lines)
		for i, l := range lines {
			if l.Version != i+1 {
				return fmt.Errorf("Lines: versions %v, not 1..%d", versions(lines), len(lines))
			}
		}
		if seenLines > 0 {
			l, err := s.Line(ctx, seenLines)
			if err != nil {
				return fmt.Errorf("Line(%d): %w", seenLines, err)
			}
			if frontline.Hash(l.Coords) != l.Hash {
				return fmt.Errorf("Line(%d) read torn: hash of coordinates differs", seenLines)
			}
		}
		units, err := s.Units(ctx)
		if err != nil {
			return fmt.Errorf("Units: %w", err)
		}
		if len(units) < seenUnits {
			return fmt.Errorf("Units: %d after seeing %d", len(units), seenUnits)
		}
		seenUnits = len(units)
		for i := 1; i < len(units); i++ {
			if units[i-1].ID >= units[i].ID {
				return fmt.Errorf("Units: not by id: %v", unitIDs(units))
			}
		}
	}
	return nil
}
