package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

func main() {
	db, err := store.Open(context.Background(), os.Args[1])
	if err != nil {
		panic(err)
	}
	srv := api.New(service.New(db, slog.New(slog.DiscardHandler)), slog.New(slog.DiscardHandler))
	path := os.Args[2]
	f, _ := os.Create(os.Args[3])
	pprof.StartCPUProfile(f)
	t0 := time.Now()
	var wg sync.WaitGroup
	n := 0
	var mu sync.Mutex
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Since(t0) < 5*time.Second {
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
				if rec.Code != 200 {
					panic(rec.Body.String())
				}
				mu.Lock()
				n++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	pprof.StopCPUProfile()
	fmt.Printf("%s: %.0f req/s\n", path, float64(n)/time.Since(t0).Seconds())
}
