package domain

// The fate of a list: what became of every place in a designated list,
// in one breakdown that adds up to the list's declared size (issue 14).
// The breakdown is computed (comparison.Fate) from the registry's own
// records — membership events, leave reasons, successors and lineage —
// never typed in; a place no record explains is "fate unknown", and a
// place no record names is "never named".

// FateKey is one part of a list's breakdown.
type FateKey string

const (
	// FateActive: on the list today (an adopted or draft list).
	FateActive FateKey = "active"
	// FateKept: on the list when it closed and carried into a later list.
	FateKept FateKey = "kept"
	// FateEvolved: left for a successor that descends from it (evolved,
	// renamed, replaced, merged).
	FateEvolved FateKey = "evolved"
	// FateRemoved: left the list for a recorded reason, with no successor
	// that descends from it.
	FateRemoved FateKey = "removed"
	// FateConfidential: a confidential project, or one that left because
	// it cannot be reported to the public; only counted.
	FateConfidential FateKey = "confidential"
	// FateUnknown: on the list when it closed; no record says what became
	// of it.
	FateUnknown FateKey = "unknown"
	// FateUnnamed: a place of the declared size that no record names.
	FateUnnamed FateKey = "unnamed"
)

// FateKeys lists the parts in the order a breakdown shows them.
var FateKeys = []FateKey{FateActive, FateKept, FateEvolved, FateRemoved, FateConfidential, FateUnknown, FateUnnamed}

// FateMember is one group of a list's members that share a fate's inputs,
// as the store counts them: no names, so a confidential member is only
// counted.
type FateMember struct {
	Active       bool        // no standing leave event
	Reason       LeaveReason // why it left, when it did
	Main         bool        // entered as a main project
	Confidential bool        // the project is confidential
	Descends     bool        // its successor records it as a predecessor
	Later        bool        // it is a member of a list of a later term
	N            int
}

// FatePart is one part of a breakdown; the removed part is given once per
// reason.
type FatePart struct {
	Key    FateKey     `json:"key"`
	Reason LeaveReason `json:"reason,omitempty"` // removed: the recorded reason
	Text   Text        `json:"text"`             // what the part means, in both languages
	N      int         `json:"count"`
	Main   int         `json:"main"` // of which designated main projects
}

// Fate is a list's breakdown.
type Fate struct {
	Program  string        `json:"program"`
	Status   ProgramStatus `json:"status"`
	Declared *int          `json:"declared_size"` // null: no size declared
	Named    int           `json:"named"`         // members the records name (confidential ones counted)
	// Main is how many projects entered the list as main projects, as
	// designated — whatever became of them since.
	Main int `json:"main_designated"`
	// ActiveAtClose is how many members had no leave recorded when the
	// list closed (a closed list only): what was active when it closed.
	ActiveAtClose *int       `json:"active_at_close,omitempty"`
	Parts         []FatePart `json:"parts"`
	// Total is the sum of the parts; Balanced says it equals the declared
	// size. Excess is how many more members the records name than the
	// declared size (a record or the declared size is wrong).
	Total    int  `json:"total"`
	Balanced bool `json:"balanced"`
	Excess   int  `json:"excess,omitempty"`
}

// Part returns the count of one key (summed over reasons).
func (f *Fate) Part(k FateKey) int {
	n := 0
	for _, p := range f.Parts {
		if p.Key == k {
			n += p.N
		}
	}
	return n
}
