package exchange

// This file draws who calls what for the generator: identities for the
// registry's agencies, pairs of client and service, weighted draws.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
)

// pick chooses round(share·n) distinct indexes (at least one when atLeast
// and share > 0).
func pick(rng *rand.Rand, n int, share float64, atLeast bool) []int {
	k := int(math.Round(share * float64(n)))
	if k == 0 && atLeast && share > 0 && n > 1 {
		k = 1
	}
	perm := rng.Perm(n)
	return perm[:min(k, n)]
}

// drawPairs makes each client consume 1 to 8 services, popular ones more
// often (the civil registry's inquiry is called by everyone), never its
// own subsystem's.
func drawPairs(rng *rand.Rand, clients []Subsystem, services []Service) []Integration {
	if len(clients) == 0 || len(services) == 0 {
		return nil
	}
	sw := make([]float64, len(services))
	for i := range sw {
		sw[i] = 1 / math.Pow(float64(i+1), 0.8)
	}
	a := newAlias(sw)
	var out []Integration
	seen := map[Integration]bool{}
	for _, c := range clients {
		n := 1 + rng.IntN(8)
		for range n * 2 {
			if n == 0 {
				break
			}
			s := services[a.draw(rng)]
			in := Integration{c, s}
			if s.Provider == c || seen[in] {
				continue
			}
			seen[in] = true
			out = append(out, in)
			n--
		}
	}
	return out
}

// alias is Walker's alias table: draws an index by weight in constant time.
type alias struct {
	prob  []float64
	other []int
}

func newAlias(w []float64) alias {
	n := len(w)
	var sum float64
	for _, x := range w {
		sum += x
	}
	a := alias{prob: make([]float64, n), other: make([]int, n)}
	scaled := make([]float64, n)
	var small, large []int
	for i, x := range w {
		scaled[i] = x * float64(n) / sum
		if scaled[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		a.prob[s], a.other[s] = scaled[s], l
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	for _, i := range append(small, large...) {
		a.prob[i], a.other[i] = 1, i
	}
	return a
}

func (a alias) draw(rng *rand.Rand) int {
	i := rng.IntN(len(a.prob))
	if rng.Float64() < a.prob[i] {
		return i
	}
	return a.other[i]
}

// SyntheticCatalogue makes n synthetic members (IR/GOV/SYN-0001 …), each
// with one to three subsystems, and one to four services on half of the
// subsystems: a stand-in for the registry's agencies when none is given.
func SyntheticCatalogue(n int, seed uint64) (clients []Subsystem, services []Service) {
	ms := make([]Member, n)
	for i := range ms {
		ms[i] = Member{"IR", "GOV", fmt.Sprintf("SYN-%04d", i+1)}
	}
	return Catalogue(ms, seed)
}

// Catalogue gives members (the registry's agencies, mapped to exchange
// identities) subsystems and services with synthetic codes: every
// subsystem is a client, half of them also provide one to four services.
func Catalogue(members []Member, seed uint64) (clients []Subsystem, services []Service) {
	rng := rand.New(rand.NewPCG(seed, 0x51a))
	verbs := []string{"inquiry", "verify", "status", "register", "lookup", "report"}
	for _, m := range members {
		for k := range 1 + rng.IntN(3) {
			sub := Subsystem{m, "sys" + strconv.Itoa(k+1)}
			clients = append(clients, sub)
			if rng.IntN(2) == 0 {
				continue
			}
			for v := range 1 + rng.IntN(4) {
				services = append(services, Service{sub, verbs[(k+v)%len(verbs)] + strconv.Itoa(v+1), "v1"})
			}
		}
	}
	return clients, services
}
