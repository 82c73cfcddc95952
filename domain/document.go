package domain

// DocumentFormat names the registry export format; DocumentVersion is bumped
// on any incompatible change.
const (
	DocumentFormat  = "pishran-registry"
	DocumentVersion = 1
)

// Document is the whole registry as one JSON document: what `pishran export`
// writes, what `pishran import` reads, and the form the reference dataset
// ships in. Records refer to each other by slug or code, never by database
// id, so a document moves between databases unchanged. Stored versions and
// timestamps are left out (Meta is zero) so that export → import → export
// gives the same document; membership events keep when and by whom they were
// recorded.
type Document struct {
	Format   string            `json:"format"`
	Version  int               `json:"version"`
	Title    Text              `json:"title"`
	Notes    Text              `json:"notes"`
	Terms    []Term            `json:"terms"`
	Agencies []Agency          `json:"agencies"`
	Laws     []Law             `json:"laws"`
	Projects []Project         `json:"projects"`
	Programs []Program         `json:"programs"`
	Events   []MembershipEvent `json:"events"` // oldest first
}
