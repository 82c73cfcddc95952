package web

import (
	"context"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// Column is one column of an open dataset, described in both languages for
// the data dictionary.
type Column struct {
	Name string
	Type string // text, integer, boolean, date (ISO), jalali (1397/01/22), datetime (RFC 3339), list (values joined by "; ")
	Desc domain.Text
}

// Table is a dataset's rows, read as the visitor may see them.
type Table struct {
	Rows [][]any // one value per column but as_of: string, int, *int, bool, *domain.Date
	// Hidden is how many records were left out because they are
	// confidential: counted, never shown.
	Hidden int
}

// Dataset is one open dataset. Adding a dataset is adding one entry to
// datasets: the index page, the three download formats and the data
// dictionary all follow from it.
type Dataset struct {
	Name    string // file name stem, e.g. "projects"
	Title   string // catalog key of its title
	Columns []Column
	Load    func(ctx context.Context, s *Site, a service.Actor) (*Table, error)
}

// asOfColumn ends every CSV and XLSX row, and is a top-level field of the
// JSON file.
var asOfColumn = Column{"as_of", "datetime", domain.T(
	"زمانی که داده‌ها خوانده شدند (UTC): پرونده وضعیت ثبت را در این لحظه نشان می‌دهد",
	"when the data were read (UTC): the file shows the registry as it stood at this moment")}

// datasets lists the open datasets, in the order the data page shows them.
var datasets = []Dataset{
	{Name: "programs", Title: "dataset.programs", Load: loadPrograms, Columns: []Column{
		{"id", "text", domain.T("شناسه فهرست", "the list's identifier")},
		{"title_fa", "text", domain.T("عنوان فارسی فهرست", "the list's Persian title")},
		{"title_en", "text", domain.T("عنوان انگلیسی فهرست", "the list's English title")},
		{"term", "integer", domain.T("شماره دولت (۱۲ = دولت دوازدهم)", "the government term's number (12 = the 12th government)")},
		{"kind", "text", domain.T("نوع فهرست: e-government-priority، smart-government-driving یا other", "kind of list: e-government-priority, smart-government-driving or other")},
		{"status", "text", domain.T("وضعیت فهرست: draft (پیش‌نویس)، adopted (مصوب و جاری) یا closed (بسته)", "the list's status: draft, adopted (in force) or closed")},
		{"declared_size", "integer", domain.T("شمار پروژه‌هایی که برای فهرست اعلام شد؛ خالی یعنی اعلام نشده", "how many projects the list was declared to have; empty when not declared")},
		{"named_count", "integer", domain.T("شمار پروژه‌هایی که سوابق با نام ثبت کرده‌اند (محرمانه‌ها هم شمرده می‌شوند)", "how many of its projects the records name (confidential ones included in the count)")},
		{"active_count", "integer", domain.T("شمار پروژه‌هایی که اکنون در فهرست‌اند", "how many projects are on the list now")},
		{"main_count", "integer", domain.T("شمار پروژه‌های اصلی در میان پروژه‌های فعال", "how many of the active projects are main projects")},
		{"confidential_count", "integer", domain.T("شمار پروژه‌های محرمانه در میان نام‌برده‌ها؛ فقط شمرده می‌شوند", "how many of the named projects are confidential; only counted")},
		{"funnel", "list", domain.T("مراحل تصویب به ترتیب: مرجع=شمار (مبنا: records از سوابق، sourced از یک منبع، unknown نامعلوم)", "adoption stages in order: body=count (basis: records, sourced from a source, or unknown)")},
		{"last_stage_date", "date", domain.T("تاریخ آخرین مرحله تصویب که تاریخش معلوم است (ISO)", "date of the last adoption stage whose date is known (ISO)")},
		{"last_stage_date_jalali", "jalali", domain.T("همان تاریخ به تقویم جلالی", "the same date in the Jalali calendar")},
		{"sources", "list", domain.T("مرجع منابع این فهرست", "references of the list's sources")},
	}},
	{Name: "projects", Title: "dataset.projects", Load: loadProjects, Columns: []Column{
		{"slug", "text", domain.T("شناسه پروژه؛ نشانی صفحه آن /projects/شناسه است", "the project's identifier; its page is /projects/<slug>")},
		{"title_fa", "text", domain.T("عنوان فارسی پروژه", "the project's Persian title")},
		{"title_en", "text", domain.T("عنوان انگلیسی پروژه (ترجمه کاری)", "the project's English title (a working translation)")},
		{"kind", "text", domain.T("نوع پروژه: service (خدمت) یا infrastructure (زیرساخت)", "kind: service or infrastructure")},
		{"status", "text", domain.T("وضعیت ثبت‌شده چرخه عمر: proposed، designated، in-progress، implemented، suspended یا withdrawn", "recorded lifecycle status: proposed, designated, in-progress, implemented, suspended or withdrawn")},
		{"confidentiality", "text", domain.T("سطح دسترسی: public یا restricted (پروژه‌های محرمانه در پرونده نیستند)", "access level: public or restricted (confidential projects are not in the file)")},
		{"lead_agency", "text", domain.T("کد دستگاه راهبر؛ خالی یعنی ثبت نشده", "code of the lead agency; empty when not recorded")},
		{"participating_agencies", "list", domain.T("کد دستگاه‌های همکار", "codes of the participating agencies")},
		{"mandates", "list", domain.T("پشتوانه قانونی: شناسه قانون:ماده", "legal mandates: law slug:article")},
		{"deliverables", "integer", domain.T("شمار دستاوردهای ثبت‌شده", "number of recorded deliverables")},
		{"depends_on", "list", domain.T("شناسه پروژه‌های زیرساختی که پروژه به آن‌ها وابسته است", "slugs of the infrastructure projects it depends on")},
		{"predecessors", "list", domain.T("شناسه پروژه‌های پیشین (که این پروژه از آن‌ها برآمده)", "slugs of the projects it descends from")},
		{"capabilities", "list", domain.T("قابلیت‌هایی که فراهم می‌کند یا نیاز دارد", "capabilities it provides or needs")},
		{"summary_fa", "text", domain.T("خلاصه فارسی", "Persian summary")},
		{"summary_en", "text", domain.T("خلاصه انگلیسی", "English summary")},
		{"sources", "list", domain.T("مرجع منابع این پروژه", "references of the project's sources")},
	}},
	{Name: "memberships", Title: "dataset.memberships", Load: loadMemberships, Columns: []Column{
		{"program", "text", domain.T("شناسه فهرست", "the list's identifier")},
		{"project", "text", domain.T("شناسه پروژه", "the project's identifier")},
		{"title_fa", "text", domain.T("عنوان فارسی پروژه", "the project's Persian title")},
		{"title_en", "text", domain.T("عنوان انگلیسی پروژه", "the project's English title")},
		{"main", "boolean", domain.T("آیا از پروژه‌های اصلی فهرست است", "whether it is a main project of the list")},
		{"stage", "text", domain.T("مرحله‌ای که در آن وارد فهرست شد: steering-committee، council یا government-board", "the stage at which it entered: steering-committee, council or government-board")},
		{"entered", "date", domain.T("تاریخ ورود (ISO)؛ خالی یعنی نامعلوم", "date it entered (ISO); empty when unknown")},
		{"entered_jalali", "jalali", domain.T("تاریخ ورود به تقویم جلالی", "date it entered, in the Jalali calendar")},
		{"active", "boolean", domain.T("آیا اکنون در فهرست است", "whether it is on the list now")},
		{"left", "date", domain.T("تاریخ خروج (ISO)؛ خالی یعنی خارج نشده یا تاریخ نامعلوم", "date it left (ISO); empty when it has not left or the date is unknown")},
		{"left_jalali", "jalali", domain.T("تاریخ خروج به تقویم جلالی", "date it left, in the Jalali calendar")},
		{"reason", "text", domain.T("دلیل خروج: completed، became-infrastructure، superseded، evolved، merged، too-general، not-homogeneous، confidential، priority-changed یا other", "reason it left: completed, became-infrastructure, superseded, evolved, merged, too-general, not-homogeneous, confidential, priority-changed or other")},
		{"successor", "text", domain.T("شناسه پروژه جانشین، اگر عمومی باشد", "slug of the successor project, when it is public")},
		{"note_fa", "text", domain.T("یادداشت فارسی", "Persian note")},
		{"note_en", "text", domain.T("یادداشت انگلیسی", "English note")},
	}},
	{Name: "decisions", Title: "dataset.decisions", Load: loadDecisions, Columns: []Column{
		{"id", "integer", domain.T("شناسه مصوبه", "the decision's identifier")},
		{"meeting", "text", domain.T("شناسه جلسه", "the meeting's identifier")},
		{"series", "text", domain.T("کد مجموعه جلسات (شورا یا کمیته)", "code of the meeting series (council or committee)")},
		{"series_name_fa", "text", domain.T("نام فارسی مجموعه جلسات", "Persian name of the meeting series")},
		{"series_name_en", "text", domain.T("نام انگلیسی مجموعه جلسات", "English name of the meeting series")},
		{"session", "integer", domain.T("شماره جلسه", "the session's number")},
		{"date", "date", domain.T("تاریخ جلسه (ISO)", "date of the meeting (ISO)")},
		{"date_jalali", "jalali", domain.T("تاریخ جلسه به تقویم جلالی", "date of the meeting, in the Jalali calendar")},
		{"resolution", "text", domain.T("شماره مصوبه", "the resolution's number")},
		{"text_fa", "text", domain.T("متن فارسی مصوبه", "Persian text of the decision")},
		{"text_en", "text", domain.T("متن انگلیسی مصوبه", "English text of the decision")},
		{"projects", "list", domain.T("شناسه پروژه‌هایی که مصوبه درباره آن‌هاست (مصوبات درباره پروژه‌های محرمانه در پرونده نیستند)", "slugs of the projects the decision is about (decisions about confidential projects are not in the file)")},
		{"recorded_at", "datetime", domain.T("زمان ثبت مصوبه (UTC)", "when the decision was recorded (UTC)")},
		{"verification_code", "text", domain.T("کد تصدیق سند امضاشده مصوبه (XXXXX-XXXXX)؛ خالی تا جلسه بسته و مصوبه منتشر شود",
			"verification code of the decision's signed document (XXXXX-XXXXX); empty until the meeting closes and the decision is published")},
		{"verify_url", "text", domain.T("نشانی صفحه تصدیق مصوبه: سالم بودن سند امضاشده را آنجا ببینید",
			"address of the decision's verification page, which says whether the signed document is intact")},
	}},
	{Name: "ratings", Title: "dataset.ratings", Load: loadRatings, Columns: []Column{
		{"project", "text", domain.T("شناسه پروژه", "the project's identifier")},
		{"kind", "text", domain.T("نوع ارزیابی: self (خودارزیابی دستگاه) یا council (ارزیابی شورا)", "kind of rating: self (the agency's own) or council")},
		{"score", "integer", domain.T("امتیاز اطمینان از تحویل، از ۱ (ضعیف‌ترین) تا ۵ (بهترین)", "delivery-confidence score, from 1 (worst) to 5 (best)")},
		{"label_fa", "text", domain.T("نام فارسی سطح امتیاز", "Persian name of the score's level")},
		{"label_en", "text", domain.T("نام انگلیسی سطح امتیاز", "English name of the score's level")},
		{"agency", "text", domain.T("کد دستگاه ارزیاب در خودارزیابی؛ خالی برای ارزیابی شورا", "code of the rating agency for self ratings; empty for council ratings")},
		{"date", "date", domain.T("تاریخ ارزیابی (ISO)", "date of the rating (ISO)")},
		{"date_jalali", "jalali", domain.T("تاریخ ارزیابی به تقویم جلالی", "date of the rating, in the Jalali calendar")},
		{"comment_fa", "text", domain.T("توضیح فارسی", "Persian comment")},
		{"comment_en", "text", domain.T("توضیح انگلیسی", "English comment")},
	}},
	// The signed audit checkpoints; the JSON file is a checkpoints file
	// `pishran audit verify --checkpoints` reads.
	{Name: "checkpoints", Title: "dataset.checkpoints", Load: loadCheckpoints, Columns: []Column{
		{"id", "integer", domain.T("شماره نقطه وارسی", "the checkpoint's number")},
		{"entry", "integer", domain.T("شماره مدخلی از سیاهه ممیزی که نقطه وارسی بر آن است (سر زنجیره در آن لحظه)", "the audit log entry the checkpoint anchors (the chain's head at that moment)")},
		{"hash", "text", domain.T("چکیده SHA-256 همان مدخل (۶۴ رقم شانزده‌شانزدهی)", "that entry's SHA-256 hash (64 hex digits)")},
		{"at", "datetime", domain.T("زمان گرفتن نقطه وارسی (UTC)", "when the checkpoint was taken (UTC)")},
		{"source", "text", domain.T("چرا گرفته شد: daily (روزانه)، manual (به دست مدیر) یا document (درون سندی امضاشده)", "why it was taken: daily, manual (by an admin) or document (inside a signed document)")},
		{"document", "text", domain.T("کد تصدیق سندی که نقطه وارسی درون آن است؛ خالی برای دیگران", "verification code of the document that carries it; empty for the others")},
		{"key_id", "text", domain.T("شناسه کلید امضا (کلیدها: /api/v1/signing/keys)", "the signing key's id (keys: /api/v1/signing/keys)")},
		{"signature", "text", domain.T("امضای Ed25519 به base64 بر صورت RFC ۸۷۸۵ از {type, entry, hash, at, key_id}", "base64 Ed25519 signature over the RFC 8785 form of {type, entry, hash, at, key_id}")},
	}},
}

func datasetByName(name string) *Dataset {
	for i := range datasets {
		if datasets[i].Name == name {
			return &datasets[i]
		}
	}
	return nil
}
