package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
)

// T returns the catalog message key in l, with {0}, {1}, … replaced by
// args (numbers written with the language's digits). An unknown key shows
// as itself in brackets, so a slip is visible, and TestCatalog fails on it
// before it ships.
func (l Lang) T(key string, args ...any) string {
	m, ok := catalog[key]
	if !ok {
		return "[" + key + "]"
	}
	s := m.In(string(l))
	for i, a := range args {
		var v string
		switch x := a.(type) {
		case int:
			v = l.Num(x)
		case int64:
			v = l.Num(int(x))
		case string:
			v = x
		case domain.Text:
			v = l.Text(x)
		default:
			v = l.Digits(fmt.Sprint(x))
		}
		s = strings.ReplaceAll(s, "{"+strconv.Itoa(i)+"}", v)
	}
	return s
}

// N is T for a count: key.one when n is 1, key.other otherwise, with {n}
// replaced by the count.
func (l Lang) N(key string, n int) string {
	suffix := ".other"
	if n == 1 {
		suffix = ".one"
	}
	return strings.ReplaceAll(l.T(key+suffix), "{n}", l.Num(n))
}

// label names an enumerated value (a lifecycle, a body, a basis, …): the
// catalog key is group.value. TestEnumLabels checks every value the domain
// defines has one.
func (l Lang) label(group string, value any) string {
	v := fmt.Sprint(value)
	if v == "" {
		return l.T("value.none")
	}
	if _, ok := catalog[group+"."+v]; !ok {
		return v
	}
	return l.T(group + "." + v)
}

// catalog holds every user-facing string of the web pages, in both
// languages. Keys are grouped by page or concern. TestCatalog fails on a key
// missing either language and on any template or Go call using a key that is
// not here.
var catalog = map[string]domain.Text{
	// site frame
	"site.name":            {FA: "پیشران", EN: "Pishran"},
	"site.tagline":         {FA: "ثبت و پیگیری پروژه‌های پیشران شورای اجرایی فناوری اطلاعات", EN: "Registry and follow-up of the IT Executive Council's driving projects"},
	"nav.label":            {FA: "پیمایش اصلی", EN: "Main navigation"},
	"nav.skip":             {FA: "پرش به محتوا", EN: "Skip to content"},
	"nav.home":             {FA: "خانه", EN: "Home"},
	"nav.compare":          {FA: "مقایسه دولت‌ها", EN: "Compare terms"},
	"nav.data":             {FA: "داده باز", EN: "Open data"},
	"nav.decisions":        {FA: "مصوبات", EN: "Decisions"},
	"decisions.title":      {FA: "مصوبات شورا", EN: "Council decisions"},
	"decisions.lead":       {FA: "مصوبات جلسه‌های برگزارشده، از تازه به کهنه. مصوبات مربوط به پروژه‌های محرمانه اینجا نیستند.", EN: "The decisions of the meetings held, newest first. Decisions about confidential projects are not listed here."},
	"decisions.feed":       {FA: "خوراک Atom مصوبات", EN: "Atom feed of the decisions"},
	"seal.code":            {FA: "کد تصدیق", EN: "Verification code"},
	"seal.qr":              {FA: "کد QR نشانی صفحه تصدیق", EN: "QR code of the verification page's address"},
	"seal.unsigned":        {FA: "هنوز امضا نشده است: با بستن جلسه امضا و منتشر می‌شود.", EN: "Not signed yet: it is signed and published when the meeting closes."},
	"seal.minutes":         {FA: "صورت‌جلسه منتشرشده", EN: "The published minutes"},
	"seal.report":          {FA: "گزارش پذیرفته‌شده منتشر و امضا شده است", EN: "The accepted report is published and signed"},
	"decisions.list":       {FA: "فهرست مصوبات", EN: "List of decisions"},
	"decisions.session":    {FA: "جلسه {0}", EN: "session {0}"},
	"decisions.resolution": {FA: "شماره مصوبه", EN: "resolution"},
	"decisions.projects":   {FA: "پروژه‌ها", EN: "Projects"},
	"decisions.none":       {FA: "هنوز مصوبه‌ای منتشر نشده است.", EN: "No decision has been published yet."},
	"lang.other":           {FA: "English", EN: "فارسی"},
	"lang.other_label":     {FA: "نمایش این صفحه به انگلیسی", EN: "Show this page in Persian"},
	"footer.about":         {FA: "هر رقم در پیشران به سندی تاریخ‌دار و منبع‌دار برمی‌گردد؛ آنچه هیچ منبعی نمی‌گوید «نامعلوم» نوشته شده است.", EN: "Every figure in Pishran traces to a dated, sourced record; what no source says is shown as “unknown”."},
	"footer.confidential":  {FA: "پروژه‌های محرمانه در این درگاه نمایش داده نمی‌شوند و فقط شمرده می‌شوند.", EN: "Confidential projects are never shown on this portal, only counted."},
	"footer.api":           {FA: "API داده‌ها", EN: "Data API"},

	// values
	"value.unknown":  {FA: "نامعلوم", EN: "unknown"},
	"value.none":     {FA: "—", EN: "—"},
	"date.unknown":   {FA: "تاریخ نامعلوم", EN: "date unknown"},
	"time.tehran":    {FA: "به وقت تهران", EN: "Tehran time"},
	"funnel.arrow":   {FA: "←", EN: "→"},
	"list.separator": {FA: "، ", EN: ", "},
	"list.semicolon": {FA: "؛ ", EN: "; "},
	"unit.percent":   {FA: "{0}٪", EN: "{0}%"},

	// counts
	"confidential.not_listed.one":   {FA: "{n} پروژه محرمانه فهرست نشده", EN: "{n} confidential project not listed"},
	"confidential.not_listed.other": {FA: "{n} پروژه محرمانه فهرست نشده", EN: "{n} confidential projects not listed"},

	// home
	"home.title":            {FA: "پروژه‌های پیشران دولت", EN: "The government's driving projects"},
	"home.lead":             {FA: "فهرست‌های پروژه‌های چنددستگاهی که شورای اجرایی فناوری اطلاعات برای هر دولت تعیین کرده است: چگونه تصویب شدند، کدام پروژه‌ها وارد و کدام خارج شدند و چرا.", EN: "The lists of multi-agency projects the IT Executive Council designated for each government: how they were adopted, which projects entered and left, and why."},
	"home.compare_cta":      {FA: "مقایسه فهرست {0} و {1}", EN: "Compare the lists of the {0} and the {1}"},
	"home.programs":         {FA: "فهرست‌ها", EN: "Lists"},
	"home.programs_caption": {FA: "فهرست‌های پروژه‌های پیشران، اندازه اعلام‌شده و شمار پروژه‌های نام‌برده", EN: "Lists of driving projects, their declared size and how many are named"},
	"home.active":           {FA: "فهرست جاری", EN: "Current list"},
	"home.active_caption":   {FA: "پروژه‌های فعال این فهرست و وضعیتشان", EN: "This list's active projects and their status"},
	"home.all_projects":     {FA: "همه پروژه‌های این فهرست", EN: "All projects of this list"},
	"home.showing":          {FA: "{0} پروژه نخست از {1} پروژه فعال", EN: "the first {0} of {1} active projects"},
	"home.no_programs":      {FA: "هنوز فهرستی ثبت نشده است.", EN: "No list is recorded yet."},
	"home.no_members":       {FA: "هیچ پروژه فعالی از این فهرست با نام ثبت نشده است.", EN: "No active project of this list is recorded by name."},
	"home.status_note":      {FA: "«وضعیت ثبت‌شده» مرحله‌ای از چرخه عمر پروژه است که در سوابق آمده؛ «وضعیت تحویل» از گزارش‌های پذیرفته‌شده محاسبه می‌شود.", EN: "“Recorded status” is the project's lifecycle stage as recorded; “delivery status” is computed from accepted reports."},

	// program
	"program.title":            {FA: "فهرست", EN: "List"},
	"program.term":             {FA: "دولت", EN: "Government"},
	"program.term_n":           {FA: "دولت {0}", EN: "Government {0}"},
	"program.kind":             {FA: "نوع", EN: "Kind"},
	"program.status":           {FA: "وضعیت فهرست", EN: "List status"},
	"program.adopted":          {FA: "تاریخ تصویب", EN: "Adopted on"},
	"program.declared":         {FA: "اندازه اعلام‌شده", EN: "Declared size"},
	"program.named":            {FA: "نام‌برده", EN: "Named"},
	"program.active":           {FA: "فعال", EN: "Active"},
	"program.main":             {FA: "اصلی", EN: "Main"},
	"program.funnel":           {FA: "مراحل تصویب", EN: "Adoption funnel"},
	"program.funnel_caption":   {FA: "شمار پروژه‌ها در هر مرحله تصویب و اینکه از کجا معلوم است", EN: "How many projects each adoption stage had, and how that is known"},
	"program.no_stages":        {FA: "هیچ مرحله تصویبی ثبت نشده است.", EN: "No adoption stage is recorded."},
	"program.completeness":     {FA: "کامل بودن", EN: "Completeness"},
	"program.declared_named":   {FA: "{0} اعلام‌شده، {1} نام‌برده", EN: "declared {0}, {1} named"},
	"program.undeclared_named": {FA: "اندازه اعلام نشده؛ {0} نام‌برده", EN: "size not declared; {0} named"},
	"program.unnamed":          {FA: "نام {0} پروژه در هیچ منبعی یافت نشد", EN: "{0} not known by name from any source"},
	"program.members":          {FA: "پروژه‌های فهرست", EN: "Projects of the list"},
	"program.members_caption":  {FA: "همه پروژه‌هایی که وارد این فهرست شدند، با تاریخ ورود و خروج", EN: "Every project that entered this list, with when it entered and left"},
	"program.no_members":       {FA: "هیچ پروژه‌ای از این فهرست با نام ثبت نشده است.", EN: "No project of this list is recorded by name."},
	"program.next_page":        {FA: "صفحه بعد", EN: "Next page"},
	"program.first_page":       {FA: "صفحه نخست", EN: "First page"},
	"program.sources":          {FA: "منابع", EN: "Sources"},
	"program.source_notes":     {FA: "یادداشت منابع", EN: "Notes on the sources"},

	"stage.body":       {FA: "مرجع", EN: "Body"},
	"stage.date":       {FA: "تاریخ", EN: "Date"},
	"stage.resolution": {FA: "مصوبه", EN: "Resolution"},
	"stage.size":       {FA: "شمار پروژه‌ها", EN: "Projects"},
	"stage.basis":      {FA: "مبنای شمار", EN: "Basis of the count"},
	"stage.note":       {FA: "یادداشت", EN: "Note"},

	"member.project":    {FA: "پروژه", EN: "Project"},
	"member.lead":       {FA: "دستگاه راهبر", EN: "Lead agency"},
	"member.main":       {FA: "اصلی", EN: "Main"},
	"member.main_badge": {FA: "پروژه اصلی", EN: "main project"},
	"member.stage":      {FA: "مرحله ورود", EN: "Entered at"},
	"member.entered":    {FA: "ورود", EN: "Entered"},
	"member.standing":   {FA: "وضعیت عضویت", EN: "Standing"},
	"member.is_active":  {FA: "در فهرست", EN: "on the list"},
	"member.has_left":   {FA: "خارج شده", EN: "left"},
	"member.reason":     {FA: "دلیل خروج", EN: "Reason for leaving"},
	"member.successor":  {FA: "جانشین", EN: "Successor"},
	"member.note":       {FA: "یادداشت", EN: "Note"},
	"member.lifecycle":  {FA: "وضعیت ثبت‌شده (چرخه عمر)", EN: "Recorded status (lifecycle)"},
	"member.health":     {FA: "وضعیت تحویل (محاسبه‌شده)", EN: "Delivery status (computed)"},
	"member.program":    {FA: "فهرست", EN: "List"},

	// project
	"project.kind":                {FA: "نوع", EN: "Kind"},
	"project.lifecycle":           {FA: "وضعیت ثبت‌شده", EN: "Recorded status"},
	"project.summary":             {FA: "خلاصه", EN: "Summary"},
	"project.scope":               {FA: "دامنه", EN: "Scope"},
	"project.agencies":            {FA: "دستگاه‌های مسئول و همکار", EN: "Responsible and participating agencies"},
	"project.no_agencies":         {FA: "هیچ دستگاهی برای این پروژه ثبت نشده است؛ منابع در دسترس آن را نمی‌گویند.", EN: "No agency is recorded for this project; the sources reached do not say."},
	"project.mandates":            {FA: "پشتوانه قانونی", EN: "Legal mandate"},
	"project.no_mandates":         {FA: "هیچ پشتوانه قانونی برای این پروژه ثبت نشده است.", EN: "No legal mandate is recorded for this project."},
	"project.article":             {FA: "ماده", EN: "Article"},
	"project.deliverables":        {FA: "دستاوردها", EN: "Deliverables"},
	"project.no_deliverables":     {FA: "هیچ دستاوردی برای این پروژه ثبت نشده است.", EN: "No deliverable is recorded for this project."},
	"project.deliverable":         {FA: "دستاورد", EN: "Deliverable"},
	"project.indicator":           {FA: "شاخص", EN: "Indicator"},
	"project.target":              {FA: "هدف", EN: "Target"},
	"project.due":                 {FA: "موعد", EN: "Due"},
	"project.dependencies":        {FA: "وابستگی‌ها", EN: "Dependencies"},
	"project.no_dependencies":     {FA: "این پروژه به زیرساخت ثبت‌شده‌ای وابسته نیست.", EN: "This project depends on no recorded infrastructure."},
	"project.capabilities":        {FA: "قابلیت‌ها", EN: "Capabilities"},
	"project.lineage":             {FA: "پیشینه و جانشینی", EN: "Lineage"},
	"project.no_lineage":          {FA: "هیچ پیشین یا جانشینی برای این پروژه ثبت نشده است.", EN: "No predecessor or successor is recorded for this project."},
	"project.predecessors":        {FA: "پیشین‌ها", EN: "Predecessors"},
	"project.successors":          {FA: "جانشین‌ها", EN: "Successors"},
	"project.memberships":         {FA: "عضویت در فهرست‌ها", EN: "Membership in lists"},
	"project.no_memberships":      {FA: "این پروژه در هیچ فهرستی ثبت نشده است.", EN: "This project is on no list."},
	"project.memberships_caption": {FA: "فهرست‌هایی که این پروژه وارد آن‌ها شد", EN: "The lists this project entered"},
	"project.followup":            {FA: "پیگیری", EN: "Follow-up"},
	"project.last_report":         {FA: "تاریخ آخرین گزارش پذیرفته‌شده", EN: "Last accepted report"},
	"project.not_reported":        {FA: "هنوز گزارشی نیامده", EN: "not yet reported"},
	"project.milestones":          {FA: "گام‌ها", EN: "Milestones"},
	"project.no_milestones":       {FA: "هنوز گامی ثبت نشده است.", EN: "No milestone is recorded yet."},
	"project.milestone":           {FA: "گام", EN: "Milestone"},
	"project.planned":             {FA: "برنامه", EN: "Planned"},
	"project.actual":              {FA: "انجام", EN: "Done"},
	"project.decisions":           {FA: "مصوبات", EN: "Decisions"},
	"project.no_decisions":        {FA: "هنوز مصوبه‌ای درباره این پروژه ثبت نشده است.", EN: "No decision on this project is recorded yet."},
	"project.ratings":             {FA: "سابقه ارزیابی", EN: "Rating history"},
	"project.no_ratings":          {FA: "هنوز ارزیابی‌ای ثبت نشده است.", EN: "No rating is recorded yet."},
	"project.rating":              {FA: "ارزیابی", EN: "Rating"},
	"project.hidden_links.one":    {FA: "{n} پیوند به پروژه‌ای محرمانه نشان داده نشده", EN: "{n} link to a confidential project not shown"},
	"project.hidden_links.other":  {FA: "{n} پیوند به پروژه‌های محرمانه نشان داده نشده", EN: "{n} links to confidential projects not shown"},
	"project.sheet":               {FA: "برگه پروژه", EN: "Project sheet"},
	"project.print":               {FA: "برای چاپ برگه پروژه از فرمان چاپ مرورگر استفاده کنید.", EN: "Use the browser's print command to print this project sheet."},

	"sources.none":       {FA: "منبعی ثبت نشده است.", EN: "No source is recorded."},
	"sources.confidence": {FA: "اطمینان: {0}", EN: "confidence: {0}"},

	// compare
	"compare.title":          {FA: "مقایسه فهرست دو دولت", EN: "Comparing two governments' lists"},
	"compare.lead":           {FA: "کدام پروژه‌ها ماندند، کدام افزوده شدند، کدام حذف شدند و چرا، و کدام به پروژه‌ای تازه تبدیل شدند.", EN: "Which projects stayed, which were added, which were removed and why, and which evolved into new ones."},
	"compare.form":           {FA: "انتخاب فهرست‌ها", EN: "Choose the lists"},
	"compare.from":           {FA: "از فهرست", EN: "From list"},
	"compare.to":             {FA: "به فهرست", EN: "To list"},
	"compare.submit":         {FA: "مقایسه کن", EN: "Compare"},
	"compare.need_two":       {FA: "برای مقایسه دست‌کم دو فهرست عمومی لازم است.", EN: "At least two public lists are needed for a comparison."},
	"compare.narrative":      {FA: "خلاصه", EN: "Summary"},
	"compare.counts":         {FA: "شمارش‌ها", EN: "Counts"},
	"compare.counts_caption": {FA: "شمار پروژه‌ها در هر دسته مقایسه", EN: "Number of projects in each category of the comparison"},
	"compare.category":       {FA: "دسته", EN: "Category"},
	"compare.count":          {FA: "شمار", EN: "Count"},
	"compare.chart_label":    {FA: "نمودار میله‌ای شمار پروژه‌ها در هر دسته؛ همان ارقام جدول شمارش‌ها", EN: "Bar chart of the number of projects in each category; the same figures as the counts table"},
	"compare.kept":           {FA: "ماندند", EN: "Kept"},
	"compare.added":          {FA: "افزوده شدند", EN: "Added"},
	"compare.removed":        {FA: "حذف شدند", EN: "Removed"},
	"compare.evolved":        {FA: "تکامل یافتند", EN: "Evolved"},
	"compare.unknown":        {FA: "سرنوشت نامعلوم", EN: "Fate unknown"},
	"compare.kept_help":      {FA: "در هر دو فهرست", EN: "on both lists"},
	"compare.added_help":     {FA: "فقط در فهرست دوم", EN: "only on the second list"},
	"compare.removed_help":   {FA: "از فهرست نخست خارج شدند، با دلیل ثبت‌شده", EN: "left the first list, with a recorded reason"},
	"compare.evolved_help":   {FA: "به پروژه‌ای در فهرست دوم تبدیل شدند", EN: "became a project of the second list"},
	"compare.unknown_help":   {FA: "در فهرست دوم نیستند و خروجشان ثبت نشده است", EN: "not on the second list, with no recorded departure"},
	"compare.none":           {FA: "هیچ", EN: "none"},
	"compare.main_before":    {FA: "اصلی در فهرست نخست", EN: "main in the first list"},
	"compare.main_after":     {FA: "اصلی در فهرست دوم", EN: "main in the second list"},
	"compare.completeness":   {FA: "کامل بودن سوابق", EN: "How complete the records are"},
	"compare.complete":       {FA: "هر دو فهرست کامل با نام ثبت شده‌اند.", EN: "Both lists are recorded in full, by name."},
	"compare.incomplete":     {FA: "سوابق کامل نیست: هر شمار بالا فقط پروژه‌های نام‌برده را می‌شمارد.", EN: "The records are incomplete: every count above counts only the projects known by name."},
	"compare.chart_title":    {FA: "شمار پروژه‌ها", EN: "Projects"},

	// open data
	"data.title":                   {FA: "داده باز", EN: "Open data"},
	"data.lead":                    {FA: "داده‌های عمومی پیشران برای بارگیری، با قالب‌های CSV، JSON و XLSX. هر پرونده زمان «به‌روز تا» خود را دارد و پروژه‌های محرمانه در آن نیستند.", EN: "Pishran's public data to download as CSV, JSON and XLSX. Every file carries the time it is “as of”, and no confidential project is in any of them."},
	"data.dataset":                 {FA: "مجموعه داده", EN: "Dataset"},
	"data.formats":                 {FA: "بارگیری", EN: "Download"},
	"data.as_of_note":              {FA: "هر پرونده زمان خوانده شدن داده‌ها را دارد: در CSV و XLSX ستون as_of در هر ردیف (و برگه about در XLSX)، در JSON فیلد as_of، و در سرآیند HTTP با نام Last-Modified.", EN: "Every file says when its data were read: the as_of column on every CSV and XLSX row (and the about sheet of the XLSX), the as_of field of the JSON, and the HTTP Last-Modified header."},
	"data.caption":                 {FA: "مجموعه‌های داده باز و قالب‌های بارگیری", EN: "Open datasets and download formats"},
	"data.dictionary":              {FA: "فرهنگ داده", EN: "Data dictionary"},
	"data.dictionary_lead":         {FA: "معنای هر ستون هر مجموعه داده، به دو زبان.", EN: "What every column of every dataset means, in both languages."},
	"data.csv_safety_title":        {FA: "ایمنی پرونده‌ها در صفحه‌گسترده", EN: "Safe to open in a spreadsheet"},
	"data.csv_safety":              {FA: "صفحه‌گسترده‌ها خانه‌ای را که با = یا + یا - یا @ (یا با نویسه جهش یا سطر نو) آغاز شود فرمول می‌خوانند. در پرونده‌های CSV چنین خانه‌ای با یک نویسه ' (آپوستروف) در آغازش نوشته می‌شود تا همان متنی که هست نمایش داده شود؛ برای خواندن مقدار اصلی، آن ' آغازین را بردارید. عددهای واقعی (مانند -۵ یا ۲٫۵) دست نمی‌خورند. در پرونده‌های XLSX هر خانه متن یا عدد است و هیچ فرمولی نیست؛ JSON همان مقدار اصلی را دارد.", EN: "Spreadsheets read a cell that begins with =, +, - or @ (or with a tab or a line break) as a formula. In the CSV files such a cell is written with a single quote (') in front, so that it shows as the text it is; to get the original value, remove that leading quote. True numbers (such as -5 or 2.5) are left as they are. In the XLSX files every cell is a text or a number, never a formula; the JSON files hold the original values."},
	"data.dictionary_csv":          {FA: "فرهنگ داده به‌صورت CSV", EN: "The data dictionary as CSV"},
	"data.column":                  {FA: "ستون", EN: "Column"},
	"data.type":                    {FA: "نوع", EN: "Type"},
	"data.meaning_fa":              {FA: "معنا (فارسی)", EN: "Meaning (Persian)"},
	"data.meaning_en":              {FA: "معنا (انگلیسی)", EN: "Meaning (English)"},
	"data.confidential_note.one":   {FA: "پروژه‌های محرمانه در هیچ پرونده‌ای نیستند و فقط شمرده می‌شوند: اکنون {n} پروژه محرمانه در فهرست‌ها نام برده شده که در پرونده‌ها نیامده است (پروژه‌ای که در دو فهرست باشد دو بار شمرده می‌شود).", EN: "Confidential projects are in no file, only counted: {n} confidential project is named on the lists and left out of the files (one on two lists counts twice)."},
	"data.confidential_note.other": {FA: "پروژه‌های محرمانه در هیچ پرونده‌ای نیستند و فقط شمرده می‌شوند: اکنون {n} پروژه محرمانه در فهرست‌ها نام برده شده که در پرونده‌ها نیامده است (پروژه‌ای که در دو فهرست باشد دو بار شمرده می‌شود).", EN: "Confidential projects are in no file, only counted: {n} confidential projects are named on the lists and left out of the files (one on two lists counts twice)."},
	"data.encoding":                {FA: "پرونده‌های CSV با UTF-8 و نشانه BOM ذخیره شده‌اند تا Excel حروف فارسی را درست نشان دهد. تاریخ‌ها ISO هستند و در ستون‌های جداگانه به تقویم جلالی هم آمده‌اند.", EN: "CSV files are UTF-8 with a byte-order mark so that Excel shows Persian correctly. Dates are ISO, with the Jalali form in separate columns."},
	"data.license":                 {FA: "هر ردیف منبع خود را در سامانه دارد؛ در استفاده، پیشران و منابع اصلی را ذکر کنید.", EN: "Every row has its sources in the registry; cite Pishran and the original sources when you use it."},

	"dataset.programs":    {FA: "فهرست‌ها", EN: "Lists (programs)"},
	"dataset.projects":    {FA: "پروژه‌ها", EN: "Projects"},
	"dataset.memberships": {FA: "عضویت‌ها", EN: "Memberships"},
	"dataset.decisions":   {FA: "مصوبات", EN: "Decisions"},
	"dataset.ratings":     {FA: "ارزیابی‌ها", EN: "Ratings"},
	"dataset.checkpoints": {FA: "نقاط وارسی امضاشده سیاهه ممیزی", EN: "Signed audit checkpoints"},

	// errors
	"error.404.title": {FA: "صفحه پیدا نشد", EN: "Page not found"},
	"error.404.text":  {FA: "چنین صفحه‌ای در پیشران نیست، یا آنچه می‌جویید عمومی نیست.", EN: "There is no such page in Pishran, or what you are looking for is not public."},
	"error.400.title": {FA: "درخواست نادرست", EN: "Bad request"},
	"error.400.text":  {FA: "نشانی یا پارامترهای درخواست درست نیست.", EN: "The address or its parameters are not right."},
	"error.405.title": {FA: "روش پذیرفته نیست", EN: "Method not allowed"},
	"error.405.text":  {FA: "این صفحه فقط خواندنی است.", EN: "This page can only be read."},
	"error.503.title": {FA: "اینجا فقط خواندنی است", EN: "Read-only here"},
	"error.503.text":  {FA: "این نمونه پیشران رونوشت فقط‌خواندنی درگاه عمومی است. کارکنان در نشانی اصلی پیشران وارد می‌شوند.", EN: "This Pishran instance is the public portal's read-only replica. Staff sign in at Pishran's main address."},
	"error.500.title": {FA: "خطای سامانه", EN: "Server error"},
	"error.500.text":  {FA: "مشکلی در سامانه پیش آمد. لطفاً کمی بعد دوباره بکوشید.", EN: "Something went wrong on our side. Please try again shortly."},
	"error.code":      {FA: "خطای {0}", EN: "Error {0}"},
	"error.home":      {FA: "بازگشت به خانه", EN: "Back to the home page"},
	"error.detail":    {FA: "جزئیات: {0}", EN: "Details: {0}"},

	// enumerated values
	"lifecycle.proposed":    {FA: "پیشنهادی", EN: "proposed"},
	"lifecycle.designated":  {FA: "تعیین‌شده", EN: "designated"},
	"lifecycle.in-progress": {FA: "در حال اجرا", EN: "in progress"},
	"lifecycle.implemented": {FA: "اجرا شده", EN: "implemented"},
	"lifecycle.suspended":   {FA: "متوقف", EN: "suspended"},
	"lifecycle.withdrawn":   {FA: "کنارگذاشته", EN: "withdrawn"},

	"rag.green":   {FA: "سبز: طبق برنامه", EN: "green: on track"},
	"rag.amber":   {FA: "زرد: نیازمند توجه", EN: "amber: needs attention"},
	"rag.red":     {FA: "قرمز: در خطر", EN: "red: at risk"},
	"rag.unknown": {FA: "نامعلوم: گزارش پذیرفته‌شده پیش‌بینی ندارد", EN: "unknown: the accepted report gives no projection"},
	"rag.none":    {FA: "هنوز محاسبه نشده", EN: "not computed yet"},
	"rag.stale":   {FA: "گزارش عقب افتاده", EN: "report overdue"},

	"body.steering-committee": {FA: "کمیته راهبری", EN: "Steering committee"},
	"body.council":            {FA: "شورای اجرایی فناوری اطلاعات", EN: "IT Executive Council"},
	"body.government-board":   {FA: "هیئت دولت", EN: "Government board (Cabinet)"},

	"basis.records": {FA: "از سوابق ثبت‌شده", EN: "from records"},
	"basis.sourced": {FA: "از یک منبع", EN: "from a source"},
	"basis.unknown": {FA: "نامعلوم", EN: "unknown"},

	"programstatus.draft":   {FA: "پیش‌نویس", EN: "draft"},
	"programstatus.adopted": {FA: "مصوب و جاری", EN: "adopted"},
	"programstatus.closed":  {FA: "بسته", EN: "closed"},

	"programkind.e-government-priority":    {FA: "اولویت‌های دولت الکترونیک", EN: "e-government priorities"},
	"programkind.smart-government-driving": {FA: "پیشران‌های دولت هوشمند", EN: "smart-government driving projects"},
	"programkind.other":                    {FA: "دیگر", EN: "other"},

	"visibility.public":     {FA: "عمومی", EN: "public"},
	"visibility.restricted": {FA: "محدود", EN: "restricted"},

	"projectkind.service":        {FA: "خدمت", EN: "service"},
	"projectkind.infrastructure": {FA: "زیرساخت", EN: "infrastructure"},

	"role.lead":        {FA: "راهبر", EN: "lead"},
	"role.participant": {FA: "همکار", EN: "participant"},

	"lineage.evolved":  {FA: "تکامل", EN: "evolved"},
	"lineage.renamed":  {FA: "تغییر نام", EN: "renamed"},
	"lineage.replaced": {FA: "جایگزینی", EN: "replaced"},
	"lineage.merged":   {FA: "ادغام", EN: "merged"},

	"confidence.high":   {FA: "زیاد", EN: "high"},
	"confidence.medium": {FA: "متوسط", EN: "medium"},
	"confidence.low":    {FA: "کم", EN: "low"},
}
