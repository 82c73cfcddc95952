package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"sync"
	"time"
)

// goDriver is the fallback read client, for a machine without wrk. It is
// as lean as Go allows, so that it does not saturate before the server:
// raw keep-alive TCP connections, each request's bytes built once before
// the run, the answer parsed only as far as its length and discarded
// from a reused buffer; no net/http client, no allocation per request
// (but the latency it records).
type goDriver struct{}

func (goDriver) Name() string { return "go (raw keep-alive)" }

func (goDriver) Run(l load) (routeResult, error) {
	reqs := make([][]byte, len(l.Paths))
	for i, p := range l.Paths {
		if l.Bust {
			p = bustPrefix(p)
		}
		reqs[i] = []byte("GET " + p)
	}
	tail := []byte(" HTTP/1.1\r\nHost: " + l.Host + "\r\nUser-Agent: pishran-bench\r\nAccept: */*\r\n\r\n")
	workers := make([]*rawWorker, l.Conns)
	expect := max(1024, int(l.Dur.Seconds()*40000)/max(1, l.Conns))
	for i := range workers {
		workers[i] = &rawWorker{host: l.Host, reqs: reqs, tail: tail, bust: l.Bust, id: i,
			rng:  rand.New(rand.NewPCG(l.Seed, uint64(i+1))),
			lats: make([]time.Duration, 0, expect)}
		if err := workers[i].dial(); err != nil {
			return routeResult{}, err
		}
	}
	defer func() {
		for _, w := range workers {
			w.close()
		}
	}()
	var wg sync.WaitGroup
	self0, _ := processCPU(os.Getpid())
	t0 := time.Now()
	deadline := t0.Add(l.Dur)
	for _, w := range workers {
		wg.Add(1)
		go func() { defer wg.Done(); w.loop(deadline) }()
	}
	wg.Wait()
	r := routeResult{Elapsed: time.Since(t0)}
	if self1, err := processCPU(os.Getpid()); err == nil {
		r.ClientCPU = self1 - self0 // this whole process: the client, and little else meanwhile
	}
	var all []time.Duration
	for _, w := range workers {
		all = append(all, w.lats...)
		r.Errors += w.errs
		r.Samples = append(r.Samples, w.samples...)
	}
	r.Requests = len(all)
	r.P50, r.P90, r.P99 = latencySummary(all)
	if len(r.Samples) > 3 {
		r.Samples = r.Samples[:3]
	}
	return r, nil
}

// rawWorker is one connection.
type rawWorker struct {
	host    string
	reqs    [][]byte // "GET /path" (with the bust prefix in a miss run)
	tail    []byte   // " HTTP/1.1\r\n…\r\n\r\n"
	bust    bool
	id      int
	n       uint64
	rng     *rand.Rand
	conn    net.Conn
	br      *bufio.Reader
	buf     []byte
	lats    []time.Duration
	errs    int
	samples []string
}

func (w *rawWorker) dial() error {
	c, err := net.Dial("tcp", w.host)
	if err != nil {
		return err
	}
	w.conn = c
	if w.br == nil {
		w.br = bufio.NewReaderSize(c, 64<<10)
	} else {
		w.br.Reset(c)
	}
	return nil
}

func (w *rawWorker) close() {
	if w.conn != nil {
		w.conn.Close()
		w.conn = nil
	}
}

func (w *rawWorker) loop(deadline time.Time) {
	for {
		k := w.rng.IntN(len(w.reqs))
		w.buf = append(w.buf[:0], w.reqs[k]...)
		if w.bust {
			w.n++
			w.buf = strconv.AppendInt(w.buf, int64(w.id), 10)
			w.buf = append(w.buf, 'x')
			w.buf = strconv.AppendUint(w.buf, w.n, 10)
		}
		w.buf = append(w.buf, w.tail...)
		t0 := time.Now()
		status, keep, err := w.roundTrip(w.buf)
		t1 := time.Now()
		switch {
		case err != nil:
			w.fail(k, err.Error())
		default:
			w.lats = append(w.lats, t1.Sub(t0))
			if status != 200 {
				w.fail(k, "status "+strconv.Itoa(status))
			}
		}
		if err != nil || !keep {
			w.close()
			if !t1.Before(deadline) {
				return
			}
			if err := w.dial(); err != nil {
				w.fail(k, err.Error())
				return
			}
		}
		if !t1.Before(deadline) {
			return
		}
	}
}

func (w *rawWorker) fail(k int, msg string) {
	w.errs++
	if len(w.samples) < 3 {
		w.samples = append(w.samples, fmt.Sprintf("%s: %s", bytes.TrimPrefix(w.reqs[k], []byte("GET ")), msg))
	}
}

// roundTrip writes one request and reads its answer to the end; keep
// says whether the connection can carry another.
func (w *rawWorker) roundTrip(req []byte) (status int, keep bool, err error) {
	if _, err := w.conn.Write(req); err != nil {
		return 0, false, err
	}
	return readResponse(w.br)
}

var errMalformed = errors.New("malformed HTTP answer")

// readResponse reads one HTTP/1.1 answer to a GET from br and discards
// its body, sized by Content-Length or chunked.
func readResponse(br *bufio.Reader) (status int, keep bool, err error) {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, false, errMalformed
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, false, errMalformed
	}
	keep = line[7] == '1' // HTTP/1.1 keeps the connection unless told otherwise
	length, chunked := -1, false
	for {
		line, err = br.ReadSlice('\n')
		if err != nil {
			return status, false, err
		}
		h := bytes.TrimRight(line, "\r\n")
		if len(h) == 0 {
			break
		}
		name, value, ok := bytes.Cut(h, []byte(":"))
		if !ok {
			return status, false, errMalformed
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil || length < 0 {
				return status, false, errMalformed
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.Contains(bytes.ToLower(value), []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			if bytes.EqualFold(value, []byte("close")) {
				keep = false
			}
		}
	}
	switch {
	case status == 204 || status == 304 || status/100 == 1:
		return status, keep, nil
	case chunked:
		return status, keep, discardChunked(br)
	case length >= 0:
		_, err = br.Discard(length)
		return status, keep, err
	}
	_, err = io.Copy(io.Discard, br) // the body runs to the connection's end
	return status, false, err
}

func discardChunked(br *bufio.Reader) error {
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return err
		}
		size := bytes.TrimRight(line, "\r\n")
		if i := bytes.IndexByte(size, ';'); i >= 0 {
			size = size[:i]
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(size)), 16, 64)
		if err != nil || n < 0 {
			return errMalformed
		}
		if n == 0 { // trailers, then the blank line
			for {
				line, err := br.ReadSlice('\n')
				if err != nil {
					return err
				}
				if len(bytes.TrimRight(line, "\r\n")) == 0 {
					return nil
				}
			}
		}
		if _, err := br.Discard(int(n)); err != nil {
			return err
		}
		if _, err := br.ReadSlice('\n'); err != nil {
			return err
		}
	}
}
