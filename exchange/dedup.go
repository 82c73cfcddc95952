package exchange

// dedupSet remembers the keys of the last records read, in bounded memory:
// two generations of an open-addressing table of 64-bit keys. When the
// current generation holds window keys it becomes the previous one and the
// old previous one is forgotten, so a key is remembered for at least
// window and at most 2·window records after it was added.
//
// It is built for the duplicates an operator's collector makes: X-Road
// hands out records by time range, and a collector that asks again from the
// last timestamp it received gets the records of that instant twice, one
// after the other. A window of a hundred thousand records reaches back
// further than that by far.
type dedupSet struct {
	window   int
	max      int // slots a table grows to: twice the window, so at most half full
	cur, old table
}

type table struct {
	slots []uint64 // 0 marks an empty slot; key 0 is stored as 1
	n     int
}

// newDedupSet starts small and grows its tables with the input, so a small
// file costs little.
func newDedupSet(window int) *dedupSet {
	size := 1
	for size < 2*window {
		size <<= 1
	}
	start := min(size, 1024)
	return &dedupSet{window: window, max: size, cur: table{slots: make([]uint64, start)}, old: table{slots: make([]uint64, start)}}
}

// seen reports whether k was added before (within the window) and adds it
// if not.
func (d *dedupSet) seen(k uint64) bool {
	if k == 0 {
		k = 1
	}
	if d.old.n > 0 && d.old.has(k) {
		return true
	}
	if d.cur.insert(k) {
		return true
	}
	if 2*d.cur.n >= len(d.cur.slots) && len(d.cur.slots) < d.max {
		d.cur.grow()
	}
	if d.cur.n >= d.window {
		d.cur, d.old = d.old, d.cur
		clear(d.cur.slots)
		d.cur.n = 0
	}
	return false
}

// grow doubles the table.
func (t *table) grow() {
	old := t.slots
	t.slots = make([]uint64, 2*len(old))
	t.n = 0
	for _, k := range old {
		if k != 0 {
			t.insert(k)
		}
	}
}

func (t *table) has(k uint64) bool {
	mask := uint64(len(t.slots) - 1)
	for i := mix(k) & mask; ; i = (i + 1) & mask {
		switch t.slots[i] {
		case k:
			return true
		case 0:
			return false
		}
	}
}

// insert adds k and reports whether it was there already. The table is at
// most half full, so probes stay short.
func (t *table) insert(k uint64) bool {
	mask := uint64(len(t.slots) - 1)
	for i := mix(k) & mask; ; i = (i + 1) & mask {
		switch t.slots[i] {
		case k:
			return true
		case 0:
			t.slots[i] = k
			t.n++
			return false
		}
	}
}

// mix spreads the bits of a key; the keys are SHA-256 output already, so
// this only guards against a caller's pathological keys.
func mix(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	return k
}
