package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkSubmit measures the local handler storing into the spool over loopback HTTP, with 1,
// 16 and 200 concurrent clients: requests per second and the median and 99th-percentile latency.
func BenchmarkSubmit(b *testing.B) {
	for _, clients := range []int{1, 16, 200} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			srv, _ := newServer(b, 0)
			tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			var next atomic.Int64
			lat := make([]time.Duration, b.N)
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := next.Add(1) - 1
						if i >= int64(b.N) {
							return
						}
						body := fmt.Sprintf(`{"category":"salute","message":"Richiesta di prova numero %d.","contact_preference":"none","privacy":true}`, i)
						t0 := time.Now()
						resp, err := client.Post(srv.URL+"/api/requests", "application/json", strings.NewReader(body))
						if err != nil {
							b.Error(err)
							return
						}
						resp.Body.Close()
						if resp.StatusCode != http.StatusAccepted {
							b.Errorf("got %d, want 202", resp.StatusCode)
							return
						}
						lat[i] = time.Since(t0)
					}
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
