package exchange

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"math/bits"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
)

// Options tunes a Reader. The zero value is ready to use.
type Options struct {
	// MaxRecordBytes bounds one record (and one JSON Lines line); the
	// reader's buffer never grows past it. Default 1 MiB.
	MaxRecordBytes int
	// DedupWindow is how many records a generation of the duplicate filter
	// holds (see Reader); memory is 32 bytes a record. Default 131,072 (4
	// MiB): some four minutes of national traffic, where the duplicates a
	// collector makes are a second apart. Negative turns the filter off.
	DedupWindow int
	// MaxProblems bounds Report.Problems; further bad records are counted
	// only. Default 1,000.
	MaxProblems int
	// Known, when set, says whether an identity is mapped in the registry.
	// It is asked once per distinct subsystem. Records naming an unknown
	// client or provider are still taken (the aggregates are kept by
	// exchange identity, so they count once the identity is mapped) and
	// the identities are listed in Report.Unknown.
	Known func(Subsystem) bool
	// MaxUnknown bounds Report.Unknown. Default 1,000.
	MaxUnknown int
}

func (o Options) withDefaults() Options {
	if o.MaxRecordBytes <= 0 {
		o.MaxRecordBytes = 1 << 20
	}
	if o.DedupWindow == 0 {
		o.DedupWindow = 1 << 17
	}
	if o.MaxProblems <= 0 {
		o.MaxProblems = 1000
	}
	if o.MaxUnknown <= 0 {
		o.MaxUnknown = 1000
	}
	return o
}

// Format is the layout of the input.
type Format string

const (
	FormatRecords Format = "records" // {"records":[…]}, the payload of X-Road's getSecurityServerOperationalData
	FormatArray   Format = "array"   // a bare [ … ] of records
	FormatLines   Format = "lines"   // JSON Lines: one record object per line
)

// Report says what a Reader made of its input. It holds no value of any
// record, only counts, positions and reasons.
type Report struct {
	Compressed bool   `json:"compressed"` // the input was gzip
	Format     Format `json:"format,omitempty"`
	Bytes      int64  `json:"bytes"` // bytes of JSON read (after decompression)

	Records    int64                 `json:"records"`    // elements read, good or bad
	Accepted   int64                 `json:"accepted"`   // records handed out by Next
	Duplicates int64                 `json:"duplicates"` // records dropped as a second copy of one already read
	Bad        int64                 `json:"bad"`        // records refused
	BadBy      map[ProblemCode]int64 `json:"badBy,omitempty"`
	// Problems lists the first bad records (Options.MaxProblems), in
	// order; ProblemsOmitted counts those past the limit.
	Problems        []Problem `json:"problems,omitempty"`
	ProblemsOmitted int64     `json:"problemsOmitted,omitempty"`

	ClientRecords   int64 `json:"clientRecords"`   // accepted records logged by a client's server
	ProducerRecords int64 `json:"producerRecords"` // accepted records logged by a provider's server
	OpenData        int64 `json:"openData"`        // accepted records in the anonymised open-data form
	Untimed         int64 `json:"untimed"`         // accepted records with no usable duration

	// UnknownRecords counts accepted records naming an identity that
	// Options.Known does not know; Unknown lists those identities.
	UnknownRecords int64             `json:"unknownRecords,omitempty"`
	Unknown        []UnknownIdentity `json:"unknown,omitempty"`
	UnknownOmitted int64             `json:"unknownOmitted,omitempty"`

	// Digest identifies what the import contributes: a SHA-256 over the
	// multiset of the accepted records' keys (with their count), so it is
	// the same for the same records whatever their order, layout,
	// compression or bad records around them. The store refuses a second
	// import with a digest it has taken already; that is what makes a
	// re-import change nothing. Set only once the input is read to its end
	// without a StreamError.
	Digest string `json:"digest,omitempty"`
}

// UnknownIdentity is an identity named by accepted records that the
// registry does not know yet: a candidate for mapping to an agency.
type UnknownIdentity struct {
	Subsystem   Subsystem `json:"subsystem"`
	Role        string    `json:"role"` // "client" or "provider"
	Records     int64     `json:"records"`
	FirstRecord int64     `json:"firstRecord"`
}

// StreamError ends a read: the input cannot be read further (a JSON
// syntax error outside JSON Lines, a cut-off file, a damaged gzip stream, a
// record over the size limit). Records before it were handed out; the
// caller decides whether to keep them (the store does not: an import is
// all or nothing).
type StreamError struct {
	Offset  int64 // byte offset in the decompressed input
	Record  int64 // the record being read (from 1), or the last one read
	Message domain.Text
	Err     error // the underlying read or gzip error, if any
}

func (e *StreamError) Error() string {
	return "exchange: at byte " + strconv.FormatInt(e.Offset, 10) + " (record " + strconv.FormatInt(e.Record, 10) + "): " + e.Message.EN
}

func (e *StreamError) Unwrap() error { return e.Err }

// Reader reads X-Road operational-monitoring records one at a time, in
// constant memory whatever the input's size: a buffer holding one record at
// least (Options.MaxRecordBytes at most), the duplicate filter, and small
// caches of identities. The input is {"records":[…]}, a bare array, or JSON
// Lines, plain or gzip (told by its first bytes), full records or the
// anonymised open-data form (told per record).
//
// A record that is valid JSON but not a good record (a field of the wrong
// type, a required field missing, a bad identifier or timestamp) is
// counted and listed in the Report with its number and a reason in Persian
// and English, and reading goes on. A JSON syntax error ends the read with
// a StreamError, except in JSON Lines, where the bad line is a bad record
// and reading resumes at the next line: inside an array, the end of a
// broken record cannot be found with confidence.
//
// Duplicates: a record with a message id (xRequestId, else messageId)
// whose Key equals that of a record read shortly before (see
// Options.DedupWindow) is the same log entry delivered twice, and is
// dropped. The Client and Producer records of one message have different
// Keys and both come out; the aggregates keep the two sides apart and count
// each message once (see Aggregate.Messages). Records without ids are never
// taken for duplicates: two identical rows of the open data are two
// messages.
type Reader struct {
	opt  Options
	src  io.Reader
	pipe *pipe

	buf      []byte
	pos, end int
	base     int64 // input offset of buf[0]
	eof      bool
	readErr  error

	st      state
	wrapped bool // the current array is the value of "records"
	lines   bool // JSON Lines mode
	started bool // a top-level value was seen

	number int64 // elements read so far
	rec    Record
	raw    rawRecord
	keyTmp []byte
	canon  []byte

	rep    Report
	err    error
	done   bool
	dedup  *dedupSet
	pairs  map[string]*pairEntry
	known  map[Subsystem]bool
	unk    map[unknownKey]int
	faults map[string]string
	kb     []byte
	sumLo  uint64
	sumHi  uint64
	xorLo  uint64
	xorHi  uint64
}

type state uint8

const (
	stTop       state = iota // before a top-level value
	stWrapFirst              // after the wrapper's '{'
	stWrapNext               // after a member of the wrapper
	stWrapKey                // after a ',' in the wrapper
	stArrFirst               // after '['
	stArrNext                // after an element
	stArrElem                // after a ',' in the array
)

// NewReader starts reading r. Call Close when stopping before Next returns
// false.
func NewReader(r io.Reader, opt Options) (*Reader, error) {
	opt = opt.withDefaults()
	rd := &Reader{
		opt:    opt,
		pairs:  make(map[string]*pairEntry),
		known:  make(map[Subsystem]bool),
		unk:    make(map[unknownKey]int),
		faults: make(map[string]string),
	}
	if opt.DedupWindow > 0 {
		rd.dedup = newDedupSet(opt.DedupWindow)
	}
	br := bufio.NewReaderSize(r, 64<<10)
	magic, err := br.Peek(2)
	if err != nil && err != io.EOF {
		return nil, &StreamError{Message: domain.T("خواندن ورودی ناممکن است", "cannot read the input"), Err: err}
	}
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &StreamError{Message: domain.T("سرآیند gzip ورودی خراب است", "the input's gzip header is damaged"), Err: err}
		}
		rd.rep.Compressed = true
		rd.pipe = startPipe(zr, 256<<10, 4)
		rd.src = rd.pipe
	} else {
		rd.src = br
	}
	size := 256 << 10
	if size > opt.MaxRecordBytes {
		size = opt.MaxRecordBytes
	}
	rd.buf = make([]byte, size)
	return rd, nil
}

// Next reads up to the next accepted record and reports whether there is
// one; after false, Err says why (nil at the end of the input).
func (r *Reader) Next() bool {
	if r.done {
		return false
	}
	for {
		ok, err := r.step()
		if err != nil {
			r.finish(err)
			return false
		}
		if ok {
			return true
		}
	}
}

// Record is the record Next found. It is overwritten by the next call.
func (r *Reader) Record() *Record { return &r.rec }

// Err is the StreamError that ended the read, or nil.
func (r *Reader) Err() error { return r.err }

// Report is what the reader has made of the input so far; complete (with
// its Digest) once Next has returned false with no error.
func (r *Reader) Report() *Report {
	r.rep.Bytes = r.base + int64(r.pos)
	return &r.rep
}

// Close stops the reader and its decompressing goroutine. It does not close
// the underlying reader.
func (r *Reader) Close() error {
	if r.pipe != nil {
		r.pipe.close()
	}
	r.done = true
	return nil
}

func (r *Reader) finish(err error) {
	r.done = true
	if r.pipe != nil {
		r.pipe.close()
	}
	if err == io.EOF {
		r.rep.Digest = r.digest()
		return
	}
	r.err = err
}

// digest is the value of Report.Digest.
func (r *Reader) digest() string {
	h := sha256.New()
	var b []byte
	b = append(b, "pishran/exchange/import-digest/v1\x00"...)
	b = binary.LittleEndian.AppendUint64(b, uint64(r.rep.Accepted))
	b = binary.LittleEndian.AppendUint64(b, r.sumLo)
	b = binary.LittleEndian.AppendUint64(b, r.sumHi)
	b = binary.LittleEndian.AppendUint64(b, r.xorLo)
	b = binary.LittleEndian.AppendUint64(b, r.xorHi)
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// streamErr builds the StreamError for err met at buffer index pos.
func (r *Reader) streamErr(err error, pos int) error {
	var se *StreamError
	if errors.As(err, &se) {
		return se
	}
	e := &StreamError{Offset: r.base + int64(pos), Record: r.number}
	var syn *syntaxErr
	switch {
	case errors.As(err, &syn):
		e.Offset = r.base + int64(syn.pos)
		e.Message = syn.msg
	case err == errTruncated:
		e.Message = domain.T("ورودی ناتمام است: پرونده پیش از پایان JSON بریده شده", "the input ends before its JSON does: the file is cut short")
	case err == errTooLarge:
		e.Message = domain.T("یک رکورد از سقف اندازه رکورد بزرگ‌تر است", "a record is larger than the record size limit")
	default:
		e.Err = err
		if r.rep.Compressed {
			e.Message = domain.T("خواندن یا گشودن gzip ورودی شکست خورد (پرونده خراب یا ناتمام است)", "reading or inflating the gzip input failed (the file is damaged or cut short)")
		} else {
			e.Message = domain.T("خواندن ورودی شکست خورد", "reading the input failed")
		}
	}
	return e
}

var (
	errTruncated = errors.New("exchange: input cut short")
	errTooLarge  = errors.New("exchange: record too large")
)

// fill moves the unread bytes to the front of the buffer (growing it up to
// the record limit when they fill it) and reads more. It returns io.EOF at
// the end of the input.
func (r *Reader) fill() error {
	if r.eof {
		return io.EOF
	}
	if r.pos > 0 {
		n := copy(r.buf, r.buf[r.pos:r.end])
		r.base += int64(r.pos)
		r.end = n
		r.pos = 0
	}
	if r.end == len(r.buf) {
		if len(r.buf) >= r.opt.MaxRecordBytes {
			return errTooLarge
		}
		size := min(2*len(r.buf), r.opt.MaxRecordBytes)
		nb := make([]byte, size)
		copy(nb, r.buf[:r.end])
		r.buf = nb
	}
	for {
		n, err := r.src.Read(r.buf[r.end:])
		r.end += n
		if err == io.EOF {
			r.eof = true
			if n > 0 {
				return nil
			}
			return io.EOF
		}
		if err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
	}
}

// peek skips white space and returns the next byte; ok is false at the
// end of the input.
func (r *Reader) peek() (c byte, ok bool, err error) {
	for {
		r.pos = skipWS(r.buf[:r.end], r.pos)
		if r.pos < r.end {
			return r.buf[r.pos], true, nil
		}
		if err := r.fill(); err != nil {
			if err == io.EOF {
				return 0, false, nil
			}
			return 0, false, r.streamErr(err, r.pos)
		}
	}
}

// run applies f to the buffered bytes from pos, refilling and running it
// again while it needs more.
func (r *Reader) run(f func(b []byte, i int) (int, error)) (int, error) {
	for {
		end, err := f(r.buf[:r.end], r.pos)
		if err != errMore {
			return end, err
		}
		if err := r.fill(); err != nil {
			if err == io.EOF {
				return 0, errTruncated
			}
			return 0, err
		}
	}
}

// step makes one move of the top-level state machine and reports whether
// it produced a record.
func (r *Reader) step() (bool, error) {
	c, ok, err := r.peek()
	if err != nil {
		return false, err
	}
	if !ok {
		if r.st != stTop {
			return false, r.streamErr(errTruncated, r.end)
		}
		if !r.started {
			return false, &StreamError{Message: domain.T("ورودی تهی است: هیچ JSON ای در آن نیست", "the input is empty: it holds no JSON")}
		}
		return false, io.EOF
	}
	switch r.st {
	case stTop:
		if !r.started && c == 0xEF {
			// A UTF-8 byte-order mark, which some tools write before JSON.
			end, err := r.run(func(b []byte, i int) (int, error) {
				if i+3 > len(b) {
					return 0, errMore
				}
				if b[i+1] == 0xBB && b[i+2] == 0xBF {
					return i + 3, nil
				}
				return 0, badByte(i, c, "'{' or '['")
			})
			if err != nil {
				return false, r.streamErr(err, r.pos)
			}
			r.pos = end
			r.started = true
			return false, nil
		}
		r.started = true
		if r.lines {
			return r.element()
		}
		switch c {
		case '[':
			r.setFormat(FormatArray)
			r.pos++
			r.wrapped = false
			r.st = stArrFirst
			return false, nil
		case '{':
			return false, r.top()
		}
		return false, r.streamErr(badByte(r.pos, c, "'{' or '['"), r.pos)
	case stWrapFirst, stWrapNext, stWrapKey:
		switch {
		case c == '}' && r.st != stWrapKey:
			r.pos++
			r.st = stTop
			return false, nil
		case c == ',' && r.st == stWrapNext:
			r.pos++
			r.st = stWrapKey
			return false, nil
		case c == '"' && r.st != stWrapNext:
			return false, r.wrapperMember()
		}
		want := "'\"'"
		if r.st == stWrapNext {
			want = "',' or '}'"
		} else if r.st == stWrapFirst {
			want = "'\"' or '}'"
		}
		return false, r.streamErr(badByte(r.pos, c, want), r.pos)
	case stArrFirst, stArrNext, stArrElem:
		switch {
		case c == ']' && r.st != stArrElem:
			r.pos++
			if r.wrapped {
				r.st = stWrapNext
			} else {
				r.st = stTop
			}
			return false, nil
		case c == ',' && r.st == stArrNext:
			r.pos++
			r.st = stArrElem
			return false, nil
		case r.st != stArrNext:
			r.st = stArrNext
			return r.element()
		}
		return false, r.streamErr(badByte(r.pos, c, "',' or ']'"), r.pos)
	}
	panic("exchange: unreachable reader state")
}

func (r *Reader) setFormat(f Format) {
	if r.rep.Format == "" {
		r.rep.Format = f
	}
}

// top looks into a top-level object, without consuming it, to decide what
// it is: the {"records":[…]} wrapper if it has a member "records" holding
// an array (only the members before it need fit in the buffer), otherwise
// a record, the first of JSON Lines.
func (r *Reader) top() error {
	wrapper, recordKey := false, false
	_, err := r.run(func(b []byte, i int) (int, error) {
		wrapper, recordKey = false, false
		j := skipWS(b, i+1)
		for first := true; ; first = false {
			if j >= len(b) {
				return 0, errMore
			}
			if b[j] == '}' {
				return j, nil
			}
			if !first {
				if b[j] != ',' {
					return 0, badByte(j, b[j], "',' or '}'")
				}
				if j = skipWS(b, j+1); j >= len(b) {
					return 0, errMore
				}
			}
			if b[j] != '"' {
				return 0, badByte(j, b[j], "a quoted key")
			}
			end, esc, err := scanString(b, j)
			if err != nil {
				return 0, err
			}
			k := b[j+1 : end-1]
			if esc {
				k = unescape(nil, k)
			}
			if first {
				recordKey = fieldOf(k).kind != kSkip
			}
			records := string(k) == "records"
			if j = skipWS(b, end); j >= len(b) {
				return 0, errMore
			}
			if b[j] != ':' {
				return 0, badByte(j, b[j], "':'")
			}
			if j = skipWS(b, j+1); j >= len(b) {
				return 0, errMore
			}
			if records {
				if b[j] != '[' {
					return 0, synErr(j, "مقدار records باید آرایه باشد", "the value of records must be an array")
				}
				wrapper = true
				return j, nil
			}
			if j, err = skipValue(b, j, 1); err != nil {
				return 0, err
			}
			j = skipWS(b, j)
		}
	})
	if err != nil && !(recordKey && (isSyntax(err) || err == errTruncated)) {
		return r.streamErr(err, r.pos)
	}
	if !wrapper {
		// A record (a broken one is reported as a bad line).
		r.lines = true
		r.setFormat(FormatLines)
		r.st = stTop
		return nil
	}
	r.setFormat(FormatRecords)
	r.pos++ // the '{'
	r.st = stWrapFirst
	return nil
}

// wrapperMember reads one member of the wrapper object: "records" opens the
// array; any other member is skipped.
func (r *Reader) wrapperMember() error {
	isRecords := false
	end, err := r.run(func(b []byte, i int) (int, error) {
		end, esc, err := scanString(b, i)
		if err != nil {
			return 0, err
		}
		k := b[i+1 : end-1]
		if esc {
			k = unescape(nil, k)
		}
		isRecords = string(k) == "records"
		j := skipWS(b, end)
		if j >= len(b) {
			return 0, errMore
		}
		if b[j] != ':' {
			return 0, badByte(j, b[j], "':'")
		}
		if j = skipWS(b, j+1); j >= len(b) {
			return 0, errMore
		}
		if isRecords {
			if b[j] != '[' {
				return 0, synErr(j, "مقدار records باید آرایه باشد", "the value of records must be an array")
			}
			return j + 1, nil
		}
		return skipValue(b, j, 1)
	})
	if err != nil {
		return r.streamErr(err, r.pos)
	}
	r.pos = end
	if isRecords {
		r.wrapped = true
		r.st = stArrFirst
	} else {
		r.st = stWrapNext
	}
	return nil
}

// element reads one record (an element of the array, or a value of JSON
// Lines) and reports whether it was accepted.
func (r *Reader) element() (bool, error) {
	r.number++
	r.rep.Records++
	start := r.pos
	offset := r.base + int64(start)
	isObj := r.buf[r.pos] == '{'
	var end int
	var err error
	if isObj {
		end, err = r.run(r.parseObject)
	} else {
		end, err = r.run(func(b []byte, i int) (int, error) { return skipValue(b, i, 1) })
	}
	if err != nil {
		if !r.lines {
			return false, r.streamErr(err, r.pos)
		}
		// JSON Lines: the line is a bad record; go on at the next one.
		if err != errTooLarge && err != errTruncated && !isSyntax(err) {
			return false, r.streamErr(err, r.pos)
		}
		p := prob{code: ProblemSyntax}
		var syn *syntaxErr
		switch {
		case errors.As(err, &syn):
			p.text = syn.msg
		case err == errTooLarge:
			p.code = ProblemTooLarge
		default:
			p.text = domain.T("سطر پیش از پایان JSON خود تمام شده است", "the line ends before its JSON does")
		}
		r.bad(offset, p)
		return false, r.skipLine()
	}
	r.pos = end
	if !isObj {
		r.bad(offset, prob{code: ProblemNotObject})
		return false, nil
	}
	return r.build(r.buf[:r.end], offset), nil
}

func isSyntax(err error) bool {
	var syn *syntaxErr
	return errors.As(err, &syn)
}

// skipLine moves past the next line feed (or to the end of the input).
func (r *Reader) skipLine() error {
	for {
		if k := bytes.IndexByte(r.buf[r.pos:r.end], '\n'); k >= 0 {
			r.pos += k + 1
			return nil
		}
		r.pos = r.end
		if err := r.fill(); err != nil {
			if err == io.EOF {
				return nil
			}
			return r.streamErr(err, r.pos)
		}
	}
}

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

type unknownKey struct {
	s    Subsystem
	role string
}

func (r *Reader) noteUnknown(s Subsystem, role string) {
	k := unknownKey{s, role}
	if i, ok := r.unk[k]; ok {
		r.rep.Unknown[i].Records++
		return
	}
	if len(r.rep.Unknown) >= r.opt.MaxUnknown {
		r.rep.UnknownOmitted++
		return
	}
	r.unk[k] = len(r.rep.Unknown)
	r.rep.Unknown = append(r.rep.Unknown, UnknownIdentity{Subsystem: s, Role: role, Records: 1, FirstRecord: r.number})
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

// bad counts a bad record and lists it while the list has room.
func (r *Reader) bad(offset int64, p prob) {
	r.rep.Bad++
	if r.rep.BadBy == nil {
		r.rep.BadBy = make(map[ProblemCode]int64)
	}
	r.rep.BadBy[p.code]++
	if len(r.rep.Problems) >= r.opt.MaxProblems {
		r.rep.ProblemsOmitted++
		return
	}
	r.rep.Problems = append(r.rep.Problems, Problem{Number: r.number, Offset: offset, Code: p.code, Field: p.field, Reason: p.describe(r.opt.MaxRecordBytes)})
}

var typeFA = map[string]string{"string": "رشته", "number": "عدد", "boolean": "درست/نادرست (boolean)"}

// describe is the reason of a problem in both languages. It names fields,
// never values: a bad record may carry personal data in any field.
func (p prob) describe(maxRecord int) domain.Text {
	f := p.field
	switch p.code {
	case ProblemNotObject:
		return domain.T("این عنصر شیء JSON نیست؛ هر رکورد یک شیء است", "the element is not a JSON object; each record is one")
	case ProblemSyntax:
		return domain.T("این سطر JSON معتبر نیست: "+p.text.FA, "the line is not valid JSON: "+p.text.EN)
	case ProblemTooLarge:
		n := strconv.Itoa(maxRecord)
		return domain.T("این سطر از سقف "+jalali.PersianDigits(n)+" بایت برای یک رکورد بزرگ‌تر است", "the line is longer than the limit of "+n+" bytes for one record")
	case ProblemType:
		return domain.T("فیلد "+f+" نوع نادرست دارد؛ باید "+typeFA[p.detail]+" باشد", "the field "+f+" has the wrong type; expected a "+p.detail)
	case ProblemMissing:
		return domain.T("فیلد الزامی "+f+" نیامده یا خالی است", "the required field "+f+" is absent or empty")
	case ProblemIdentity:
		return domain.T(f+": "+p.text.FA, f+": "+p.text.EN)
	case ProblemTimestamp:
		if p.detail == "seconds" {
			return domain.T(f+" به ثانیه به نظر می‌رسد؛ در PR-OPMON زمان‌های *Ts به میلی‌ثانیه از مبدأ یونیکس است",
				f+" looks like seconds; PR-OPMON gives the *Ts fields in milliseconds since the epoch")
		}
		return domain.T(f+" خارج از بازه است؛ باید میلی‌ثانیه از مبدأ یونیکس میان سال‌های ۲۰۰۰ و ۲۱۰۰ باشد",
			f+" is out of range; expected milliseconds since the epoch between the years 2000 and 2100")
	case ProblemServerType:
		return domain.T("securityServerType باید Client یا Producer باشد", "securityServerType must be Client or Producer")
	case ProblemValue:
		if p.detail == "integer" {
			return domain.T("مقدار "+f+" باید عدد صحیح باشد", "the value of "+f+" must be a whole number")
		}
		return domain.T("مقدار "+f+" خارج از بازه است (اندازه منفی یا کد وضعیت نادرست)", "the value of "+f+" is out of range (a negative size or a bad status code)")
	}
	return domain.T("رکورد نادرست", "bad record")
}
