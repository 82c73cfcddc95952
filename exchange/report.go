package exchange

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
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
	BadBy      map[ProblemCode]int64 `json:"bad_by,omitempty"`
	// Problems lists the first bad records (Options.MaxProblems), in
	// order; ProblemsOmitted counts those past the limit.
	Problems        []Problem `json:"problems,omitempty"`
	ProblemsOmitted int64     `json:"problems_omitted,omitempty"`

	ClientRecords   int64 `json:"client_records"`   // accepted records logged by a client's server
	ProducerRecords int64 `json:"producer_records"` // accepted records logged by a provider's server
	OpenData        int64 `json:"open_data"`        // accepted records in the anonymised open-data form
	Untimed         int64 `json:"untimed"`          // accepted records with no usable duration

	// UnknownRecords counts accepted records naming an identity that
	// Options.Known does not know; Unknown lists those identities.
	UnknownRecords int64             `json:"unknown_records,omitempty"`
	Unknown        []UnknownIdentity `json:"unknown,omitempty"`
	UnknownOmitted int64             `json:"unknown_omitted,omitempty"`

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
	FirstRecord int64     `json:"first_record"`
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
