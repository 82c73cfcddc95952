package web

import "github.com/pishran/pishran/domain"

// searchCatalog holds the strings of the search page and the header's
// search box, in both languages.
var searchCatalog = map[string]domain.Text{
	"search.title":       {FA: "جست‌وجو", EN: "Search"},
	"search.lead":        {FA: "پروژه‌ها، فهرست‌ها، مصوبه‌ها، دستگاه‌ها و قانون‌ها را با واژه‌هایشان بیابید؛ «ي» و «ك» عربی، نیم‌فاصله، اعراب و رقم‌های فارسی، عربی یا لاتین فرقی نمی‌کنند.", EN: "Find projects, lists, decisions, agencies and laws by their words; Arabic letter forms, half-spaces, diacritics and Persian, Arabic or Latin digits make no difference."},
	"search.lead_staff":  {FA: "همه آنچه شما می‌توانید ببینید، از جمله گزارش‌های پیشرفت و اقدام‌ها.", EN: "Everything you may see, progress reports and actions included."},
	"search.label":       {FA: "عبارت جست‌وجو", EN: "Search for"},
	"search.box":         {FA: "جست‌وجو در پیشران", EN: "Search Pishran"},
	"search.submit":      {FA: "جست‌وجو", EN: "Search"},
	"search.hint":        {FA: "دست‌کم دو حرف یا رقم بنویسید؛ هر واژه باید در نتیجه باشد، و بخشی از آغاز واژه هم بس است.", EN: "Type at least two letters or digits; every word must be in a result, and the start of a word is enough."},
	"search.found":       {FA: "{0} نتیجه", EN: "{0} results"},
	"search.none":        {FA: "نتیجه‌ای یافت نشد.", EN: "Nothing was found."},
	"search.capped":      {FA: "بیش از {0} نتیجه", EN: "More than {0} results"},
	"search.capped_hint": {FA: "این عبارت بیش از {0} رکورد را می‌یابد؛ {0} رکورد نخست رتبه‌بندی و شمرده شده‌اند. برای نتیجه دقیق‌تر واژه‌ای بیفزایید.", EN: "These words match more than {0} records; the first {0} are ranked and counted. Add a word for a closer result."},
	"search.all":         {FA: "همه", EN: "All"},
	"search.next":        {FA: "نتیجه‌های بیشتر", EN: "More results"},

	"search.kind.project":  {FA: "پروژه", EN: "Project"},
	"search.kind.program":  {FA: "فهرست", EN: "List"},
	"search.kind.decision": {FA: "مصوبه", EN: "Decision"},
	"search.kind.agency":   {FA: "دستگاه", EN: "Agency"},
	"search.kind.law":      {FA: "قانون", EN: "Law"},
	"search.kind.report":   {FA: "گزارش پیشرفت", EN: "Progress report"},
	"search.kind.action":   {FA: "اقدام", EN: "Action"},

	"nav.search":          {FA: "جست‌وجو", EN: "Search"},
	"staffnav.search":     {FA: "جست‌وجو", EN: "Search"},
	"registry.similar":    {FA: "پروژه‌ای با همین عنوان یا عنوانی بسیار نزدیک به آن ثبت شده است:", EN: "A project with the same title, or one very close to it, is already recorded:"},
	"registry.similar_ok": {FA: "می‌دانم؛ این پروژه دیگری است و ثبت شود", EN: "I know; this is another project: record it"},
}

func init() {
	for k, v := range searchCatalog {
		if _, dup := catalog[k]; dup {
			panic("web: catalog key " + k + " defined twice")
		}
		catalog[k] = v
	}
}
