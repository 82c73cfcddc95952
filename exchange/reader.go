package exchange

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"

	"github.com/pishran/pishran/domain"
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
	if err != nil && !(recordKey && (isSyntax(err) || err == errTruncated || err == errTooLarge)) {
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
