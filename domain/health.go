package domain

// RAG is a project's delivery status, computed from its numbers (baselines,
// projections, milestones) — never typed in.
type RAG string

const (
	Green RAG = "green"
	Amber RAG = "amber"
	Red   RAG = "red"
	// Unknown: an accepted report that gives no projection to judge from,
	// and nothing else to judge.
	Unknown RAG = "unknown"
	// NoBaseline: no approved baseline, so nothing to judge against and
	// no report owed yet.
	NoBaseline RAG = "no-baseline"
	// NoReport: a baseline, no accepted report, and none owed yet.
	NoReport RAG = "no-report"
	// Silent: owed reports missed (past their period and the grace) and
	// nothing red: what was last reported is no longer current.
	Silent RAG = "silent"
)

// RAGs lists every status, most severe first: red, then silent (the
// project stopped reporting), amber, green, then the statuses that say
// why there is nothing to judge.
var RAGs = []RAG{Red, Silent, Amber, Green, NoReport, NoBaseline, Unknown}

// Health is what the follow-up knows of one project at one date: the
// signals the agenda builder, the dashboards and the obligations view read.
type Health struct {
	Project       string `json:"project"`
	Status        RAG    `json:"status"`
	StatusReasons []Text `json:"status_reasons"` // why the status is what it is, in both languages
	// Stale: the last accepted report is older than the reporting period
	// plus the grace (or there is none although one is owed).
	Stale bool `json:"stale"`
	// Missed is how many owed reporting periods, since the last accepted
	// report (or the baseline's start), are past their grace with no
	// accepted report: every one counts, not only the next.
	Missed        int   `json:"missed_periods"`
	LastAccepted  *Date `json:"last_accepted,omitempty"` // period end of the last accepted report
	SelfRating    *int  `json:"self_rating,omitempty"`
	CouncilRating *int  `json:"council_rating,omitempty"`
	// Divergent: self and council ratings differ by Policy.DivergencePoints or more.
	Divergent bool `json:"divergent"`
	// RatingDrop: the council's latest rating is lower than its previous one.
	RatingDrop bool `json:"rating_drop"`
}

// Policy holds the follow-up's thresholds. Operators may change them; the
// defaults are documented beside each field.
type Policy struct {
	// StaleGraceDays is how long after a reporting period ends its report
	// may still arrive before the project counts as stale. Default 15.
	StaleGraceDays int `json:"stale_grace_days"`
	// Schedule slip, as a share of the baselined duration, at which the
	// status turns amber and red. Defaults 5 and 15 (percent).
	AmberSlipPercent int `json:"amber_slip_percent"`
	RedSlipPercent   int `json:"red_slip_percent"`
	// Cost overrun over the baselined cost at which the status turns amber
	// and red. Defaults 5 and 15 (percent).
	AmberCostPercent int `json:"amber_cost_percent"`
	RedCostPercent   int `json:"red_cost_percent"`
	// DivergencePoints is the gap between self and council ratings that
	// raises the divergence flag. Default 2.
	DivergencePoints int `json:"divergence_points"`
	// RatingDropPoints is the fall in the council rating that puts a project
	// on the next agenda. Default 1.
	RatingDropPoints int `json:"rating_drop_points"`
}

// DefaultPolicy is the policy a new installation starts with.
var DefaultPolicy = Policy{StaleGraceDays: 15, AmberSlipPercent: 5, RedSlipPercent: 15,
	AmberCostPercent: 5, RedCostPercent: 15, DivergencePoints: 2, RatingDropPoints: 1}
