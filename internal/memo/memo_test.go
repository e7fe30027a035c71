package memo

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestOnceUnderConcurrency(t *testing.T) {
	c := New[string, int](4)
	var calls atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Get("k", func() (int, error) { calls.Add(1); return 42, nil })
			if v != 42 || err != nil {
				t.Errorf("got %d, %v", v, err)
			}
		}()
	}
	waited := make(chan struct{})
	go func() { wg.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(time.Minute):
		t.Fatal("Get still blocked after a minute: the waiters on the one computation were not released")
	}
	if calls.Load() != 1 {
		t.Errorf("computed %d times, want once", calls.Load())
	}
}

func TestBoundAndRecency(t *testing.T) {
	c := New[int, int](2)
	get := func(k int) { c.Get(k, func() (int, error) { return k, nil }) }
	get(1)
	get(2)
	get(1) // 1 is now the most recent
	get(3) // drops 2
	if c.Len() != 2 {
		t.Fatalf("len %d", c.Len())
	}
	recomputed := false
	c.Get(2, func() (int, error) { recomputed = true; return 2, nil })
	if !recomputed {
		t.Error("2 should have been dropped")
	}
	recomputed = false
	c.Get(3, func() (int, error) { recomputed = true; return 3, nil })
	if recomputed {
		t.Error("3 should still be cached")
	}
}

func TestFailuresAreNotKept(t *testing.T) {
	c := New[int, int](2)
	boom := errors.New("boom")
	if _, err := c.Get(1, func() (int, error) { return 0, boom }); err != boom {
		t.Fatalf("err %v", err)
	}
	v, err := c.Get(1, func() (int, error) { return 7, nil })
	if v != 7 || err != nil {
		t.Errorf("after a failure: %d, %v", v, err)
	}
}

func TestWeighted(t *testing.T) {
	c := NewWeighted[int, []byte](100, 10, func(b []byte) int { return len(b) })
	for k := 0; k < 5; k++ {
		c.Get(k, func() ([]byte, error) { return make([]byte, 4), nil })
	}
	if c.Cost() > 10 || c.Len() != 2 {
		t.Errorf("cost %d with %d values, want at most 10 with 2", c.Cost(), c.Len())
	}
	// A value larger than the budget is still kept, alone.
	c.Get(9, func() ([]byte, error) { return make([]byte, 50), nil })
	if c.Len() != 1 || c.Cost() != 50 {
		t.Errorf("after a big value: %d values, cost %d", c.Len(), c.Cost())
	}
}

func TestPanicIsNotKept(t *testing.T) {
	c := New[int, int](4)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic should go on up")
			}
		}()
		c.Get(1, func() (int, error) { panic("boom") })
	}()
	v, err := c.Get(1, func() (int, error) { return 7, nil })
	if v != 7 || err != nil {
		t.Errorf("after a panic: %d, %v; want a fresh computation", v, err)
	}
}
