package domain

import "time"

// MeetingCancelled is a planned session that will not take place. It keeps
// its number and its record, with the reason (a MeetingChange); it is never
// held, and it no longer bounds the dates of its series' other sessions.
const MeetingCancelled MeetingState = "cancelled"

// MeetingChangeKind is what happened to a planned session.
type MeetingChangeKind string

const (
	MeetingRedated       MeetingChangeKind = "re-dated"  // moved to another day
	MeetingCancelledKind MeetingChangeKind = "cancelled" // will not take place
)

// MeetingChange is a planned session moved to another day or cancelled,
// with the reason. Changes are appended, never edited: the record says what
// was planned and why it moved.
type MeetingChange struct {
	ID         int64             `json:"id"`
	Kind       MeetingChangeKind `json:"kind"`
	OldDate    Date              `json:"old_date"`
	NewDate    *Date             `json:"new_date,omitempty"` // re-dated
	Reason     Text              `json:"reason"`
	RecordedBy string            `json:"recorded_by,omitempty"`
	RecordedAt time.Time         `json:"recorded_at"`
}
