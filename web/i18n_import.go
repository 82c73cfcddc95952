package web

import "github.com/pishran/pishran/domain"

// importCatalog holds the strings of the spreadsheet import pages
// (/staff/import), in both languages. It joins the catalog when the
// package loads, so TestCatalog checks it with the rest.
var importCatalog = map[string]domain.Text{
	"staffnav.import": {FA: "ورود از صفحه‌گسترده", EN: "Spreadsheet import"},

	"import.title":         {FA: "ورود از صفحه‌گسترده", EN: "Spreadsheet import"},
	"import.kind_registry": {FA: "ثبت سبد پروژه‌ها", EN: "Recording a portfolio"},
	"import.kind_figures":  {FA: "گزارش ماهانه دستگاه", EN: "An agency's monthly figures"},
	"import.lead_registry": {FA: "سبد پروژه‌هایی را که در صفحه‌گسترده نگه می‌دارید یک‌جا ثبت کنید: دستگاه‌ها، قوانین، پروژه‌ها با دستگاه‌ها و مستند قانونی و دستاوردهایشان، و عضویت در فهرست‌ها. تا پرونده خطایی دارد هیچ چیز ثبت نمی‌شود؛ پس از بارگذاری، گزارش خطاها را با شماره برگه و سطر و ستون می‌بینید و بی‌خطا، پیش‌نمایش آنچه ثبت می‌شود.",
		EN: "Record the portfolio you keep in spreadsheets at once: agencies, laws, projects with their agencies, mandates and deliverables, and memberships of the lists. Nothing is recorded while the file has errors: after uploading you see every error by sheet, row and column, and once there are none, a preview of what will be recorded."},
	"import.lead_figures": {FA: "پیشرفت ماهانه پروژه‌های دستگاه خود را از صفحه‌گسترده وارد کنید: شرح پیشرفت، درصد پیشرفت نقاط عطف، مقدار شاخص‌ها و ریسک‌ها برای هر ماه شمسی. گزارش‌ها پیش‌نویس ثبت می‌شوند تا آن‌ها را بفرستید. فقط پروژه‌هایی که دستگاه شما در آن‌ها هست پذیرفته می‌شوند.",
		EN: "Bring in your agency's monthly progress from a spreadsheet: the narrative, milestones' percent complete, indicators' values and risks for each Jalali month. Reports are recorded as drafts until you submit them. Only projects your agency takes part in are accepted."},
	"import.step_template":          {FA: "۱. الگو را بردارید", EN: "1. Download the template"},
	"import.template_registry_help": {FA: "الگو سرستون‌های فارسی و انگلیسی، فهرست‌های کشویی و یادداشت هر ستون را دارد. پرونده CSV یا کاربرگ خودتان با همین سرستون‌ها هم پذیرفته است.", EN: "The template has Persian and English headers, drop-down lists and a note on each column. A CSV file or a workbook of your own with the same headers is accepted too."},
	"import.template_figures_help":  {FA: "الگو از پیش با پروژه‌های دستگاه شما و نقاط عطف و شاخص‌های ثبت‌شده‌شان برای ماه گذشته پر شده است؛ درصدها و مقدارها را بنویسید.", EN: "The template comes filled with your agency's projects and their recorded milestones and indicators for last month: fill in the percentages and values."},
	"import.template_registry":      {FA: "دریافت الگوی ثبت (XLSX)", EN: "Download the registry template (XLSX)"},
	"import.template_figures":       {FA: "دریافت الگوی گزارش ماهانه (XLSX)", EN: "Download the monthly figures template (XLSX)"},
	"import.step_upload":            {FA: "۲. پرونده را بارگذاری کنید", EN: "2. Upload the file"},
	"import.upload_fixed":           {FA: "بارگذاری پرونده اصلاح‌شده", EN: "Upload the corrected file"},
	"import.choose":                 {FA: "پرونده XLSX یا CSV", EN: "XLSX or CSV file"},
	"import.choose_help":            {FA: "حداکثر ۳۲ مگابایت. رقم فارسی و عربی، تاریخ شمسی و سلول تاریخ اکسل پذیرفته است.", EN: "Up to 32 MiB. Persian and Arabic digits, Jalali dates and Excel date cells are accepted."},
	"import.upload":                 {FA: "بارگذاری و بررسی", EN: "Upload and check"},
	"import.file":                   {FA: "پرونده", EN: "File"},
	"import.size":                   {FA: "{0} بایت", EN: "{0} bytes"},
	"import.report":                 {FA: "گزارش خطاها", EN: "Validation report"},
	"import.issues.one":             {FA: "پرونده {n} خطا دارد.", EN: "The file has {n} error."},
	"import.issues.other":           {FA: "پرونده {n} خطا دارد.", EN: "The file has {n} errors."},
	"import.nothing_changed":        {FA: "هیچ چیز ثبت نشد؛ خطاها را اصلاح کنید و پرونده را دوباره بارگذاری کنید.", EN: "Nothing was recorded: correct the errors and upload the file again."},
	"import.annotated":              {FA: "دریافت همین پرونده با ستون خطاها", EN: "Download this file with an errors column"},
	"import.annotated_help":         {FA: "خانه‌های نادرست سرخ شده‌اند و هر سطر خطاهایش را در ستون آخر دارد.", EN: "Cells at fault are filled red and each row lists its errors in the last column."},
	"import.issues_caption":         {FA: "خطاها به ترتیب برگه، سطر و ستون", EN: "Errors by sheet, row and column"},
	"import.sheet":                  {FA: "برگه", EN: "Sheet"},
	"import.row":                    {FA: "سطر", EN: "Row"},
	"import.column":                 {FA: "ستون", EN: "Column"},
	"import.message":                {FA: "خطا", EN: "Error"},
	"import.whole_row":              {FA: "کل سطر", EN: "whole row"},
	"import.more_issues":            {FA: "و {0} خطای دیگر؛ همه در پرونده دارای ستون خطاها آمده‌اند.", EN: "and {0} more errors: all of them are in the file with the errors column."},
	"import.preview":                {FA: "پیش‌نمایش", EN: "Preview"},
	"import.ok":                     {FA: "پرونده خطایی ندارد. این دقیقاً همان چیزی است که با اعمال آن ثبت یا تغییر می‌کند:", EN: "The file has no errors. This is exactly what applying it records or changes:"},
	"import.items_caption":          {FA: "رکوردهایی که ساخته یا تغییر داده می‌شوند", EN: "The records created or changed"},
	"import.op":                     {FA: "کار", EN: "Action"},
	"import.kind":                   {FA: "نوع", EN: "Kind"},
	"import.record":                 {FA: "رکورد", EN: "Record"},
	"import.where":                  {FA: "جای آن در پرونده", EN: "Where in the file"},
	"import.more_items":             {FA: "و {0} رکورد دیگر.", EN: "and {0} more records."},
	"import.apply_title":            {FA: "اعمال", EN: "Apply"},
	"import.confirm":                {FA: "پیش‌نمایش را دیدم و درست است.", EN: "I have checked the preview and it is right."},
	"import.apply_help":             {FA: "همه با هم در یک تراکنش ثبت می‌شود یا هیچ؛ و در سابقه ممیزی با چکیده پرونده می‌ماند. هر پرونده یک بار اعمال می‌شود.", EN: "Everything is recorded together in one transaction, or nothing is; the audit log keeps it with the file's digest. A file is applied once."},
	"import.apply":                  {FA: "اعمال پرونده", EN: "Apply the file"},
	"import.cancel":                 {FA: "انصراف", EN: "Cancel"},
	"import.done":                   {FA: "پرونده اعمال شد:", EN: "The file was applied:"},
	"import.applied_before":         {FA: "این پرونده پیش‌تر اعمال شده است:", EN: "This file has already been applied:"},
	"import.another":                {FA: "بارگذاری پرونده دیگر", EN: "Upload another file"},
	"import.stale":                  {FA: "از زمان پیش‌نمایش چیزی در سامانه تغییر کرده و پیش‌نمایش دیگر درست نیست؛ پیش‌نمایش تازه را ببینید و دوباره اعمال کنید.", EN: "Something changed since the preview, so it no longer holds: check the fresh preview below and apply again."},

	"importop.create":    {FA: "ساخت", EN: "create"},
	"importop.update":    {FA: "تغییر", EN: "change"},
	"importop.unchanged": {FA: "بی‌تغییر", EN: "unchanged"},

	"importkind.agency":      {FA: "دستگاه", EN: "agency"},
	"importkind.law":         {FA: "قانون", EN: "law"},
	"importkind.project":     {FA: "پروژه", EN: "project"},
	"importkind.deliverable": {FA: "دستاورد", EN: "deliverable"},
	"importkind.membership":  {FA: "عضویت در فهرست", EN: "membership"},
	"importkind.report":      {FA: "گزارش پیشرفت (پیش‌نویس)", EN: "progress report (draft)"},
}

func init() {
	for k, v := range importCatalog {
		if _, dup := catalog[k]; dup {
			panic("web: catalog key " + k + " defined twice")
		}
		catalog[k] = v
	}
}
