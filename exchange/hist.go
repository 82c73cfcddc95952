package exchange

import (
	"encoding/binary"
	"errors"
	"math"
	"math/bits"
)

// Histogram counts message durations in milliseconds on a fixed log scale,
// the same for every bucket, so that merging two histograms is adding them
// bin by bin: a day's histogram is exactly the sum of its hours', and an
// estimate read from it is as good as one read from the raw durations.
//
// Bins 0–7 hold 0 to 7 ms exactly. Above that, each doubling [2^k, 2^(k+1))
// is split into 8 equal bins, up to 2^20 ms (about 17.5 minutes); the last
// bin holds everything longer. A quantile read from the histogram is the
// middle of its bin, so it is within ±6.25% of the true value (and exact
// below 8 ms); a duration past the last bound reads as that bound.
//
// A bin saturates at 2^32−1 rather than wrapping round; one (client,
// service) pair would need 4.29 billion messages in one bucket to reach it,
// against 23.6 million a day for the whole country.
type Histogram [HistogramBins]uint32

const (
	histSub    = 8  // bins per doubling
	histSubLog = 3  // log2(histSub)
	histMaxLog = 20 // durations from 2^histMaxLog ms go to the overflow bin
	// HistogramBins is the number of bins of a Histogram.
	HistogramBins = histSub + (histMaxLog-histSubLog)*histSub + 1
	// HistogramMaxMillis is the lower bound of the overflow bin.
	HistogramMaxMillis = 1 << histMaxLog
	// HistogramError is the largest relative error of a quantile above 8 ms.
	HistogramError = 0.5 / histSub
)

// binOf is the bin of a duration of d ms (d >= 0).
func binOf(d int64) int {
	if d < histSub {
		if d < 0 {
			return 0
		}
		return int(d)
	}
	if d >= HistogramMaxMillis {
		return HistogramBins - 1
	}
	k := bits.Len64(uint64(d)) - 1 // 2^k <= d < 2^(k+1), k >= 3
	sub := int(d>>(k-histSubLog)) & (histSub - 1)
	return histSub + (k-histSubLog)*histSub + sub
}

// binBounds is the half-open range [lo, hi) of durations bin i holds; the
// overflow bin's hi is its lo.
func binBounds(i int) (lo, hi float64) {
	if i < histSub {
		return float64(i), float64(i + 1)
	}
	if i >= HistogramBins-1 {
		return HistogramMaxMillis, HistogramMaxMillis
	}
	k := (i-histSub)/histSub + histSubLog
	sub := (i - histSub) % histSub
	width := math.Ldexp(1, k-histSubLog)
	lo = math.Ldexp(1, k) + float64(sub)*width
	return lo, lo + width
}

// Add counts one duration of d milliseconds.
func (h *Histogram) Add(d int64) {
	i := binOf(d)
	if h[i] != math.MaxUint32 {
		h[i]++
	}
}

// Merge adds o into h.
func (h *Histogram) Merge(o *Histogram) {
	for i, n := range o {
		if n == 0 {
			continue
		}
		s := uint64(h[i]) + uint64(n)
		if s > math.MaxUint32 {
			s = math.MaxUint32
		}
		h[i] = uint32(s)
	}
}

// Count is the number of durations counted.
func (h *Histogram) Count() uint64 {
	var n uint64
	for _, c := range h {
		n += uint64(c)
	}
	return n
}

// Quantile estimates the q-quantile (0 < q <= 1) in milliseconds: the
// duration below or at which a share q of the counted messages finished.
// ok is false when the histogram is empty.
func (h *Histogram) Quantile(q float64) (ms float64, ok bool) {
	n := h.Count()
	if n == 0 {
		return 0, false
	}
	rank := uint64(math.Ceil(q * float64(n)))
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for i, c := range h {
		seen += uint64(c)
		if seen >= rank {
			lo, hi := binBounds(i)
			if i < histSub {
				return lo, true // exact bins hold one value each
			}
			return (lo + hi) / 2, true
		}
	}
	return HistogramMaxMillis, true // unreachable: seen reaches n
}

// histVersion is the first byte of the binary form, so a later layout can be
// told apart.
const histVersion = 1

// MarshalBinary is a compact form for storage: a version byte, then for
// each non-empty bin the gap from the previous non-empty bin and the count,
// both as unsigned varints. A typical latency mix fills 20–40 bins, so the
// form takes 40–120 bytes where the full array takes 580; an empty
// histogram is one byte.
func (h *Histogram) MarshalBinary() ([]byte, error) { return h.AppendBinary(nil) }

// AppendBinary appends the form of MarshalBinary to b.
func (h *Histogram) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, histVersion)
	prev := -1
	for i, c := range h {
		if c == 0 {
			continue
		}
		b = binary.AppendUvarint(b, uint64(i-prev))
		b = binary.AppendUvarint(b, uint64(c))
		prev = i
	}
	return b, nil
}

var errHistogram = errors.New("exchange: malformed histogram encoding")

// UnmarshalBinary reads the form of MarshalBinary, refusing anything else.
func (h *Histogram) UnmarshalBinary(b []byte) error {
	var out Histogram
	if len(b) == 0 || b[0] != histVersion {
		return errHistogram
	}
	b = b[1:]
	i := -1
	for len(b) > 0 {
		gap, n := binary.Uvarint(b)
		if n <= 0 || gap == 0 || gap > HistogramBins {
			return errHistogram
		}
		b = b[n:]
		c, n := binary.Uvarint(b)
		if n <= 0 || c == 0 || c > math.MaxUint32 {
			return errHistogram
		}
		b = b[n:]
		i += int(gap)
		if i >= HistogramBins {
			return errHistogram
		}
		out[i] = uint32(c)
	}
	*h = out
	return nil
}
