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

	// navigation
	"nav.projects": {FA: "پروژه‌ها", EN: "Projects"},
	"nav.agencies": {FA: "دستگاه‌ها", EN: "Agencies"},

	// the project index
	"projects.title":               {FA: "همه پروژه‌ها", EN: "All projects"},
	"projects.lead":                {FA: "هر پروژه‌ای که ثبت شده است، با دستگاه راهبر، مرحله و وضعیت محاسبه‌شده‌اش. پروژه‌های محرمانه اینجا نمی‌آیند.", EN: "Every recorded project, with its lead agency, lifecycle and computed status. Confidential projects are not listed here."},
	"projects.filter":              {FA: "پالایش", EN: "Filter"},
	"projects.program":             {FA: "فهرست", EN: "List"},
	"projects.agency":              {FA: "دستگاه", EN: "Agency"},
	"projects.kind":                {FA: "نوع", EN: "Kind"},
	"projects.lifecycle":           {FA: "مرحله", EN: "Lifecycle"},
	"projects.status":              {FA: "وضعیت محاسبه‌شده", EN: "Computed status"},
	"projects.any":                 {FA: "همه", EN: "Any"},
	"projects.apply":               {FA: "نمایش", EN: "Show"},
	"projects.clear":               {FA: "پاک کردن پالایه‌ها", EN: "Clear the filters"},
	"projects.count.one":           {FA: "{n} پروژه", EN: "{n} project"},
	"projects.count.other":         {FA: "{n} پروژه", EN: "{n} projects"},
	"projects.page_of":             {FA: "صفحه {0} از {1}", EN: "page {0} of {1}"},
	"projects.caption":             {FA: "پروژه‌ها به ترتیب شناسه", EN: "Projects by identifier"},
	"projects.followup_not_public": {FA: "پیگیری این پروژه عمومی نیست", EN: "this project's follow-up is not public"},
	"projects.none":                {FA: "هیچ پروژه‌ای با این پالایه‌ها نیست.", EN: "No project matches these filters."},
	"projects.prev":                {FA: "صفحه قبل", EN: "Previous page"},
	"projects.next":                {FA: "صفحه بعد", EN: "Next page"},

	// the agencies and their scorecards
	"agencies.title":           {FA: "دستگاه‌ها و کارنامه‌شان", EN: "Agencies and their record"},
	"agencies.lead":            {FA: "کارنامه هر دستگاه در پروژه‌های عمومی: گزارش‌های به‌موقع، دیرکرد و نرسیده در هر دوره، اقدام‌های معوق و عمرشان، فاصله ارزیابی خود دستگاه با ارزیابی شورا، و آخرین گزارش پذیرفته‌شده.", EN: "Each agency's record on public projects: reports on time, late and missed in every period, overdue actions and their age, the gap between its own rating and the council's, and its last accepted report."},
	"agencies.scorecards":      {FA: "کارنامه دستگاه‌ها", EN: "Agencies' scorecards"},
	"agencies.download":        {FA: "دریافت کارنامه‌ها:", EN: "Download the scorecards:"},
	"agencies.sort":            {FA: "ترتیب", EN: "Order"},
	"agencies.sort_rank":       {FA: "رتبه (روش زیر)", EN: "Rank (the method below)"},
	"agencies.sort_name":       {FA: "نام", EN: "Name"},
	"agencies.sort_missed":     {FA: "بیشترین گزارش نرسیده", EN: "Most missed reports"},
	"agencies.sort_overdue":    {FA: "بیشترین اقدام معوق", EN: "Most overdue actions"},
	"agencies.apply":           {FA: "مرتب کن", EN: "Sort"},
	"agencies.ranking":         {FA: "رتبه‌بندی", EN: "Ranking"},
	"agencies.caption":         {FA: "کارنامه هر دستگاه، فقط پروژه‌های عمومی", EN: "Each agency's scorecard, public projects only"},
	"agencies.rank":            {FA: "رتبه", EN: "Rank"},
	"agencies.agency":          {FA: "دستگاه", EN: "Agency"},
	"agencies.projects":        {FA: "پروژه‌ها", EN: "Projects"},
	"agencies.leads_n":         {FA: "راهبر {0}", EN: "leads {0}"},
	"agencies.on_time":         {FA: "گزارش به‌موقع", EN: "Reports on time"},
	"agencies.percent":         {FA: "{0}٪", EN: "{0}%"},
	"agencies.due":             {FA: "دوره‌های سررسیده", EN: "Periods due"},
	"agencies.late":            {FA: "دیرکرد", EN: "Late"},
	"agencies.missed":          {FA: "نرسیده", EN: "Missed"},
	"agencies.overdue_actions": {FA: "اقدام معوق", EN: "Overdue actions"},
	"agencies.oldest_days":     {FA: "{0} روز", EN: "{0} days"},
	"agencies.divergent":       {FA: "ارزیابی ناهمسو / ارزیابی‌شده", EN: "Divergent / rated"},
	"agencies.last_accepted":   {FA: "آخرین گزارش پذیرفته‌شده", EN: "Last accepted report"},
	"agencies.nothing_due":     {FA: "هنوز دوره‌ای سررسید نشده است", EN: "nothing due yet"},
	"agencies.none_accepted":   {FA: "هیچ", EN: "none"},
	"agencies.none":            {FA: "هنوز دستگاهی ثبت نشده است.", EN: "No agency is recorded yet."},
	"agencies.method":          {FA: "روش", EN: "Method"},
	"agencies.method_scope":    {FA: "فقط پروژه‌های عمومی شمرده می‌شوند؛ پیگیری پروژه‌های محرمانه و محدود عمومی نیست. هر رقم از سوابق ثبت‌شده محاسبه می‌شود و کسی آن را وارد نمی‌کند.", EN: "Only public projects count: the follow-up of confidential and restricted projects is not public. Every figure is computed from the records; none is typed in."},
	"agencies.method_reports":  {FA: "دستگاه راهبر برای هر دوره گزارش (ماهانه یا فصلی، به خط مبنای جاری) از دوره‌ای که آغاز برنامه‌ریزی‌شده نخستین خط مبنا در آن است یک گزارش بدهکار است، با مهلت پایان دوره به‌اضافه روزهای تنفس. همه دوره‌هایی که مهلتشان گذشته است شمرده می‌شوند، نه فقط دوره بعدی: به‌موقع (گزارش پذیرفته‌شده تا مهلت رسید)، با دیرکرد (پس از مهلت) یا نرسیده (گزارش پذیرفته‌شده‌ای نیست). پروژه‌ای که دیگر در جریان نیست تا آخرین گزارش پذیرفته‌شده‌اش شمرده می‌شود.", EN: "The lead agency owes one report per reporting period (monthly or quarterly, as the current baseline says) from the period its first baseline's planned start falls in, each due at the period's end plus the grace days. Every period past its deadline counts, not only the next one: on time (an accepted report reached the secretariat by the deadline), late (after it) or missed (no accepted report). A project no longer under way counts up to its last accepted report."},
	"agencies.method_actions":  {FA: "اقدام‌های باز شورا که مالکشان دستگاه است و فقط به پروژه‌های عمومی مربوط‌اند؛ اقدامی که مهلتش پیش از امروز بوده معوق است و عمرش به روز از مهلت شمرده می‌شود.", EN: "The council's open actions the agency owns that concern public projects only; one due before today is overdue, and its age is counted in days from its due day."},
	"agencies.method_ratings":  {FA: "برای هر پروژه راهبری‌شده که هر دو ارزیابی را دارد، فاصله آخرین ارزیابی خود دستگاه با آخرین ارزیابی شورا؛ فاصله‌ای به اندازه آستانه سیاست پیگیری یا بیشتر ناهمسو است.", EN: "For each led project with both, the gap between the agency's latest self rating and the council's latest rating; a gap of the follow-up policy's threshold or more is divergent."},
	"agencies.method_rank":     {FA: "رتبه: درصد گزارش‌های به‌موقع از دوره‌های سررسیده (بیشتر بهتر؛ دستگاهی که هنوز دوره سررسیده‌ای ندارد در پایان)، سپس گزارش نرسیده کمتر، سپس اقدام معوق کمتر، سپس کد دستگاه.", EN: "Rank: the share of periods due with a report on time (higher is better; an agency with nothing due yet comes last), then fewer missed reports, then fewer overdue actions, then the agency's code."},

	// an agency's page
	"agency.code":              {FA: "کد", EN: "Code"},
	"agency.kind":              {FA: "نوع", EN: "Kind"},
	"agency.parent":            {FA: "دستگاه مادر", EN: "Parent agency"},
	"agency.record":            {FA: "کارنامه", EN: "Record"},
	"agency.record_note":       {FA: "فقط پروژه‌های عمومی.", EN: "Public projects only."},
	"agency.method_link":       {FA: "روش محاسبه", EN: "How it is computed"},
	"agency.on_time_n":         {FA: "به‌موقع", EN: "On time"},
	"agency.undated":           {FA: "پذیرفته‌شده بی‌تاریخ رسید", EN: "Accepted, day of receipt not recorded"},
	"agency.open_actions":      {FA: "اقدام باز", EN: "Open actions"},
	"agency.mean_gap":          {FA: "میانگین فاصله {0}", EN: "mean gap {0}"},
	"agency.projects":          {FA: "پروژه‌های دستگاه", EN: "The agency's projects"},
	"agency.projects_caption":  {FA: "پروژه‌های عمومی که دستگاه راهبر یا همکار آن است", EN: "Public projects the agency leads or takes part in"},
	"agency.role":              {FA: "نقش", EN: "Role"},
	"agency.missed_n.one":      {FA: "{n} گزارش نرسیده", EN: "{n} report missed"},
	"agency.missed_n.other":    {FA: "{n} گزارش نرسیده", EN: "{n} reports missed"},
	"agency.no_projects":       {FA: "این دستگاه در هیچ پروژه عمومی‌ای نیست.", EN: "This agency is on no public project."},
	"agency.missed":            {FA: "گزارش‌های نرسیده", EN: "Missed reports"},
	"agency.missed_caption":    {FA: "هر دوره‌ای که مهلتش گذشته و گزارش پذیرفته‌شده‌ای ندارد، تازه‌ترین نخست", EN: "Every period past its deadline with no accepted report, latest first"},
	"agency.period":            {FA: "دوره", EN: "Period"},
	"agency.due_day":           {FA: "مهلت", EN: "Due"},
	"agency.no_missed":         {FA: "هیچ گزارشی نرسیده نمانده است.", EN: "No report is missing."},
	"agency.by_period":         {FA: "گزارش‌ها در هر دوره", EN: "Reports by period"},
	"agency.by_period_caption": {FA: "دوره‌های سررسیده، تازه‌ترین نخست", EN: "Periods due, latest first"},
	"agency.overdue":           {FA: "اقدام‌های معوق", EN: "Overdue actions"},
	"agency.due_on":            {FA: "مهلت", EN: "due"},
	"agency.no_overdue":        {FA: "اقدام معوقی نیست.", EN: "No overdue action."},

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
