// Command loadgen drives a running frontline server with a mix of cached
// reads, what-if coverage queries and unit updates, and reports errors,
// latency by kind of request and the server's memory over time (from its
// /metrics). It stops by itself after -duration; it sends traffic only to
// the -url it is given, which should be on this machine.
//
//	loadgen -url http://127.0.0.1:8080 -key KEY -duration 5m -rate 1500
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

type kind int

const (
	cached kind = iota
	whatIf
	write
)

var kindNames = []string{"cached read", "what-if", "unit update"}

type stats struct {
	mu     sync.Mutex
	lat    [3][]time.Duration
	errors [3]int
	codes  map[int]int
	sample []string
}

func (s *stats) add(k kind, d time.Duration, code int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lat[k] = append(s.lat[k], d)
	if err != nil || (code != 200 && code != 201 && code != 304) {
		s.errors[k]++
		if len(s.sample) < 5 {
			s.sample = append(s.sample, fmt.Sprintf("%s: %d %v", kindNames[k], code, err))
		}
	}
	s.codes[code]++
}

func main() {
	url := flag.String("url", "http://127.0.0.1:8080", "server to load (this machine only)")
	key := flag.String("key", "", "API key with role write, for the unit updates")
	duration := flag.Duration("duration", time.Minute, "how long to run")
	conns := flag.Int("c", 16, "concurrent connections")
	rate := flag.Float64("rate", 0, "requests per second in all (0: as fast as possible)")
	mix := flag.String("mix", "95,4,1", "percentages of cached reads, what-if queries and unit updates")
	every := flag.Duration("every", 30*time.Second, "how often to sample the server's memory")
	flag.Parse()
	var share [3]int
	if _, err := fmt.Sscanf(*mix, "%d,%d,%d", &share[0], &share[1], &share[2]); err != nil || share[0]+share[1]+share[2] != 100 {
		fmt.Fprintln(os.Stderr, "loadgen: -mix must be three percentages adding up to 100")
		os.Exit(2)
	}
	if share[2] > 0 && *key == "" {
		fmt.Fprintln(os.Stderr, "loadgen: unit updates need -key (a write key)")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *duration)
	defer cancel()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *conns, DisableCompression: true}}
	st := &stats{codes: map[int]int{}}
	reads := []string{"/v1/coverage", "/v1/overlays/zones", "/v1/overlays/sectors", "/v1/frontline", "/v1/coverage?format=csv", "/v1/overlays/gaps"}

	var tick <-chan time.Time
	if *rate > 0 {
		t := time.NewTicker(time.Duration(float64(time.Second) / *rate))
		defer t.Stop()
		tick = t.C
	}
	mem := sampleMemory(ctx, client, *url, *every)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < *conns; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for ctx.Err() == nil {
				if tick != nil {
					select {
					case <-tick:
					case <-ctx.Done():
						return
					}
				}
				var req *http.Request
				k := cached
				switch p := rng.IntN(100); {
				case p < share[0]:
					req, _ = http.NewRequest("GET", *url+reads[rng.IntN(len(reads))], nil)
					req.Header.Set("Accept-Encoding", "gzip")
				case p < share[0]+share[1]:
					k = whatIf
					q := fmt.Sprintf("/v1/coverage?sector_km=%g&depth_km=%d", 5+float64(rng.IntN(90))/2, 10+rng.IntN(51))
					req, _ = http.NewRequest("GET", *url+q, nil)
				default:
					k = write
					id := "soak-" + strconv.Itoa(rng.IntN(50))
					body := fmt.Sprintf(`{"type":"Feature","id":%q,"geometry":{"type":"Point","coordinates":[%f,%f]},"properties":{"kind":"troops","strength":%d}}`,
						id, 35+rng.Float64()*3, 47+rng.Float64()*3, 100+rng.IntN(3000))
					req, _ = http.NewRequest("PUT", *url+"/v1/units/"+id, strings.NewReader(body))
					req.Header.Set("Content-Type", "application/geo+json")
					req.Header.Set("Authorization", "Bearer "+*key)
				}
				t0 := time.Now()
				res, err := client.Do(req.WithContext(context.Background()))
				code := 0
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					code = res.StatusCode
				}
				st.add(k, time.Since(t0), code, err)
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	samples := <-mem

	total, errs := 0, 0
	fmt.Printf("loadgen: %s against %s, %d connections, mix %s\n", elapsed.Round(time.Second), *url, *conns, *mix)
	for k := range kindNames {
		l := st.lat[k]
		sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
		total += len(l)
		errs += st.errors[k]
		if len(l) == 0 {
			continue
		}
		fmt.Printf("  %-12s %8d requests  %5d errors  p50 %-9s p99 %-9s max %s\n", kindNames[k], len(l), st.errors[k],
			pct(l, 0.50), pct(l, 0.99), l[len(l)-1].Round(time.Microsecond))
	}
	fmt.Printf("  total        %8d requests  %5d errors  %.0f requests/s\n", total, errs, float64(total)/elapsed.Seconds())
	codes := make([]int, 0, len(st.codes))
	for c := range st.codes {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	fmt.Print("  status codes:")
	for _, c := range codes {
		fmt.Printf(" %d×%d", c, st.codes[c])
	}
	fmt.Println()
	for _, s := range st.sample {
		fmt.Println("  e.g.", s)
	}
	fmt.Println("  server memory (resident MB, Go heap in use MB) over time:")
	for _, s := range samples {
		fmt.Println("   ", s)
	}
	if errs > 0 {
		os.Exit(1)
	}
}

func pct(l []time.Duration, p float64) string {
	return l[int(p*float64(len(l)-1))].Round(time.Microsecond).String()
}

// sampleMemory reads the server's resident memory and heap from its
// metrics every period until ctx ends, then sends what it saw.
func sampleMemory(ctx context.Context, client *http.Client, url string, period time.Duration) <-chan []string {
	out := make(chan []string, 1)
	go func() {
		var samples []string
		start := time.Now()
		read := func() {
			res, err := client.Get(url + "/metrics")
			if err != nil {
				samples = append(samples, fmt.Sprintf("%6s  error: %v", time.Since(start).Round(time.Second), err))
				return
			}
			defer res.Body.Close()
			var rss, heap float64
			sc := bufio.NewScanner(res.Body)
			for sc.Scan() {
				line := sc.Bytes()
				if v, ok := metric(line, "process_resident_memory_bytes"); ok {
					rss = v
				}
				if v, ok := metric(line, "go_memstats_heap_inuse_bytes"); ok {
					heap = v
				}
			}
			samples = append(samples, fmt.Sprintf("%6s  %7.1f  %7.1f", time.Since(start).Round(time.Second), rss/1e6, heap/1e6))
		}
		read()
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				read()
			case <-ctx.Done():
				read()
				out <- samples
				return
			}
		}
	}()
	return out
}

func metric(line []byte, name string) (float64, bool) {
	if !bytes.HasPrefix(line, []byte(name+" ")) {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(bytes.TrimSpace(line[len(name):])), 64)
	return v, err == nil
}
