package web

import "github.com/pishran/pishran/domain"

// leftoversCatalog holds the strings of issue 13's leftovers: deleting an
// agency or a law from the registry, and the names of the fields older
// staff forms refuse (form-error). It joins the catalog when the package
// loads, so TestCatalog checks it with the rest.
var leftoversCatalog = map[string]domain.Text{
	"registry.delete":        {FA: "حذف", EN: "Delete"},
	"registry.deleted":       {FA: "حذف شد:", EN: "Deleted:"},
	"registry.delete_agency": {FA: "حذف این دستگاه", EN: "Delete this agency"},
	"registry.delete_law":    {FA: "حذف این قانون", EN: "Delete this law"},
	"registry.delete_help_agency": {FA: "دستگاهی را می‌توان حذف کرد که در هیچ پروژه، اقدام، گزارش، حساب کاربری یا زیرمجموعه‌ای نیامده باشد؛ وگرنه حذف پذیرفته نمی‌شود و چیزی تغییر نمی‌کند.",
		EN: "Only an agency no project, action, report, account or child agency names can be deleted; otherwise the deletion is refused and nothing changes."},
	"registry.delete_help_law": {FA: "قانونی را می‌توان حذف کرد که پشتوانه هیچ پروژه‌ای نباشد؛ وگرنه حذف پذیرفته نمی‌شود و چیزی تغییر نمی‌کند.",
		EN: "Only a law no project's mandate names can be deleted; otherwise the deletion is refused and nothing changes."},
}

func init() {
	for k, v := range leftoversCatalog {
		if _, dup := catalog[k]; dup {
			panic("web: catalog key " + k + " defined twice")
		}
		catalog[k] = v
	}
}

// fieldCatalog names the fields the older staff forms can be refused on
// (form_fields.go): fieldname.<name> for a field, fieldrow.<list> for a
// list's row by its number.
var fieldCatalog = map[string]domain.Text{
	"fieldname.sep":              {FA: "، ", EN: ", "},
	"fieldname.drop_reason":      {FA: "دلیل حذف", EN: "reason for dropping"},
	"fieldname.title":            {FA: "عنوان", EN: "title"},
	"fieldname.text":             {FA: "متن", EN: "text"},
	"fieldname.note":             {FA: "یادداشت", EN: "note"},
	"fieldname.project":          {FA: "پروژه", EN: "project"},
	"fieldname.projects":         {FA: "پروژه‌ها", EN: "projects"},
	"fieldname.action":           {FA: "اقدام", EN: "action"},
	"fieldname.narrative":        {FA: "شرح پیشرفت", EN: "narrative"},
	"fieldname.period":           {FA: "ماه گزارش", EN: "reporting month"},
	"fieldname.projected_end":    {FA: "پایان پیش‌بینی‌شده", EN: "projected end"},
	"fieldname.projected_cost":   {FA: "هزینه پیش‌بینی‌شده", EN: "projected cost"},
	"fieldname.actual_cost":      {FA: "هزینه تاکنون", EN: "cost so far"},
	"fieldname.percent":          {FA: "درصد پیشرفت", EN: "percent done"},
	"fieldname.done":             {FA: "تاریخ انجام", EN: "date done"},
	"fieldname.value":            {FA: "مقدار", EN: "value"},
	"fieldname.milestone":        {FA: "مرحله", EN: "milestone"},
	"fieldname.kpi":              {FA: "شاخص", EN: "indicator"},
	"fieldname.severity":         {FA: "شدت", EN: "severity"},
	"fieldname.resolution":       {FA: "شماره مصوبه", EN: "resolution number"},
	"fieldname.description":      {FA: "شرح اقدام", EN: "action's description"},
	"fieldname.owner":            {FA: "دستگاه مسئول", EN: "owner agency"},
	"fieldname.due":              {FA: "مهلت", EN: "due date"},
	"fieldname.kind":             {FA: "نوع", EN: "kind"},
	"fieldname.series":           {FA: "دوره جلسات", EN: "meeting series"},
	"fieldname.number":           {FA: "شماره", EN: "number"},
	"fieldname.date":             {FA: "تاریخ", EN: "date"},
	"fieldname.username":         {FA: "نام کاربری", EN: "username"},
	"fieldname.display_name":     {FA: "نام نمایشی", EN: "display name"},
	"fieldname.email":            {FA: "رایانامه", EN: "e-mail"},
	"fieldname.role":             {FA: "نقش", EN: "role"},
	"fieldname.agency":           {FA: "دستگاه", EN: "agency"},
	"fieldname.url":              {FA: "پیوند", EN: "link"},
	"fieldname.file":             {FA: "پرونده", EN: "file"},
	"fieldname.comment":          {FA: "نظر", EN: "comment"},
	"fieldname.score":            {FA: "امتیاز", EN: "score"},
	"fieldname.stage":            {FA: "مرحله تصویب", EN: "adoption stage"},
	"fieldname.reason":           {FA: "دلیل", EN: "reason"},
	"fieldname.password":         {FA: "گذرواژه", EN: "password"},
	"fieldname.new_password":     {FA: "گذرواژه تازه", EN: "new password"},
	"fieldname.current_password": {FA: "گذرواژه کنونی", EN: "current password"},
	"fieldname.start":            {FA: "تاریخ آغاز", EN: "start date"},
	"fieldname.end":              {FA: "تاریخ پایان", EN: "end date"},
	"fieldname.planned":          {FA: "تاریخ برنامه", EN: "planned date"},
	"fieldname.weight":           {FA: "وزن", EN: "weight"},
	"fieldname.cost":             {FA: "هزینه", EN: "cost"},
	"fieldname.target":           {FA: "هدف", EN: "target"},
	"fieldname.direction":        {FA: "جهت", EN: "direction"},
	"fieldname.name":             {FA: "نام", EN: "name"},
	"fieldrow.items":             {FA: "بند {0} دستور جلسه", EN: "agenda item {0}"},
	"fieldrow.risks":             {FA: "خطر {0}", EN: "risk {0}"},
	"fieldrow.milestones":        {FA: "مرحله {0}", EN: "milestone {0}"},
	"fieldrow.kpis":              {FA: "شاخص {0}", EN: "indicator {0}"},
	"fieldrow.projects":          {FA: "پروژه {0}", EN: "project {0}"},
	"fieldrow.attendees":         {FA: "حاضر {0}", EN: "attendee {0}"},
	"fieldrow.evidence":          {FA: "مدرک {0}", EN: "evidence {0}"},
}

func init() {
	for k, v := range fieldCatalog {
		if _, dup := catalog[k]; dup {
			panic("web: catalog key " + k + " defined twice")
		}
		catalog[k] = v
	}
}
