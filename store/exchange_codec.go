package store

import (
	"encoding/binary"
	"errors"

	"github.com/pishran/pishran/exchange"
)

// One server's log of one aggregate, as stored in client_log and
// producer_log: a version byte, ten unsigned varints (successes, failures,
// request and response bytes, their largest, first and last seen, first
// and last success in ms) and the duration histogram in its own compact
// form (exchange.Histogram.AppendBinary). A typical hour takes 50–150
// bytes a side; an empty side takes 12.

const statsVersion = 1

func encodeStats(b []byte, s *exchange.Stats) []byte {
	b = append(b, statsVersion)
	for _, v := range [...]uint64{s.Successes, s.Failures, s.RequestBytes, s.ResponseBytes, s.MaxRequestBytes, s.MaxResponseBytes,
		uint64(s.FirstSeen), uint64(s.LastSeen), uint64(s.FirstSuccess), uint64(s.LastSuccess)} {
		b = binary.AppendUvarint(b, v)
	}
	b, _ = s.Durations.AppendBinary(b)
	return b
}

var errStats = errors.New("store: malformed exchange statistics")

func decodeStats(b []byte, s *exchange.Stats) error {
	if len(b) == 0 || b[0] != statsVersion {
		return errStats
	}
	b = b[1:]
	var v [10]uint64
	for i := range v {
		x, n := binary.Uvarint(b)
		if n <= 0 {
			return errStats
		}
		v[i], b = x, b[n:]
	}
	*s = exchange.Stats{Successes: v[0], Failures: v[1], RequestBytes: v[2], ResponseBytes: v[3], MaxRequestBytes: v[4],
		MaxResponseBytes: v[5], FirstSeen: int64(v[6]), LastSeen: int64(v[7]), FirstSuccess: int64(v[8]), LastSuccess: int64(v[9])}
	return s.Durations.UnmarshalBinary(b)
}
