package exchange

import (
	"encoding/hex"

	"github.com/pishran/pishran/domain"
)

// Side is which security server logged a record: the client's or the
// provider's. A message between two monitored servers is logged once by
// each.
type Side uint8

const (
	SideClient   Side = 1 // securityServerType "Client"
	SideProducer Side = 2 // securityServerType "Producer"
)

func (s Side) String() string {
	switch s {
	case SideClient:
		return "Client"
	case SideProducer:
		return "Producer"
	}
	return "unknown"
}

// Record is what Pishran takes of one operational-monitoring record. It has
// no field for the personal or sensitive data the record carries
// (messageUserId, messageIssue, the represented party, the server's internal
// IP, the server addresses, the message ids, faultString, restPath): those
// are skipped while reading, except the message ids, which are hashed into
// Key and then dropped.
type Record struct {
	// Number is the record's place in the input, from 1: its place in the
	// records array, or among the values of JSON Lines (its line number
	// when the file has one record a line and no blank line). Offset is
	// the byte offset of its first byte in the (decompressed) input.
	Number int64
	Offset int64

	Side    Side
	Client  Subsystem
	Service Service

	// The four points of the exchange, in milliseconds since the epoch; 0
	// when the record does not carry the field.
	RequestIn, RequestOut, ResponseIn, ResponseOut int64
	// OpenData is set for a record in the anonymised open-data form:
	// RequestIn is rounded to the hour there, so durations are measured
	// between the other points (see Duration).
	OpenData bool

	Succeeded   bool
	FaultCode   string // X-Road's fault code when it has the shape of one ("Server.ServerProxy.…"), else ""
	ServiceType string // "WSDL", "REST", "OPENAPI3" or "" (other values are dropped)
	StatusCode  int    // HTTP status of a REST message, 0 when absent

	RequestSize, ResponseSize int64 // bytes; 0 when absent

	// Key identifies the record for de-duplication and import digests: the
	// first 16 bytes of a SHA-256 over every field above except Number and
	// Offset, plus (when the record has one) a hash of its xRequestId or
	// messageId. It contains no personal data and does not let anyone
	// recover the ids. HasID says whether an id went into it.
	Key   [16]byte
	HasID bool

	pair *pairEntry // the reader's cached identities, a fast map key for the Aggregator
}

// Duration is how long the message took in milliseconds, as the logging
// server saw it: from the request coming in to the response going out
// (requestInTs to responseOutTs). In the open-data form, whose requestInTs
// is rounded, it is the time spent waiting for the other end (requestOutTs
// to responseInTs). ok is false when the record lacks the points or they
// run backwards.
func (r *Record) Duration() (ms int64, ok bool) {
	var from, to int64
	if !r.OpenData && r.RequestIn != 0 && r.ResponseOut != 0 {
		from, to = r.RequestIn, r.ResponseOut
	} else if r.RequestOut != 0 && r.ResponseIn != 0 {
		from, to = r.RequestOut, r.ResponseIn
	} else {
		return 0, false
	}
	if to < from {
		return 0, false
	}
	return to - from, true
}

// KeyString is Key in hexadecimal, for storage as text.
func (r *Record) KeyString() string { return hex.EncodeToString(r.Key[:]) }

// Problem is one bad record of an import report.
type Problem struct {
	Number int64       `json:"record"` // the record's place in the input (from 1)
	Offset int64       `json:"offset"` // byte offset of its first byte in the decompressed input
	Code   ProblemCode `json:"code"`
	Field  string      `json:"field,omitempty"` // the JSON field at fault, in the record's spelling
	Reason domain.Text `json:"reason"`
}

// ProblemCode classifies a bad record.
type ProblemCode string

const (
	ProblemNotObject  ProblemCode = "not-object"  // the element is not a JSON object
	ProblemSyntax     ProblemCode = "syntax"      // a JSON Lines line that is not valid JSON
	ProblemType       ProblemCode = "type"        // a field has the wrong JSON type
	ProblemMissing    ProblemCode = "missing"     // a required field is absent
	ProblemIdentity   ProblemCode = "identity"    // an identifier part breaks the identifier rules
	ProblemTimestamp  ProblemCode = "timestamp"   // a *Ts field is out of range
	ProblemServerType ProblemCode = "server-type" // securityServerType is neither Client nor Producer
	ProblemTooLarge   ProblemCode = "too-large"   // a JSON Lines line longer than the record limit
	ProblemValue      ProblemCode = "value"       // a number out of range (negative size…)
	problemCodesCount             = 9
)

var problemCodes = [...]ProblemCode{ProblemNotObject, ProblemSyntax, ProblemType, ProblemMissing, ProblemIdentity, ProblemTimestamp, ProblemServerType, ProblemTooLarge, ProblemValue}
