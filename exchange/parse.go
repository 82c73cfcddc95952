package exchange

// This file holds the record parser: the table of the fields taken, the
// object parser that fills a rawRecord, and build, which checks it and
// turns it into a Record with its Key.

import (
	"crypto/sha256"
	"encoding/binary"
	"math/bits"
	"strings"

	"github.com/pishran/pishran/domain"
)

// Field table of the record parser.

type fieldKind uint8

const (
	kSkip     fieldKind = iota // not taken: skipped, never copied
	kStr                       // a string field taken
	kNum                       // an integer field taken
	kBool                      // succeeded
	kPresence                  // only its presence matters
)

type field struct {
	kind fieldKind
	idx  uint8
}

// String fields taken.
const (
	sClientInstance = iota
	sClientClass
	sClientMember
	sClientSub
	sServiceInstance
	sServiceClass
	sServiceMember
	sServiceSub
	sServiceCode
	sServiceVersion
	sServerType
	sServiceType
	sFaultCode
	sXRequestID
	sMessageID
	nStr
)

// Integer fields taken.
const (
	nRequestIn = iota
	nRequestOut
	nResponseIn
	nResponseOut
	nRequestSize
	nResponseSize
	nRequestRestSize
	nResponseRestSize
	nStatusCode
	nNum
)

// Presence-only fields.
const (
	pRequestInDate = iota
	pMonitoringTs
)

var strNames = [nStr]string{
	"clientXRoadInstance", "clientMemberClass", "clientMemberCode", "clientSubsystemCode",
	"serviceXRoadInstance", "serviceMemberClass", "serviceMemberCode", "serviceSubsystemCode",
	"serviceCode", "serviceVersion", "securityServerType", "serviceType", "faultCode",
	"xRequestId", "messageId",
}

var numNames = [nNum]string{
	"requestInTs", "requestOutTs", "responseInTs", "responseOutTs",
	"requestSize", "responseSize", "requestRestSize", "responseRestSize", "statusCode",
}

// fieldOf names what the parser does with a record's key. The switch on
// string(key) compiles without copying the key.
func fieldOf(key []byte) field {
	switch string(key) {
	case "clientXRoadInstance":
		return field{kStr, sClientInstance}
	case "clientMemberClass":
		return field{kStr, sClientClass}
	case "clientMemberCode":
		return field{kStr, sClientMember}
	case "clientSubsystemCode":
		return field{kStr, sClientSub}
	case "serviceXRoadInstance":
		return field{kStr, sServiceInstance}
	case "serviceMemberClass":
		return field{kStr, sServiceClass}
	case "serviceMemberCode":
		return field{kStr, sServiceMember}
	case "serviceSubsystemCode":
		return field{kStr, sServiceSub}
	case "serviceCode":
		return field{kStr, sServiceCode}
	case "serviceVersion":
		return field{kStr, sServiceVersion}
	case "securityServerType":
		return field{kStr, sServerType}
	case "serviceType":
		return field{kStr, sServiceType}
	case "faultCode":
		return field{kStr, sFaultCode}
	case "xRequestId":
		return field{kStr, sXRequestID}
	case "messageId":
		return field{kStr, sMessageID}
	case "requestInTs":
		return field{kNum, nRequestIn}
	case "requestOutTs":
		return field{kNum, nRequestOut}
	case "responseInTs":
		return field{kNum, nResponseIn}
	case "responseOutTs":
		return field{kNum, nResponseOut}
	case "requestSize":
		return field{kNum, nRequestSize}
	case "responseSize":
		return field{kNum, nResponseSize}
	case "requestRestSize":
		return field{kNum, nRequestRestSize}
	case "responseRestSize":
		return field{kNum, nResponseRestSize}
	case "statusCode":
		return field{kNum, nStatusCode}
	case "succeeded":
		return field{kBool, 0}
	case "requestInDate":
		return field{kPresence, pRequestInDate}
	case "monitoringDataTs":
		return field{kPresence, pMonitoringTs}
	}
	return field{}
}

// span is a string value's body in the buffer.
type span struct {
	a, b int32
	esc  bool
	set  bool
}

// prob is a bad record's problem, turned into text only when listed.
type prob struct {
	code   ProblemCode
	field  string
	detail string      // the expected type, or a hint
	text   domain.Text // a ready reason (syntax, identity)
}

// rawRecord is what the parser found in one record: spans and numbers, and
// the first problem of type or value.
type rawRecord struct {
	s        [nStr]span
	n        [nNum]int64
	nset     uint16
	succ     bool
	succSet  bool
	presence uint8
	p        prob
}

// parseObject parses one record object at b[i] into r.raw.
func (r *Reader) parseObject(b []byte, i int) (int, error) {
	r.raw = rawRecord{}
	i = skipWS(b, i+1)
	if i >= len(b) {
		return 0, errMore
	}
	if b[i] == '}' {
		return i + 1, nil
	}
	for {
		if b[i] != '"' {
			return 0, badByte(i, b[i], "a quoted key")
		}
		ke, esc, err := scanString(b, i)
		if err != nil {
			return 0, err
		}
		key := b[i+1 : ke-1]
		if esc {
			r.keyTmp = unescape(r.keyTmp[:0], key)
			key = r.keyTmp
		}
		if i = skipWS(b, ke); i >= len(b) {
			return 0, errMore
		}
		if b[i] != ':' {
			return 0, badByte(i, b[i], "':'")
		}
		if i = skipWS(b, i+1); i >= len(b) {
			return 0, errMore
		}
		if i, err = r.value(b, i, fieldOf(key)); err != nil {
			return 0, err
		}
		if i = skipWS(b, i); i >= len(b) {
			return 0, errMore
		}
		switch b[i] {
		case ',':
			if i = skipWS(b, i+1); i >= len(b) {
				return 0, errMore
			}
		case '}':
			return i + 1, nil
		default:
			return 0, badByte(i, b[i], "',' or '}'")
		}
	}
}

// value parses the value of a field at b[i].
func (r *Reader) value(b []byte, i int, f field) (int, error) {
	raw := &r.raw
	c := b[i]
	switch f.kind {
	case kStr:
		switch c {
		case '"':
			end, esc, err := scanString(b, i)
			if err != nil {
				return 0, err
			}
			raw.s[f.idx] = span{int32(i + 1), int32(end - 1), esc, true}
			return end, nil
		case 'n':
			raw.s[f.idx] = span{}
			return scanLiteral(b, i, "null")
		}
		r.typeProblem(strNames[f.idx], "string")
	case kNum:
		switch {
		case c == '-' || (c >= '0' && c <= '9'):
			end, n, err := scanNumber(b, i)
			if err != nil {
				return 0, err
			}
			if !n.isInt {
				if raw.p.code == "" {
					raw.p = prob{code: ProblemValue, field: numNames[f.idx], detail: "integer"}
				}
			} else {
				raw.n[f.idx] = n.v
				raw.nset |= 1 << f.idx
			}
			return end, nil
		case c == 'n':
			raw.nset &^= 1 << f.idx
			return scanLiteral(b, i, "null")
		}
		r.typeProblem(numNames[f.idx], "number")
	case kBool:
		switch c {
		case 't':
			raw.succ, raw.succSet = true, true
			return scanLiteral(b, i, "true")
		case 'f':
			raw.succ, raw.succSet = false, true
			return scanLiteral(b, i, "false")
		case 'n':
			raw.succSet = false
			return scanLiteral(b, i, "null")
		}
		r.typeProblem("succeeded", "boolean")
	case kPresence:
		raw.presence |= 1 << f.idx
	}
	return skipValue(b, i, 1)
}

func (r *Reader) typeProblem(name, want string) {
	if r.raw.p.code == "" {
		r.raw.p = prob{code: ProblemType, field: name, detail: want}
	}
}

// Timestamps Pishran believes: from 2000 to 2100, in milliseconds.
const (
	minTs = 946684800000  // 2000-01-01T00:00:00Z
	maxTs = 4102444800000 // 2100-01-01T00:00:00Z
)

// required lists the string fields a record must carry, in the order a
// missing one is reported.
var required = [...]uint8{sServerType, sClientInstance, sClientClass, sClientMember,
	sServiceInstance, sServiceClass, sServiceMember, sServiceCode}

// build turns r.raw into r.rec, or reports the record bad; it reports
// whether the record is accepted (not bad, not a duplicate).
func (r *Reader) build(b []byte, offset int64) bool {
	raw := &r.raw
	if raw.p.code != "" {
		r.bad(offset, raw.p)
		return false
	}
	for _, f := range required {
		if s := raw.s[f]; !s.set || s.a == s.b {
			r.bad(offset, prob{code: ProblemMissing, field: strNames[f]})
			return false
		}
	}
	if raw.nset&(1<<nRequestIn) == 0 {
		r.bad(offset, prob{code: ProblemMissing, field: "requestInTs"})
		return false
	}
	if !raw.succSet {
		r.bad(offset, prob{code: ProblemMissing, field: "succeeded"})
		return false
	}
	rec := &r.rec
	*rec = Record{Number: r.number, Offset: offset}
	switch st := r.str(b, sServerType); {
	case strings.EqualFold(string(st), "Client"):
		rec.Side = SideClient
	case strings.EqualFold(string(st), "Producer"):
		rec.Side = SideProducer
	default:
		r.bad(offset, prob{code: ProblemServerType, field: "securityServerType"})
		return false
	}
	for k := nRequestIn; k <= nResponseOut; k++ {
		if raw.nset&(1<<k) == 0 {
			continue
		}
		if v := raw.n[k]; v < minTs || v >= maxTs {
			p := prob{code: ProblemTimestamp, field: numNames[k]}
			if v >= minTs/1000 && v < maxTs/1000 {
				p.detail = "seconds"
			}
			r.bad(offset, p)
			return false
		}
	}
	for k := nRequestSize; k <= nStatusCode; k++ {
		if raw.nset&(1<<k) != 0 && (raw.n[k] < 0 || k == nStatusCode && raw.n[k] > 999) {
			r.bad(offset, prob{code: ProblemValue, field: numNames[k], detail: "range"})
			return false
		}
	}
	pe := r.pair(b)
	if pe.p.code != "" {
		r.bad(offset, pe.p)
		return false
	}
	rec.Client, rec.Service = pe.client, pe.service
	if pe.cached {
		rec.pair = pe
	}
	rec.RequestIn = raw.n[nRequestIn]
	rec.RequestOut = r.num(nRequestOut)
	rec.ResponseIn = r.num(nResponseIn)
	rec.ResponseOut = r.num(nResponseOut)
	rec.OpenData = raw.presence&(1<<pRequestInDate) != 0 ||
		raw.presence&(1<<pMonitoringTs) == 0 && rec.RequestIn%3_600_000 == 0
	rec.Succeeded = raw.succ
	rec.StatusCode = int(r.num(nStatusCode))
	rec.RequestSize = r.num(nRequestSize)
	if raw.nset&(1<<nRequestSize) == 0 {
		rec.RequestSize = r.num(nRequestRestSize)
	}
	rec.ResponseSize = r.num(nResponseSize)
	if raw.nset&(1<<nResponseSize) == 0 {
		rec.ResponseSize = r.num(nResponseRestSize)
	}
	rec.ServiceType = serviceType(r.str(b, sServiceType))
	rec.FaultCode = r.faultCode(b)

	id, idKind := r.str(b, sXRequestID), byte('x')
	if len(id) == 0 {
		id, idKind = r.str(b, sMessageID), 'm'
	}
	rec.HasID = len(id) > 0
	r.key(pe, id, idKind)
	if rec.HasID && r.dedup != nil && r.dedup.seen(binary.LittleEndian.Uint64(rec.Key[:8])) {
		r.rep.Duplicates++
		return false
	}

	r.rep.Accepted++
	if rec.Side == SideClient {
		r.rep.ClientRecords++
	} else {
		r.rep.ProducerRecords++
	}
	if rec.OpenData {
		r.rep.OpenData++
	}
	if _, ok := rec.Duration(); !ok {
		r.rep.Untimed++
	}
	if pe.unknownClient || pe.unknownProvider {
		r.rep.UnknownRecords++
		if pe.unknownClient {
			r.noteUnknown(pe.client, "client")
		}
		if pe.unknownProvider {
			r.noteUnknown(pe.service.Provider, "provider")
		}
	}
	lo := binary.LittleEndian.Uint64(rec.Key[:8])
	hi := binary.LittleEndian.Uint64(rec.Key[8:])
	var carry uint64
	r.sumLo, carry = bits.Add64(r.sumLo, lo, 0)
	r.sumHi, _ = bits.Add64(r.sumHi, hi, carry)
	r.xorLo ^= lo
	r.xorHi ^= hi
	return true
}

func (r *Reader) num(k int) int64 {
	if r.raw.nset&(1<<k) == 0 {
		return 0
	}
	return r.raw.n[k]
}

// str is the decoded value of a string field (nil when absent). Unescaped
// values are views of the buffer; escaped ones are decoded into a scratch
// buffer that the next call to str may overwrite.
func (r *Reader) str(b []byte, f int) []byte {
	s := r.raw.s[f]
	if !s.set {
		return nil
	}
	v := b[s.a:s.b]
	if s.esc {
		r.keyTmp = unescape(r.keyTmp[:0], v)
		return r.keyTmp
	}
	return v
}

func serviceType(s []byte) string {
	switch {
	case strings.EqualFold(string(s), "WSDL"):
		return "WSDL"
	case strings.EqualFold(string(s), "REST"):
		return "REST"
	case strings.EqualFold(string(s), "OPENAPI3"):
		return "OPENAPI3"
	}
	return ""
}

// faultCode keeps X-Road's fault code when it has the shape of one (letters,
// digits and . _ - :, at most 100), so that no free text a provider put in
// a fault travels further; faultString is never read.
func (r *Reader) faultCode(b []byte) string {
	s := r.raw.s[sFaultCode]
	if !s.set || s.esc || s.a == s.b || s.b-s.a > 100 {
		return ""
	}
	v := b[s.a:s.b]
	for _, c := range v {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == ':') {
			return ""
		}
	}
	if fc, ok := r.faults[string(v)]; ok {
		return fc
	}
	fc := string(v)
	if len(r.faults) < 4096 {
		r.faults[fc] = fc
	}
	return fc
}

// pairEntry is a cached (client, service) pair: the identities built and
// checked once, and their canonical bytes for keys.
type pairEntry struct {
	client                         Subsystem
	service                        Service
	p                              prob
	unknownClient, unknownProvider bool
	canon                          string
	cached                         bool // kept in the cache, so one pointer per pair
}

// maxPairs bounds the identity cache; past it identities are built anew
// for every record (slower, still right).
const maxPairs = 1 << 15

// identFields are the string fields of the pair, in canonical order.
var identFields = [...]uint8{sClientInstance, sClientClass, sClientMember, sClientSub,
	sServiceInstance, sServiceClass, sServiceMember, sServiceSub, sServiceCode, sServiceVersion}

// pair finds or builds the entry of the record's (client, service).
func (r *Reader) pair(b []byte) *pairEntry {
	c := r.canon[:0]
	for _, f := range identFields {
		c = append(c, r.str(b, int(f))...)
		c = append(c, 0) // NUL cannot occur unescaped in JSON, and is refused in identifiers
	}
	r.canon = c
	if pe, ok := r.pairs[string(c)]; ok {
		return pe
	}
	parts := strings.Split(string(c[:len(c)-1]), "\x00")
	pe := &pairEntry{
		client: Subsystem{Member{parts[0], parts[1], parts[2]}, parts[3]},
		service: Service{
			Provider: Subsystem{Member{parts[4], parts[5], parts[6]}, parts[7]},
			Code:     parts[8], Version: parts[9],
		},
		canon: string(c),
	}
	for k, f := range identFields {
		if parts[k] == "" {
			continue
		}
		if why := identProblem(parts[k]); why != nil {
			pe.p = prob{code: ProblemIdentity, field: strNames[f], text: *why}
			break
		}
	}
	if pe.p.code == "" && r.opt.Known != nil {
		pe.unknownClient = !r.isKnown(pe.client)
		pe.unknownProvider = !r.isKnown(pe.service.Provider)
	}
	if len(r.pairs) < maxPairs {
		r.pairs[pe.canon] = pe
		pe.cached = true
	}
	return pe
}

func (r *Reader) isKnown(s Subsystem) bool {
	if k, ok := r.known[s]; ok {
		return k
	}
	k := r.opt.Known(s)
	if len(r.known) < maxPairs {
		r.known[s] = k
	}
	return k
}

// key computes r.rec.Key: SHA-256 over a versioned, unambiguous encoding of
// the record's kept fields and its message id.
func (r *Reader) key(pe *pairEntry, id []byte, idKind byte) {
	rec := &r.rec
	k := append(r.kb[:0], "pishran/exchange/record/v1\x00"...)
	var flags byte
	if rec.OpenData {
		flags |= 1
	}
	if rec.Succeeded {
		flags |= 2
	}
	k = append(k, byte(rec.Side), flags)
	k = append(k, pe.canon...)
	for _, v := range [...]int64{rec.RequestIn, rec.RequestOut, rec.ResponseIn, rec.ResponseOut, rec.RequestSize, rec.ResponseSize, int64(rec.StatusCode)} {
		k = binary.LittleEndian.AppendUint64(k, uint64(v))
	}
	k = append(k, rec.FaultCode...)
	k = append(k, 0)
	k = append(k, rec.ServiceType...)
	k = append(k, 0)
	if len(id) > 0 {
		k = append(k, idKind)
		k = append(k, id...)
	}
	r.kb = k
	sum := sha256.Sum256(k)
	copy(rec.Key[:], sum[:16])
	clear(r.kb[len(r.kb)-len(id):]) // the id does not outlive the hashing
}
