package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/sheet"
	"github.com/pishran/pishran/store"
)

// Spreadsheet import (issue 16): upload → validation report → preview →
// apply. The pure core (package sheet) reads the file and checks what the
// file alone can tell; this file checks the rest against the database and
// applies, all or nothing, as one audited import naming the file's digest.
//
// The kind of import follows the person: the secretariat (and an admin)
// import registry records, an agency's focal point imports its figures
// (draft progress reports). A file is kept by its SHA-256 from its upload
// until it is applied, so what is applied is the file that was previewed;
// the preview's own digest (Plan) is checked again at apply, so a preview
// made stale by another write is refused rather than applied differently.
// Applying a file twice is refused (a conflict), never a second import.

// The kinds of import.
const (
	SheetRegistry = "registry"
	SheetFigures  = "figures"
)

// uploadKeep is how long an upload nobody applied is kept.
const uploadKeep = 7 * 24 * time.Hour

// SheetCheck is what an upload comes to: its report and, when the report
// has no issue, the preview of what applying it would do.
type SheetCheck struct {
	Kind    string
	Digest  string // hex SHA-256 of the file
	Name    string
	Size    int
	Report  *sheet.Report
	Preview *SheetPreview // nil while the report has issues
	Applied *time.Time    // when the file was applied (by this person)
}

// SheetPreview is exactly what applying the file would create and change.
type SheetPreview struct {
	Items []SheetItem
	// Counts counts the items by op and kind: "create agency" → 3.
	Counts map[string]int
	// Plan is the digest of Items: apply refuses a plan that is no longer
	// the one previewed.
	Plan string
}

// SheetItem is one record an import creates, changes or finds unchanged.
type SheetItem struct {
	Op      string      `json:"op"`   // create, update or unchanged
	Kind    string      `json:"kind"` // agency, law, project, deliverable, membership, report
	Key     string      `json:"key"`
	Title   domain.Text `json:"title"`
	Detail  domain.Text `json:"detail"`
	Sheet   string      `json:"sheet"`
	Row     int         `json:"row"`
	Version int64       `json:"version,omitempty"` // an updated record's version as previewed
}

// SheetApplied is an applied import.
type SheetApplied struct {
	Digest string
	Kind   string
	Counts map[string]int
	Items  []SheetItem
}

// sheetKind is the kind of import the actor may make.
func sheetKind(a Actor) (string, error) {
	if err := a.mustWrite(); err != nil {
		return "", err
	}
	switch {
	case a.isSecretariat():
		return SheetRegistry, nil
	case a.Role == RoleAgency:
		return SheetFigures, nil
	}
	return "", domain.Forbidden("ورود از صفحه‌گسترده با دبیرخانه یا دستگاه است", "only the secretariat or an agency may import spreadsheets")
}

// SheetKindOf says which import the actor makes, or why they may not.
func SheetKindOf(a Actor) (string, error) { return sheetKind(a) }

// Digest is the hex SHA-256 of a file: how an upload is named.
func Digest(content []byte) string {
	d := sha256.Sum256(content)
	return hex.EncodeToString(d[:])
}

// CheckSheet reads an uploaded file, keeps it for its preview and apply,
// and checks it: its report, and its preview when it has no issue. A file
// that cannot be read at all (not XLSX, not UTF-8 CSV, too large) is an
// error naming the field "file".
func (s *Service) CheckSheet(ctx context.Context, a Actor, name string, content []byte) (*SheetCheck, error) {
	kind, err := sheetKind(a)
	if err != nil {
		return nil, err
	}
	b, err := readBook(name, content)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	u := &store.SheetUpload{Digest: Digest(content), UploadedBy: a.Name, Kind: kind, Name: cleanName(name), Content: content}
	if err := s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PruneSheetUploads(tx.Now().Add(-uploadKeep)); err != nil {
			return err
		}
		return tx.PutSheetUpload(u)
	}); err != nil {
		return nil, err
	}
	return s.checkBook(ctx, a, u, b)
}

// SheetUpload checks again a file the actor uploaded, by its digest: the
// report and preview as the registry stands now.
func (s *Service) SheetUpload(ctx context.Context, a Actor, digest string) (*SheetCheck, error) {
	u, b, err := s.upload(ctx, a, digest)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	return s.checkBook(ctx, a, u, b)
}

// AnnotateSheet writes the actor's uploaded file back with its report in
// it (sheet.Annotate) and returns the name to give it.
func (s *Service) AnnotateSheet(ctx context.Context, a Actor, digest string, w io.Writer) (string, error) {
	c, err := s.SheetUpload(ctx, a, digest)
	if err != nil {
		return "", err
	}
	_, b, err := s.upload(ctx, a, digest)
	if err != nil {
		return "", err
	}
	defer b.Close()
	if err := sheet.Annotate(b, c.Report, w); err != nil {
		return "", err
	}
	base, ext := c.Name, ".xlsx"
	if b.CSV {
		ext = ".csv"
	}
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	if base == "" {
		base = "pishran-import"
	}
	return base + "-errors" + ext, nil
}

// upload reads back the actor's uploaded file.
func (s *Service) upload(ctx context.Context, a Actor, digest string) (*store.SheetUpload, *sheet.Book, error) {
	if _, err := sheetKind(a); err != nil {
		return nil, nil, err
	}
	var u *store.SheetUpload
	if err := s.db.View(ctx, func(tx *store.Tx) (err error) { u, err = tx.SheetUploadOf(strings.ToLower(digest), a.Name); return err }); err != nil {
		return nil, nil, err
	}
	b, err := readBook(u.Name, u.Content)
	return u, b, err
}

func (s *Service) checkBook(ctx context.Context, a Actor, u *store.SheetUpload, b *sheet.Book) (*SheetCheck, error) {
	c := &SheetCheck{Kind: u.Kind, Digest: u.Digest, Name: u.Name, Size: len(u.Content), Applied: u.AppliedAt}
	err := s.db.View(ctx, func(tx *store.Tx) error {
		rep, plan, err := checkPlan(tx, a, u.Kind, b)
		if err != nil {
			return err
		}
		c.Report = rep
		if rep.OK() {
			c.Preview = plan.preview()
		}
		return nil
	})
	return c, err
}

// readBook reads a file as package sheet does, its refusal made an
// invalid "file" in both languages.
func readBook(name string, content []byte) (*sheet.Book, error) {
	if len(content) == 0 {
		return nil, domain.Invalid("file", "پرونده خالی است", "the file is empty")
	}
	b, err := sheet.Read(bytes.NewReader(content), cleanName(name))
	switch {
	case err == sheet.ErrTooLarge || (err != nil && strings.Contains(err.Error(), sheet.ErrTooLarge.Error())):
		return nil, domain.Invalid("file", "پرونده بزرگ‌تر از آن است که خوانده شود (بیش از "+jalali.PersianDigits("32")+" مگابایت یا "+
			jalali.PersianDigits("200,000")+" سطر)", "the file is too large to read (over 32 MiB or 200,000 rows)")
	case err != nil:
		return nil, domain.Invalid("file", "پرونده خوانا نیست؛ پرونده XLSX یا CSV با UTF-8 بفرستید ("+err.Error()+")",
			"the file cannot be read: send an XLSX workbook or a UTF-8 CSV file ("+err.Error()+")")
	}
	return b, nil
}

// cleanName keeps a file name's last part, without control characters.
func cleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if len(name) > 200 {
		name = name[:200]
	}
	return name
}

// sheetPlan is a checked file's plan: what applying it does.
type sheetPlan interface {
	preview() *SheetPreview
	apply(tx *store.Tx, s *Service, a Actor) error
}

func checkPlan(tx *store.Tx, a Actor, kind string, b *sheet.Book) (*sheet.Report, sheetPlan, error) {
	if want, err := sheetKind(a); err != nil {
		return nil, nil, err
	} else if want != kind {
		return nil, nil, domain.Forbidden("این پرونده برای نقش دیگری بارگذاری شده است", "this file was uploaded for another kind of import")
	}
	if kind == SheetRegistry {
		return checkRegistry(tx, a, b)
	}
	return checkFigures(tx, a, b)
}

// newPreview counts the items and digests them.
func newPreview(items []SheetItem) *SheetPreview {
	p := &SheetPreview{Items: items, Counts: map[string]int{}}
	for _, i := range items {
		p.Counts[i.Op+" "+i.Kind]++
	}
	raw, _ := json.Marshal(items)
	p.Plan = Digest(raw)
	return p
}

// ApplySheet applies the actor's uploaded file digest, all or nothing, in
// one transaction audited as one import naming the digest. plan, when not
// empty, must be the preview's Plan: a file whose preview changed since
// (another write meanwhile) is refused as stale. A file with issues is
// refused, and so is one applied before.
func (s *Service) ApplySheet(ctx context.Context, a Actor, digest, plan string) (*SheetApplied, error) {
	u, b, err := s.upload(ctx, a, digest)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	if Digest(u.Content) != u.Digest {
		return nil, domain.Conflict("digest", "پرونده نگه‌داشته‌شده با چکیده‌اش نمی‌خواند", "the kept file does not match its digest")
	}
	if u.AppliedAt != nil {
		return nil, alreadyApplied(*u.AppliedAt)
	}
	out := &SheetApplied{Digest: u.Digest, Kind: u.Kind}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		rep, p, err := checkPlan(tx, a, u.Kind, b)
		if err != nil {
			return err
		}
		if !rep.OK() {
			n := jalali.PersianDigits(strconv.Itoa(len(rep.Issues)))
			return domain.Invalid("file", "پرونده "+n+" خطا دارد و چیزی ثبت نشد؛ گزارش خطاها را ببینید",
				"the file has "+strconv.Itoa(len(rep.Issues))+" issues and nothing was recorded: see its report")
		}
		pv := p.preview()
		if plan != "" && pv.Plan != plan {
			return &domain.Error{Kind: domain.KindStale, Field: "plan", Message: domain.T(
				"از زمان پیش‌نمایش چیزی در سامانه تغییر کرده و پیش‌نمایش دیگر درست نیست؛ پیش‌نمایش تازه را ببینید و دوباره اعمال کنید",
				"something changed since the preview, so it no longer holds: check the fresh preview and apply again")}
		}
		if err := tx.MarkSheetApplied(u.Digest, a.Name); err != nil {
			return err
		}
		if err := p.apply(tx, s, a); err != nil {
			return err
		}
		out.Items, out.Counts = pv.Items, pv.Counts
		area := "registry"
		if u.Kind == SheetFigures {
			area = "follow-up"
		}
		return tx.Audit("import", area, "sheet:"+u.Digest, nil, map[string]any{"file": u.Name, "sha256": u.Digest,
			"size": len(u.Content), "counts": pv.Counts})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func alreadyApplied(at time.Time) error {
	d := domain.TehranDate(at)
	return domain.Conflict("digest", "این پرونده در "+jalali.PersianDigits(d.Jalali())+" اعمال شده است و دوباره اعمال نمی‌شود",
		"this file was applied on "+d.String()+" and is not applied again")
}

