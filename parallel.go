package frontline

import (
	"context"
	"runtime"
	"sync"
)

// onEveryCore calls work(i) for i in [0, n) on as many goroutines as there
// are cores, and returns ctx's error if it ended first, else the error of
// the lowest i that failed. done, if not nil, hears of each call finished,
// one at a time.
func onEveryCore(ctx context.Context, n int, work func(i int) error, done func(finished, total int)) error {
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	finished := 0
	for w := 0; w < max(1, min(runtime.GOMAXPROCS(0), n)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = work(i)
				if done != nil {
					mu.Lock()
					finished++
					done(finished, n)
					mu.Unlock()
				}
			}
		}()
	}
feed:
	for i := 0; i < n; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
