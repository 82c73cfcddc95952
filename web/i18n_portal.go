package web

import "github.com/pishran/pishran/domain"

// portalCatalog holds the strings of the public accountability pages of
// issue 14 (the fate of a list, the project and agency indexes, the
// agencies' scorecards), in both languages. It joins the catalog when the
// package loads, so TestCatalog checks it with the rest.
var portalCatalog = map[string]domain.Text{
	// the truthful statuses (point 6)
	"rag.no-baseline": {FA: "بی‌خط مبنا: برنامه مصوبی برای سنجش نیست", EN: "no baseline: no approved plan to judge against"},
	"rag.no-report":   {FA: "بی‌گزارش: هنوز گزارشی پذیرفته نشده و گزارشی از مهلت نگذشته است", EN: "no report yet: none accepted, none past its deadline"},
	"rag.silent":      {FA: "خاموش: گزارش‌های بدهکار نرسیده است", EN: "silent: owed reports missed"},

	// the fate of a list
	"fate.label":                 {FA: "سرنوشت جایگاه‌های فهرست", EN: "What became of the list's places"},
	"fate.title":                 {FA: "هر فهرست چه شد", EN: "What became of each list"},
	"fate.lead":                  {FA: "هر فهرست در یک نگاه: هر جایگاه از اندازه اعلام‌شده آن یک بار شمرده می‌شود، از روی سوابق ثبت‌شده؛ آنچه هیچ سندی نمی‌گوید «نامعلوم» می‌ماند.", EN: "Each list at a glance: every place of its declared size is counted once, from the recorded events; what no record says stays \"unknown\"."},
	"fate.caption":               {FA: "سرنوشت {0} جایگاه این فهرست", EN: "What became of this list's {0} places"},
	"fate.caption_undeclared":    {FA: "سرنوشت {0} پروژه نام‌برده این فهرست (اندازه فهرست اعلام نشده است)", EN: "What became of the {0} named projects of this list (no size declared)"},
	"fate.adds_up":               {FA: "جمع اجزا {0} است، برابر با {1} جایگاه اعلام‌شده.", EN: "The parts add up to {0}, the {1} places declared."},
	"fate.not_adding":            {FA: "جمع اجزا {0} است، نه {1} جایگاه اعلام‌شده: یکی از سوابق یا اندازه اعلام‌شده نادرست است.", EN: "The parts add up to {0}, not the {1} places declared: a record or the declared size is wrong."},
	"fate.no_declared":           {FA: "اندازه این فهرست اعلام نشده است؛ فقط پروژه‌های نام‌برده شمرده شده‌اند.", EN: "This list declares no size; only its named projects are counted."},
	"fate.of_main.one":           {FA: "{n} پروژه اصلی", EN: "{n} main project"},
	"fate.of_main.other":         {FA: "{n} پروژه اصلی", EN: "{n} main projects"},
	"fate.main_designated.one":   {FA: "{n} پروژه به‌عنوان پروژه اصلی تعیین شد.", EN: "{n} project was designated a main project."},
	"fate.main_designated.other": {FA: "{n} پروژه به‌عنوان پروژه اصلی تعیین شدند.", EN: "{n} projects were designated main projects."},
	"fate.active_at_close.one":   {FA: "هنگام بسته شدن فهرست، خروج {n} پروژه ثبت نشده بود.", EN: "When the list closed, {n} project had no departure recorded."},
	"fate.active_at_close.other": {FA: "هنگام بسته شدن فهرست، خروج {n} پروژه ثبت نشده بود.", EN: "When the list closed, {n} projects had no departure recorded."},
	"program.active_at_close":    {FA: "هنگام بسته شدن", EN: "At close"},
	"compare.kept_zero_help":     {FA: "هیچ‌یک در هر دو فهرست ثبت نشده است؛ این به معنای «هیچ‌یک نماند» نیست: سرنوشت برخی نامعلوم است", EN: "none is recorded on both lists; this does not mean none was kept: the fate of some is unknown"},
	"program.n_at_close":         {FA: "{0} هنگام بسته شدن", EN: "{0} at close"},
	"program.main_designated":    {FA: "اصلی (تعیین‌شده)", EN: "Main (as designated)"},
	"member.was_on_list":         {FA: "تا بسته شدن فهرست در آن بود؛ سرنوشتش ثبت نشده است", EN: "on the list when it closed; fate not recorded"},
}

func init() {
	for k, v := range portalCatalog {
		if _, dup := catalog[k]; dup {
			panic("web: catalog key " + k + " defined twice")
		}
		catalog[k] = v
	}
}
