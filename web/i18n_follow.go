package web

import "github.com/pishran/pishran/domain"

// followCatalog holds the strings of the public follow-through pages — the
// actions, the meetings, a project's timeline — and of the open data's
// follow-up files, in both languages. It joins the catalog when the
// package loads, so TestCatalog checks it with the rest.
var followCatalog = map[string]domain.Text{
	"nav.actions":  {FA: "اقدام‌ها", EN: "Actions"},
	"nav.meetings": {FA: "جلسه‌ها", EN: "Meetings"},

	// actions
	"pubactions.title":       {FA: "پیگیری مصوبات: اقدام‌ها", EN: "Follow-through: the council's actions"},
	"pubactions.lead":        {FA: "هر اقدام کاری است که شورا در جلسه‌ای به دستگاهی سپرده است، با مهلت. اینجا سرگذشت هر اقدام درباره پروژه‌های عمومی آمده است: جلسه‌ای که آن را تعیین کرد، هر تمدید مهلت با دلیلش، و بسته شدنش. اقدام‌های مربوط به پروژه‌های محرمانه یا غیرعمومی اینجا نیستند.", EN: "An action is a task the council gave an agency at a meeting, with a due date. Here is the history of every action about public projects: the meeting that set it, every re-dating with its reason, and its closing. Actions about confidential or non-public projects are not here."},
	"pubactions.filter":      {FA: "پالایش اقدام‌ها", EN: "Filter the actions"},
	"pubactions.agency":      {FA: "دستگاه مسئول", EN: "Owner agency"},
	"pubactions.any_agency":  {FA: "همه دستگاه‌ها", EN: "All agencies"},
	"pubactions.status":      {FA: "وضعیت", EN: "Status"},
	"pubactions.any_status":  {FA: "همه", EN: "All"},
	"pubactions.apply":       {FA: "نمایش", EN: "Show"},
	"pubactions.count":       {FA: "{0} اقدام؛ صفحه {1} از {2}", EN: "{0} actions; page {1} of {2}"},
	"pubactions.none":        {FA: "اقدامی با این پالایش نیست.", EN: "No action matches this filter."},
	"pubactions.json":        {FA: "همین فهرست به JSON", EN: "This list as JSON"},
	"pubactions.data":        {FA: "همه اقدام‌ها در داده باز (CSV، JSON، XLSX)", EN: "All actions in the open data (CSV, JSON, XLSX)"},
	"pubactions.prev":        {FA: "صفحه قبل", EN: "Previous page"},
	"pubactions.next":        {FA: "صفحه بعد", EN: "Next page"},
	"pubactions.bad_page":    {FA: "شماره صفحه نامعتبر است", EN: "the page number is not valid"},
	"pubactions.for_project": {FA: "اقدام‌های پروژه «{0}»", EN: "Actions about “{0}”"},
	"pubactions.all":         {FA: "همه اقدام‌ها", EN: "All actions"},
	"actstatus.open":         {FA: "باز", EN: "open"},
	"actstatus.overdue":      {FA: "معوق", EN: "overdue"},
	"actstatus.closed":       {FA: "بسته", EN: "closed"},
	"pubaction.owner":        {FA: "مسئول", EN: "Owner"},
	"pubaction.decided":      {FA: "تعیین در جلسه", EN: "Set at meeting"},
	"pubaction.due":          {FA: "مهلت", EN: "Due"},
	"pubaction.projects":     {FA: "درباره", EN: "About"},
	"pubaction.overdue_days": {FA: "{0} روز از مهلت گذشته", EN: "{0} days overdue"},
	"pubaction.open":         {FA: "باز", EN: "open"},
	"pubaction.closed_on":    {FA: "بسته شد در {0}", EN: "closed on {0}"},
	"pubaction.redates":      {FA: "{0} بار تمدید", EN: "re-dated {0} times"},
	"pubaction.history":      {FA: "سرگذشت اقدام", EN: "The action's history"},
	"pubaction.ev_created":   {FA: "تعیین شد", EN: "set"},
	"pubaction.ev_redated":   {FA: "مهلت از {0} به {1} تمدید شد", EN: "due date moved from {0} to {1}"},
	"pubaction.ev_discussed": {FA: "بررسی شد", EN: "discussed"},
	"pubaction.ev_closed":    {FA: "بسته شد", EN: "closed"},
	"pubaction.reason":       {FA: "دلیل", EN: "Reason"},
	"pubaction.at_meeting":   {FA: "در جلسه", EN: "at meeting"},
	"pubaction.on_project":   {FA: "اقدام‌های شورا درباره این پروژه", EN: "The council's actions about this project"},
	"pubaction.none_project": {FA: "شورا اقدامی درباره این پروژه تعیین نکرده است (یا اقدام‌ها پروژه‌ای غیرعمومی را هم در بر دارند).", EN: "The council has set no action about this project (or its actions also concern a non-public project)."},
	"pubaction.all_project":  {FA: "همه اقدام‌های این پروژه", EN: "All actions about this project"},
	"project.timeline":       {FA: "گاه‌شمار پروژه", EN: "The project's timeline"},
	"project.timeline_cta":   {FA: "گاه‌شمار کامل پروژه: ورود و خروج، خط مبنا، نقاط عطف، گزارش‌ها، ارزیابی‌ها، مصوبات و اقدام‌ها", EN: "The project's full timeline: lists, baselines, milestones, reports, ratings, decisions and actions"},

	// meetings
	"pubmeetings.title":       {FA: "جلسه‌های برگزارشده", EN: "Meetings held"},
	"pubmeetings.lead":        {FA: "جلسه‌های برگزارشده شورا و کمیته‌هایش، تازه‌ترین در آغاز. صورت‌جلسه هر جلسه پس از بسته شدن امضا و منتشر می‌شود؛ آنچه درباره پروژه‌های محرمانه یا غیرعمومی است در صورت‌جلسه عمومی نیست.", EN: "The meetings the council and its committees held, newest first. A meeting's minutes are signed and published once it closes; what concerns confidential or non-public projects is not in the public minutes."},
	"pubmeetings.series":      {FA: "دوره", EN: "Series"},
	"pubmeetings.any_series":  {FA: "همه دوره‌ها", EN: "All series"},
	"pubmeetings.count":       {FA: "{0} جلسه؛ صفحه {1} از {2}", EN: "{0} meetings; page {1} of {2}"},
	"pubmeetings.none":        {FA: "هنوز جلسه‌ای برگزار نشده است.", EN: "No meeting has been held yet."},
	"pubmeetings.date":        {FA: "تاریخ", EN: "Date"},
	"pubmeetings.meeting":     {FA: "جلسه", EN: "Meeting"},
	"pubmeetings.minutes":     {FA: "صورت‌جلسه", EN: "Minutes"},
	"pubmeetings.published":   {FA: "منتشرشده", EN: "published"},
	"pubmeetings.unpublished": {FA: "هنوز منتشر نشده", EN: "not published yet"},
	"pubmeetings.caption":     {FA: "جلسه‌های برگزارشده، تازه‌ترین در آغاز", EN: "Meetings held, newest first"},
	"pubmeeting.session":      {FA: "{0}، جلسه {1}", EN: "{0}, session {1}"},
	"pubmeeting.held_on":      {FA: "برگزارشده در:", EN: "Held on:"},
	"pubmeeting.minutes_html": {FA: "صورت‌جلسه منتشرشده (HTML)", EN: "The published minutes (HTML)"},
	"pubmeeting.minutes_fa":   {FA: "صورت‌جلسه فارسی", EN: "Persian minutes"},
	"pubmeeting.minutes_en":   {FA: "صورت‌جلسه انگلیسی", EN: "English minutes"},
	"pubmeeting.minutes_md":   {FA: "صورت‌جلسه به Markdown", EN: "The minutes as Markdown"},
	"pubmeeting.seal":         {FA: "امضای صورت‌جلسه", EN: "The minutes' signature"},
	"pubmeeting.not_closed":   {FA: "این جلسه برگزار شده اما هنوز بسته نشده است: صورت‌جلسه و مصوباتش پس از بسته شدن امضا و منتشر می‌شوند.", EN: "This meeting was held but is not closed yet: its minutes and decisions are signed and published once it closes."},
	"pubmeeting.decisions":    {FA: "مصوبات", EN: "Decisions"},
	"pubmeeting.no_decisions": {FA: "مصوبه عمومی‌ای در این جلسه نیست.", EN: "This meeting made no public decision."},
	"pubmeeting.actions":      {FA: "اقدام‌های تعیین‌شده در این جلسه", EN: "Actions set at this meeting"},
	"pubmeeting.no_actions":   {FA: "اقدام عمومی‌ای در این جلسه تعیین نشد.", EN: "No public action was set at this meeting."},
	"pubmeeting.followups":    {FA: "پیگیری اقدام‌های جلسه‌های پیشین", EN: "Follow-up of earlier meetings' actions"},
	"pubmeeting.back":         {FA: "همه جلسه‌ها", EN: "All meetings"},

	// timeline
	"timeline.title":        {FA: "گاه‌شمار «{0}»", EN: "Timeline of “{0}”"},
	"timeline.lead":         {FA: "هر رویداد ثبت‌شده این پروژه به ترتیب تاریخ: ورود به فهرست‌ها و خروج، خط مبنا، نقاط عطف، گزارش‌های پذیرفته یا برگشت‌خورده، ارزیابی‌ها، مصوبات شورا و اقدام‌ها با تمدیدهایشان.", EN: "Every recorded event of this project in date order: entering and leaving lists, baselines, milestones, reports accepted or returned, ratings, council decisions and actions with their re-dating."},
	"timeline.as_of":        {FA: "تا امروز:", EN: "As of today:"},
	"timeline.back":         {FA: "بازگشت به برگه پروژه", EN: "Back to the project sheet"},
	"timeline.none":         {FA: "هنوز رویدادی برای این پروژه ثبت نشده است.", EN: "No event of this project is recorded yet."},
	"timeline.no_followup":  {FA: "پیگیری این پروژه عمومی نیست؛ فقط ورود و خروجش از فهرست‌ها آمده است.", EN: "This project's follow-up is not public; only its entering and leaving lists are shown."},
	"timeline.print":        {FA: "این صفحه برای چاپ آماده است.", EN: "This page is ready to print."},
	"timeline.caption":      {FA: "رویدادهای پروژه به ترتیب تاریخ", EN: "The project's events in date order"},
	"timeline.date":         {FA: "تاریخ", EN: "Date"},
	"timeline.event":        {FA: "رویداد", EN: "Event"},
	"timeline.entered":      {FA: "ورود به فهرست «{0}»", EN: "Entered the list “{0}”"},
	"timeline.entered_main": {FA: "(پروژه اصلی)", EN: "(main project)"},
	"timeline.stage":        {FA: "مرحله: {0}", EN: "stage: {0}"},
	"timeline.left":         {FA: "خروج از فهرست «{0}»", EN: "Left the list “{0}”"},
	"timeline.successor":    {FA: "جانشین", EN: "succeeded by"},
	"timeline.baseline":     {FA: "خط مبنای {0} تصویب شد: {1} تا {2}، {3} ریال", EN: "Baseline {0} approved: {1} to {2}, {3} rials"},
	"timeline.ms_due":       {FA: "موعد نقطه عطف «{0}»", EN: "Milestone “{0}” due"},
	"timeline.ms_missed":    {FA: "انجام‌نشده", EN: "not done"},
	"timeline.ms_done":      {FA: "نقطه عطف «{0}» انجام شد", EN: "Milestone “{0}” done"},
	"timeline.accepted":     {FA: "گزارش {0} پذیرفته شد", EN: "Report for {0} accepted"},
	"timeline.returned":     {FA: "گزارش {0} برای اصلاح برگشت خورد", EN: "Report for {0} returned for correction"},
	"timeline.rating":       {FA: "{0}: {1} از ۵", EN: "{0}: {1} of 5"},
	"timeline.decision":     {FA: "مصوبه {0} جلسه {1}", EN: "Decision {0} of meeting {1}"},
	"timeline.action":       {FA: "اقدام تعیین شد برای {0}، با مهلت {1}", EN: "Action set for {0}, due {1}"},
	"timeline.redated":      {FA: "مهلت اقدام از {0} به {1} تمدید شد", EN: "Action's due date moved from {0} to {1}"},
	"timeline.discussed":    {FA: "اقدام بررسی شد", EN: "Action discussed"},
	"timeline.closed":       {FA: "اقدام بسته شد", EN: "Action closed"},
	"timeline.by":           {FA: "دستگاه: {0}", EN: "agency: {0}"},

	// open data
	"dataset.status":    {FA: "وضعیت محاسبه‌شده پروژه‌ها در یک تاریخ", EN: "Projects' computed status on a date"},
	"dataset.reports":   {FA: "گزارش‌های پیشرفت پذیرفته‌شده", EN: "Accepted progress reports"},
	"dataset.actions":   {FA: "اقدام‌های شورا و سرگذشتشان", EN: "The council's actions and their history"},
	"dataset.baselines": {FA: "خط‌های مبنای پروژه‌ها", EN: "Projects' baselines"},
	"data.as_of_help":   {FA: "وضعیت در هر تاریخ دیگر: ‎?as_of=YYYY-MM-DD‎ یا تاریخ جلالی را به نشانی پرونده بیفزایید (مثلاً ‎/data/status.csv?as_of=۱۴۰۳/۰۱/۰۱‎). وضعیت از سوابقی که تا آن روز تاریخ خورده‌اند محاسبه می‌شود.", EN: "The status on any other day: add ?as_of=YYYY-MM-DD (or a Jalali date) to the file's address (e.g. /data/status.csv?as_of=2024-03-20). It is computed from the records dated up to that day."},
	"data.bad_as_of":    {FA: "as_of باید تاریخی به شکل YYYY-MM-DD باشد", EN: "as_of must be a date as YYYY-MM-DD"},
}

func init() {
	for k, v := range followCatalog {
		if _, dup := catalog[k]; dup {
			panic("web: catalog key " + k + " defined twice")
		}
		catalog[k] = v
	}
}
