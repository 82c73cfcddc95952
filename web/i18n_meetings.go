package web

import "github.com/pishran/pishran/domain"

// meetingsCatalog holds the strings of the meeting series pages, the
// re-dating, cancelling and closing confirmations, the action re-dating
// form and the inbox, in both languages. It joins the catalog when the
// package loads, so TestCatalog checks it with the rest.
var meetingsCatalog = map[string]domain.Text{
	// series
	"series.title":        {FA: "دوره‌های جلسات", EN: "Meeting series"},
	"series.edit_title":   {FA: "ویرایش دوره «{0}»", EN: "Editing the series “{0}”"},
	"series.lead":         {FA: "هر جلسه از آنِ یک دوره است: خود شورا، کمیته راهبری آن یا کمیسیونی دیگر. جلسه‌های هر دوره پشت سر هم شماره می‌خورند و کد دوره پیشوند شناسه آن‌هاست.", EN: "Every session belongs to a series: the council itself, its steering committee or another commission. A series' sessions are numbered one after another, and its code prefixes their ids."},
	"series.done_created": {FA: "دوره ثبت شد.", EN: "The series is recorded."},
	"series.done_updated": {FA: "دوره ذخیره شد.", EN: "The series is saved."},
	"series.caption":      {FA: "دوره‌های ثبت‌شده، به ترتیب کد", EN: "The recorded series, by code"},
	"series.name":         {FA: "نام دوره", EN: "Name"},
	"series.code":         {FA: "کد", EN: "Code"},
	"series.kind":         {FA: "نوع", EN: "Kind"},
	"series.sources":      {FA: "منبع", EN: "Sources"},
	"series.no_sources":   {FA: "بی‌منبع (ثبت دبیرخانه)", EN: "none (set up by the secretariat)"},
	"series.edit":         {FA: "ویرایش", EN: "Edit"},
	"series.none":         {FA: "هنوز دوره‌ای ثبت نشده است.", EN: "No series is recorded yet."},
	"series.edit_form":    {FA: "ویرایش دوره", EN: "Edit the series"},
	"series.new":          {FA: "ثبت دوره تازه", EN: "Set up a new series"},
	"series.code_fixed":   {FA: "کد دوره پیشوند شناسه جلسه‌هایش است و تغییر نمی‌کند.", EN: "The code prefixes the series' session ids and does not change."},
	"series.code_hint":    {FA: "حروف کوچک لاتین، رقم و خط تیره، مانند itec", EN: "Lower-case Latin letters, digits and hyphens, such as itec"},
	"series.save":         {FA: "ذخیره دوره", EN: "Save the series"},
	"series.create":       {FA: "ثبت دوره", EN: "Record the series"},
	"series.back":         {FA: "بازگشت به فهرست دوره‌ها", EN: "Back to the series"},
	"series.manage":       {FA: "دوره‌های جلسات", EN: "Meeting series"},
	"series.needed":       {FA: "هر جلسه از آنِ یک دوره است و هنوز دوره‌ای ثبت نشده است؛ نخست دوره را ثبت کنید.", EN: "Every session belongs to a series, and none is recorded yet: set one up first."},
	"series.set_up":       {FA: "ثبت یا ویرایش دوره‌ها", EN: "Set up or edit series"},
	"series.pick_hint":    {FA: "دوره مورد نظر در فهرست نیست؟", EN: "The series is not listed?"},

	"serieskind.council":              {FA: "شورا", EN: "council"},
	"serieskind.steering-committee":   {FA: "کمیته راهبری", EN: "steering committee"},
	"serieskind.strategic-commission": {FA: "کمیسیون راهبردی", EN: "strategic commission"},
	"serieskind.other":                {FA: "دیگر", EN: "other"},

	"meetingstate.cancelled": {FA: "لغوشده", EN: "cancelled"},

	// re-dating or cancelling a planned session
	"mchange.offer":          {FA: "جلسه در روز برنامه‌ریزی‌شده برگزار نمی‌شود؟", EN: "The session will not take place on its day?"},
	"mchange.link":           {FA: "تغییر تاریخ یا لغو جلسه", EN: "Re-date or cancel the session"},
	"mchange.cancelled_note": {FA: "این جلسه لغو شده است؛ برگزار نمی‌شود و شماره‌اش برای جلسه دیگری به کار نمی‌رود.", EN: "This session is cancelled: it does not take place, and its number is not used again."},
	"mchange.history":        {FA: "تغییرهای برنامه جلسه", EN: "Changes to the session's plan"},
	"mchange.was_cancelled":  {FA: "لغو شد", EN: "cancelled"},
	"mchange.redated_from":   {FA: "تاریخ از", EN: "moved from"},
	"mchange.redated_to":     {FA: "به", EN: "to"},
	"mchange.title":          {FA: "تغییر تاریخ یا لغو — {0}", EN: "Re-date or cancel — {0}"},
	"mchange.heading":        {FA: "تغییر تاریخ یا لغو جلسه", EN: "Re-date or cancel the session"},
	"mchange.not_planned":    {FA: "فقط جلسه برنامه‌ریزی‌شده جابه‌جا یا لغو می‌شود؛ این جلسه دیگر برنامه‌ریزی‌شده نیست.", EN: "Only a planned session is re-dated or cancelled; this one is no longer planned."},
	"mchange.lead":           {FA: "جلسه‌ای که در روزش برگزار نمی‌شود را به روز دیگری ببرید یا لغو کنید؛ دلیل آن در سابقه جلسه می‌ماند. جلسه لغوشده مانع ثبت جلسه بعدی نمی‌شود.", EN: "Move a session that will not take place on its day, or cancel it; the reason stays on its record. A cancelled session does not hold up the next one."},
	"mchange.redate":         {FA: "بردن به روز دیگر", EN: "Move to another day"},
	"mchange.new_date":       {FA: "تاریخ تازه", EN: "New date"},
	"mchange.reason":         {FA: "دلیل", EN: "Reason"},
	"mchange.redate_submit":  {FA: "ثبت تاریخ تازه", EN: "Record the new date"},
	"mchange.cancel":         {FA: "لغو جلسه", EN: "Cancel the session"},
	"mchange.cancel_help":    {FA: "جلسه لغوشده برگزار نمی‌شود و بازگرداندنی نیست؛ شماره‌اش می‌ماند و جلسه بعدی شماره تازه می‌گیرد.", EN: "A cancelled session does not take place and cannot be restored; it keeps its number, and the next session takes a new one."},
	"mchange.cancel_confirm": {FA: "می‌دانم که لغو جلسه بازگرداندنی نیست.", EN: "I understand that cancelling cannot be undone."},
	"mchange.cancel_submit":  {FA: "لغو جلسه", EN: "Cancel the session"},

	"meeting.done_redated":        {FA: "تاریخ تازه جلسه ثبت شد.", EN: "The session's new date is recorded."},
	"meeting.done_cancelled":      {FA: "جلسه لغو شد.", EN: "The session is cancelled."},
	"meeting.done_redated_action": {FA: "مهلت تازه اقدام ثبت شد.", EN: "The action's new due date is recorded."},

	// closing, after a confirmation
	"mclose.open":     {FA: "بستن جلسه…", EN: "Close the session…"},
	"mclose.title":    {FA: "بستن — {0}", EN: "Closing — {0}"},
	"mclose.heading":  {FA: "بستن جلسه", EN: "Close the session"},
	"mclose.not_held": {FA: "فقط جلسه برگزارشده بسته می‌شود.", EN: "Only a held session is closed."},
	"mclose.lead":     {FA: "بستن جلسه برگشت‌ناپذیر است: سابقه جلسه فقط‌خواندنی می‌شود، صورت‌جلسه و مصوبات عمومی آن امضا و منتشر می‌شوند و اصلاح بعدی فقط با الحاقیه است.", EN: "Closing cannot be undone: the session's record becomes read-only, its minutes and public decisions are signed and published, and later corrections are amendments."},
	"mclose.outcomes": {FA: "نتیجه‌های ثبت‌شده: {0}", EN: "Outcomes recorded: {0}"},
	"mclose.actions":  {FA: "اقدام‌های تعیین‌شده: {0}", EN: "Actions decided: {0}"},
	"mclose.confirm":  {FA: "نتیجه‌ها را بازبینی کرده‌ام و می‌دانم که بستن جلسه برگشت‌ناپذیر است.", EN: "I have checked the outcomes and understand that closing cannot be undone."},
	"mclose.back":     {FA: "بازگشت به جلسه", EN: "Back to the session"},

	// re-dating an action
	"aredate.link":    {FA: "تغییر مهلت", EN: "Re-date"},
	"aredate.title":   {FA: "تغییر مهلت اقدام", EN: "Re-date the action"},
	"aredate.back":    {FA: "بازگشت به جلسه", EN: "Back to the session"},
	"aredate.done":    {FA: "مهلت تازه ثبت شد.", EN: "The new due date is recorded."},
	"aredate.history": {FA: "سابقه اقدام", EN: "The action's history"},
	"aredate.closed":  {FA: "این اقدام بسته شده است و مهلتش دیگر تغییر نمی‌کند.", EN: "This action is closed; its due date no longer changes."},
	"aredate.new_due": {FA: "مهلت تازه", EN: "New due date"},
	"aredate.submit":  {FA: "ثبت مهلت تازه", EN: "Record the new due date"},
}

func init() {
	for k, v := range meetingsCatalog {
		if _, dup := catalog[k]; dup {
			panic("web: catalog key " + k + " defined twice")
		}
		catalog[k] = v
	}
}

// inboxCatalog holds the inbox's strings; it joins meetingsCatalog.
var inboxCatalog = map[string]domain.Text{
	"staffnav.inbox":            {FA: "کارتابل", EN: "Inbox"},
	"inbox.title":               {FA: "کارتابل من", EN: "My inbox"},
	"inbox.waiting":             {FA: "مورد در انتظار شما", EN: "items waiting for you"},
	"inbox.lead_agency":         {FA: "آنچه دستگاه شما اکنون بدهکار است، تازه‌ترین نخست: گزارش‌های برگشتی با نظر دبیرخانه، گزارش‌های سررسیده و معوق، اقدام‌های باز و یادآوری‌های روزانه.", EN: "What your agency owes now, newest first: reports returned with the secretariat's comment, reports due and overdue, open actions and the daily reminders."},
	"inbox.lead_secretariat":    {FA: "آنچه اکنون در انتظار دبیرخانه است، تازه‌ترین نخست: گزارش‌های فرستاده‌شده برای بررسی، جلسه‌های برنامه‌ریزی‌شده برای آماده‌سازی و اقدام‌های معوق برای پیگیری.", EN: "What waits on the secretariat now, newest first: submitted reports to review, planned sessions to prepare and overdue actions to chase."},
	"inbox.lead_other":          {FA: "این نقش کاری در انتظار ندارد؛ گزارش‌ها و جلسه‌ها را از پیمایش بالا بخوانید.", EN: "Nothing waits on this role; read the reports and sessions from the navigation above."},
	"inbox.count":               {FA: "{0} مورد در انتظار شما", EN: "{0} waiting for you"},
	"inbox.comment":             {FA: "نظر دبیرخانه", EN: "The secretariat's comment"},
	"inbox.kind_returned":       {FA: "برگشتی", EN: "returned"},
	"inbox.returned_on":         {FA: "برگشت در", EN: "returned on"},
	"inbox.fix":                 {FA: "اصلاح و فرستادن دوباره", EN: "Fix and resubmit"},
	"inbox.kind_report":         {FA: "گزارش", EN: "report"},
	"inbox.start_previous":      {FA: "آغاز از گزارش دوره پیش", EN: "Start from last period's report"},
	"inbox.kind_action":         {FA: "اقدام", EN: "action"},
	"inbox.kind_reminder":       {FA: "یادآوری", EN: "reminder"},
	"inbox.reminded_on":         {FA: "یادآوری در", EN: "reminded on"},
	"inbox.kind_review":         {FA: "برای بررسی", EN: "to review"},
	"inbox.submitted_on":        {FA: "فرستاده در", EN: "submitted on"},
	"inbox.kind_meeting":        {FA: "جلسه", EN: "session"},
	"inbox.meeting_past":        {FA: "تاریخش گذشته است", EN: "past its date"},
	"inbox.empty":               {FA: "چیزی در انتظار شما نیست.", EN: "Nothing is waiting for you."},
	"inbox.returned_title":      {FA: "دبیرخانه این گزارش را برای اصلاح برگردانده است:", EN: "The secretariat returned this report for a fix:"},
	"inbox.returned_no_comment": {FA: "دبیرخانه نظری ننوشته است.", EN: "The secretariat wrote no comment."},
	"inbox.started_from":        {FA: "این فرم از گزارش دوره پیش پر شده است؛ پیش از ذخیره آن را به‌روز کنید:", EN: "This form is filled from the previous period's report; bring it up to date before saving:"},
	"inbox.start_previous_hint": {FA: "روایت، پیشرفت نقاط عطف، شاخص‌ها و خطرها از آخرین گزارش پیشین برداشته می‌شوند.", EN: "The narrative, milestones' progress, indicators and risks are taken from the latest earlier report."},
}

func init() {
	for k, v := range inboxCatalog {
		if _, dup := catalog[k]; dup {
			panic("web: catalog key " + k + " defined twice")
		}
		catalog[k] = v
	}
}
