package sheet

import (
	"github.com/pishran/pishran/domain"
)

// colType is what a column holds, which decides how its cells are read.
type colType int

const (
	tText     colType = iota // single-line text
	tLongText                // multi-line text
	tID                      // a slug or code
	tEnum                    // one of Column.Enum
	tRef                     // a reference to a record: an agency, law, project or program
	tRefs                    // several references, separated by , ، ; or new lines
	tList                    // several free values (article numbers), separated by ; ؛ or new lines
	tMandates                // law: article; law: article
	tDate                    // a day
	tMonth                   // a Jalali month
	tNumber                  // a real number
	tInt                     // a whole number (a cost in rials)
	tPercent                 // 0–100, a whole number
	tBool                    // yes or no
)

// Option is one value of an enum column: its code and its labels.
type Option struct {
	Code string
	Text domain.Text
}

// Column describes one column of a sheet.
type Column struct {
	Key      string      // the field it fills, and a header accepted in either file language
	Header   domain.Text // the header in both languages
	Note     domain.Text // the cell note on the header: what goes in the column
	Type     colType
	Required bool
	Enum     []Option // tEnum
	RefTo    string   // tRef, tRefs: "agencies", "laws", "projects" or "programs"
	Width    float64
}

// Schema describes one sheet: its name in both languages and its columns.
type Schema struct {
	Key     string // the sheet's identifier: "agencies"
	Name    domain.Text
	Columns []Column
}

// column returns the column with key.
func (s *Schema) column(key string) *Column {
	for i := range s.Columns {
		if s.Columns[i].Key == key {
			return &s.Columns[i]
		}
	}
	return nil
}

func enumOf[T ~string](vals []T, labels map[T]domain.Text) []Option {
	out := make([]Option, len(vals))
	for i, v := range vals {
		out[i] = Option{Code: string(v), Text: labels[v]}
	}
	return out
}

var (
	agencyKinds = enumOf(domain.AgencyKinds, map[domain.AgencyKind]domain.Text{
		domain.AgencyMinistry:     domain.T("وزارتخانه", "ministry"),
		domain.AgencyOrganization: domain.T("سازمان", "organization"),
		domain.AgencyJudiciary:    domain.T("قوه قضاییه", "judiciary"),
		domain.AgencyOther:        domain.T("سایر", "other"),
	})
	projectKinds = enumOf(domain.ProjectKinds, map[domain.ProjectKind]domain.Text{
		domain.KindService:        domain.T("خدمت", "service"),
		domain.KindInfrastructure: domain.T("زیرساخت", "infrastructure"),
	})
	confidentialities = enumOf(domain.Confidentialities, map[domain.Confidentiality]domain.Text{
		domain.Public:       domain.T("عمومی", "public"),
		domain.Restricted:   domain.T("محدود", "restricted"),
		domain.Confidential: domain.T("محرمانه", "confidential"),
	})
	lifecycles = enumOf(domain.Lifecycles, map[domain.Lifecycle]domain.Text{
		domain.Proposed:    domain.T("پیشنهادی", "proposed"),
		domain.Designated:  domain.T("تعیین‌شده", "designated"),
		domain.InProgress:  domain.T("در حال اجرا", "in progress"),
		domain.Implemented: domain.T("اجراشده", "implemented"),
		domain.Suspended:   domain.T("متوقف", "suspended"),
		domain.Withdrawn:   domain.T("کنارگذاشته", "withdrawn"),
	})
	bodies = enumOf(domain.Bodies, map[domain.Body]domain.Text{
		domain.BodySteeringCommittee: domain.T("کمیته راهبری", "steering committee"),
		domain.BodyCouncil:           domain.T("شورا", "council"),
		domain.BodyGovernmentBoard:   domain.T("هیئت دولت", "government board"),
	})
	riskLevels = enumOf(domain.RiskLevels, map[domain.RiskLevel]domain.Text{
		domain.RiskLow:    domain.T("کم", "low"),
		domain.RiskMedium: domain.T("متوسط", "medium"),
		domain.RiskHigh:   domain.T("زیاد", "high"),
	})
)

// Helpers that keep the schema tables below readable.
func col(key, fa, en string, t colType, req bool, noteFA, noteEN string) Column {
	return Column{Key: key, Header: domain.T(fa, en), Type: t, Required: req, Note: domain.T(noteFA, noteEN), Width: 18}
}

func enumCol(key, fa, en string, req bool, opts []Option, noteFA, noteEN string) Column {
	c := col(key, fa, en, tEnum, req, noteFA, noteEN)
	c.Enum = opts
	return c
}

func refCol(key, fa, en string, t colType, to string, req bool, noteFA, noteEN string) Column {
	c := col(key, fa, en, t, req, noteFA, noteEN)
	c.RefTo = to
	return c
}

func wide(c Column, w float64) Column { c.Width = w; return c }

const (
	noteTitleFA = "دست‌کم یکی از دو ستون فارسی و انگلیسی را پر کنید."
	noteTitleEN = "Fill at least one of the Persian and English columns."
	noteDateFA  = "شمسی (۱۴۰۲/۰۹/۱۹) یا میلادی (2023-12-10)؛ سلول تاریخ اکسل هم پذیرفته است."
	noteDateEN  = "Jalali (1402/09/19) or Gregorian (2023-12-10); an Excel date cell is taken too."
)

// The registry workbook: onboarding an existing portfolio.
var (
	AgenciesSheet = &Schema{Key: "agencies", Name: domain.T("دستگاه‌ها", "Agencies"), Columns: []Column{
		col("code", "شناسه", "Code", tID, true,
			"شناسه پایدار دستگاه: حروف کوچک لاتین، رقم و خط تیره، مانند moh.", "The agency's stable identifier: lower-case latin letters, digits and hyphens, e.g. moh."),
		wide(col("name_fa", "نام فارسی", "Name (Persian)", tText, false, noteTitleFA, noteTitleEN), 32),
		wide(col("name_en", "نام انگلیسی", "Name (English)", tText, false, noteTitleFA, noteTitleEN), 32),
		enumCol("kind", "نوع", "Kind", true, agencyKinds, "از فهرست برگزینید.", "Pick from the list."),
		refCol("parent", "دستگاه بالادست", "Parent agency", tRef, "agencies", false,
			"شناسه دستگاه بالادست، در همین برگه یا از پیش ثبت‌شده.", "The parent agency's code, on this sheet or already recorded."),
	}}
	LawsSheet = &Schema{Key: "laws", Name: domain.T("قوانین", "Laws"), Columns: []Column{
		col("slug", "شناسه", "Slug", tID, true, "شناسه پایدار قانون، مانند seventh-plan.", "The law's stable identifier, e.g. seventh-plan."),
		wide(col("title_fa", "عنوان فارسی", "Title (Persian)", tText, false, noteTitleFA, noteTitleEN), 32),
		wide(col("title_en", "عنوان انگلیسی", "Title (English)", tText, false, noteTitleFA, noteTitleEN), 32),
		col("number", "شماره", "Number", tText, false, "شماره قانون یا مصوبه، اگر دارد.", "The law's or resolution's number, if it has one."),
		col("approving_body_fa", "مرجع تصویب (فارسی)", "Approving body (Persian)", tText, false, "مانند مجلس شورای اسلامی.", "Such as the Islamic Consultative Assembly."),
		col("approving_body_en", "مرجع تصویب (انگلیسی)", "Approving body (English)", tText, false, "", ""),
		col("approved", "تاریخ تصویب", "Approved", tDate, false, noteDateFA, noteDateEN),
		wide(col("articles", "مواد", "Articles", tList, false,
			"شماره مواد، جدا با ; یا سطر تازه، مانند 67(ث); 138.", "Article numbers separated by ; or new lines, e.g. 67(ث); 138."), 24),
	}}
	ProjectsSheet = &Schema{Key: "projects", Name: domain.T("پروژه‌ها", "Projects"), Columns: []Column{
		col("slug", "شناسه", "Slug", tID, true, "شناسه پایدار پروژه، مانند e-prescription.", "The project's stable identifier, e.g. e-prescription."),
		wide(col("title_fa", "عنوان فارسی", "Title (Persian)", tText, false, noteTitleFA, noteTitleEN), 32),
		wide(col("title_en", "عنوان انگلیسی", "Title (English)", tText, false, noteTitleFA, noteTitleEN), 32),
		wide(col("summary_fa", "خلاصه فارسی", "Summary (Persian)", tLongText, false, "", ""), 40),
		wide(col("summary_en", "خلاصه انگلیسی", "Summary (English)", tLongText, false, "", ""), 40),
		wide(col("scope_fa", "دامنه فارسی", "Scope (Persian)", tLongText, false, "دامنه مشخص پروژه: چه چیزی، برای چه کسی، تا کجا.", "The project's specific scope: what, for whom, how far."), 40),
		wide(col("scope_en", "دامنه انگلیسی", "Scope (English)", tLongText, false, "", ""), 40),
		enumCol("kind", "نوع", "Kind", true, projectKinds, "خدمت (آنچه مردم به کار می‌برند) یا زیرساخت.", "Service (what people use) or infrastructure."),
		enumCol("confidentiality", "محرمانگی", "Confidentiality", true, confidentialities,
			"پروژه محرمانه در هیچ صفحه عمومی دیده نمی‌شود.", "A confidential project never reaches a public page."),
		enumCol("status", "وضعیت", "Status", false, lifecycles, "خالی: پیشنهادی.", "Empty: proposed."),
		refCol("lead", "دستگاه راهبر", "Lead agency", tRef, "agencies", false,
			"یک دستگاه؛ اگر دستگاه همکار دارد، راهبر لازم است.", "One agency; required once any participant is named."),
		wide(refCol("participants", "دستگاه‌های همکار", "Participating agencies", tRefs, "agencies", false,
			"شناسه‌ها، جدا با ویرگول (،) یا سطر تازه.", "Codes separated by commas or new lines."), 28),
		wide(col("mandates", "مستند قانونی", "Legal mandates", tMandates, false,
			"قانون: ماده، جدا با ; — مانند seventh-plan: 67(ث)", "law: article, separated by ; — e.g. seventh-plan: 67(ث)"), 30),
	}}
	DeliverablesSheet = &Schema{Key: "deliverables", Name: domain.T("دستاوردها", "Deliverables"), Columns: []Column{
		refCol("project", "پروژه", "Project", tRef, "projects", true, "شناسه پروژه، در برگه پروژه‌ها یا از پیش ثبت‌شده.", "The project's slug, on the projects sheet or already recorded."),
		wide(col("title_fa", "عنوان فارسی", "Title (Persian)", tText, false, noteTitleFA, noteTitleEN), 32),
		wide(col("title_en", "عنوان انگلیسی", "Title (English)", tText, false, noteTitleFA, noteTitleEN), 32),
		wide(col("indicator_fa", "شاخص فارسی", "Indicator (Persian)", tText, false, "چگونه سنجیده می‌شود.", "How it is measured."), 28),
		wide(col("indicator_en", "شاخص انگلیسی", "Indicator (English)", tText, false, "", ""), 28),
		col("target", "هدف", "Target", tText, false, "مقداری که یعنی انجام شد، مانند ۱۰۰٪.", "The value that counts as done, e.g. 100%."),
		col("due", "موعد", "Due", tDate, false, noteDateFA, noteDateEN),
	}}
	MembershipsSheet = &Schema{Key: "memberships", Name: domain.T("عضویت‌ها", "Memberships"), Columns: []Column{
		refCol("program", "فهرست", "Program", tRef, "programs", true, "شناسه فهرست (برنامه)، مانند gov13-smart-driving.", "The program's id, e.g. gov13-smart-driving."),
		refCol("project", "پروژه", "Project", tRef, "projects", true, "شناسه پروژه.", "The project's slug."),
		enumCol("stage", "مرحله", "Stage", false, bodies, "مرحله‌ای که پروژه در آن وارد فهرست شد.", "The stage at which the project entered the list."),
		col("main", "اصلی", "Main", tBool, false, "بله اگر از پروژه‌های اصلی فهرست است.", "Yes if it is one of the list's main projects."),
		col("entered", "تاریخ ورود", "Entered", tDate, false, noteDateFA, noteDateEN),
	}}
	// RegistrySheets are the sheets of the registry workbook, in order.
	RegistrySheets = []*Schema{AgenciesSheet, LawsSheet, ProjectsSheet, DeliverablesSheet, MembershipsSheet}
)

// The periodic figures workbook: an agency's monthly report.
var (
	reportKey = []Column{
		refCol("project", "پروژه", "Project", tRef, "projects", true, "شناسه پروژه.", "The project's slug."),
		col("period", "دوره (ماه شمسی)", "Period (Jalali month)", tMonth, true,
			"ماه شمسی: ۱۴۰۵-۰۸ یا «آبان ۱۴۰۵».", "A Jalali month: 1405-08 or Aban 1405."),
	}
	ReportsSheet = &Schema{Key: "reports", Name: domain.T("گزارش‌ها", "Reports"), Columns: append(append([]Column{}, reportKey...),
		wide(col("narrative_fa", "شرح پیشرفت (فارسی)", "Narrative (Persian)", tLongText, false, "آنچه در این ماه انجام شد.", "What was done this month."), 48),
		wide(col("narrative_en", "شرح پیشرفت (انگلیسی)", "Narrative (English)", tLongText, false, "", ""), 48),
		col("projected_end", "پایان پیش‌بینی‌شده", "Projected end", tDate, false, noteDateFA, noteDateEN),
		col("projected_cost", "هزینه پیش‌بینی‌شده (ریال)", "Projected cost (IRR)", tInt, false, "ریال؛ جداکننده هزارگان (٬ یا ,) پذیرفته است.", "Rials; thousands separators (٬ or ,) are accepted."),
		col("actual_cost", "هزینه تاکنون (ریال)", "Actual cost to date (IRR)", tInt, false, "ریال.", "Rials."),
	)}
	MilestonesSheet = &Schema{Key: "milestones", Name: domain.T("پیشرفت نقاط عطف", "Milestone progress"), Columns: append(append([]Column{}, reportKey...),
		wide(col("milestone", "نقطه عطف", "Milestone", tText, true, "عنوان نقطه عطف همان‌گونه که ثبت شده (فارسی یا انگلیسی).", "The milestone's title as recorded (Persian or English)."), 32),
		col("percent", "درصد پیشرفت", "Percent complete", tPercent, true, "عدد صحیح ۰ تا ۱۰۰.", "A whole number from 0 to 100."),
		col("done", "تاریخ انجام", "Done on", tDate, false, "فقط برای پیشرفت ۱۰۰٪.", "Only at 100%."),
	)}
	KPIsSheet = &Schema{Key: "kpis", Name: domain.T("مقادیر شاخص‌ها", "Indicator values"), Columns: append(append([]Column{}, reportKey...),
		wide(col("kpi", "شاخص", "Indicator", tText, true, "نام شاخص همان‌گونه که ثبت شده.", "The indicator's name as recorded."), 32),
		col("value", "مقدار", "Value", tNumber, true, "عدد؛ ممیز فارسی (٫) پذیرفته است.", "A number; the Persian decimal separator (٫) is accepted."),
	)}
	RisksSheet = &Schema{Key: "risks", Name: domain.T("ریسک‌ها", "Risks"), Columns: append(append([]Column{}, reportKey...),
		enumCol("severity", "شدت", "Severity", true, riskLevels, "کم، متوسط یا زیاد.", "Low, medium or high."),
		wide(col("text_fa", "شرح ریسک (فارسی)", "Risk (Persian)", tLongText, false, noteTitleFA, noteTitleEN), 40),
		wide(col("text_en", "شرح ریسک (انگلیسی)", "Risk (English)", tLongText, false, noteTitleFA, noteTitleEN), 40),
	)}
	// FiguresSheets are the sheets of the periodic figures workbook, in order.
	FiguresSheets = []*Schema{ReportsSheet, MilestonesSheet, KPIsSheet, RisksSheet}
)
