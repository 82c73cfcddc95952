package web

import "github.com/pishran/pishran/domain"

// notifyCatalog holds the strings of the notifications: the inbox's
// notices, the preferences page, the unsubscribe page, the admins' page of
// failed deliveries and the account pages' "send by e-mail". It joins the
// catalog when the package loads, so TestCatalog checks it with the rest.
var notifyCatalog = map[string]domain.Text{
	"notify.nav":                   {FA: "اعلان‌ها", EN: "Notifications"},
	"notify.nav_deliveries":        {FA: "رایانامه‌های نرسیده", EN: "Failed e-mails"},
	"notify.notices":               {FA: "اعلان‌ها", EN: "Notices"},
	"notify.unread":                {FA: "{0} خوانده‌نشده", EN: "{0} unread"},
	"notify.new":                   {FA: "تازه", EN: "new"},
	"notify.open":                  {FA: "باز کردن", EN: "open"},
	"notify.mark_read":             {FA: "خوانده شد", EN: "Mark read"},
	"notify.mark_all":              {FA: "همه خوانده شد", EN: "Mark all read"},
	"notify.kind.report-due-soon":  {FA: "موعد گزارش نزدیک است", EN: "Report due soon"},
	"notify.kind.report-overdue":   {FA: "گزارش معوق", EN: "Report overdue"},
	"notify.kind.report-returned":  {FA: "گزارش برای اصلاح برگشت", EN: "Report returned for changes"},
	"notify.kind.report-accepted":  {FA: "گزارش پذیرفته شد", EN: "Report accepted"},
	"notify.kind.action-due-soon":  {FA: "موعد اقدام نزدیک است", EN: "Action due soon"},
	"notify.kind.action-overdue":   {FA: "اقدام معوق", EN: "Action overdue"},
	"notify.kind.agenda-published": {FA: "دستور جلسه منتشر شد", EN: "Agenda published"},
	"notify.kind.decision":         {FA: "مصوبه شورا", EN: "Council decision"},
	"notify.kind.set-password":     {FA: "پیوند تعیین گذرواژه", EN: "Set-password link"},
	"notify.kind.reset-password":   {FA: "پیوند بازنشانی گذرواژه", EN: "Password reset link"},
	"notify.kind.digest":           {FA: "خلاصه روزانه", EN: "Daily digest"},

	"notify.prefs_title":       {FA: "اعلان‌های رایانامه‌ای", EN: "E-mail notifications"},
	"notify.prefs_lead":        {FA: "پیشران موعد گزارش‌ها و اقدام‌ها، گزارش‌های برگشتی یا پذیرفته، دستور جلسه‌ها و مصوبه‌های مربوط به دستگاه شما را در کارتابل نشان می‌دهد و اگر بخواهید با رایانامه هم می‌فرستد.", EN: "Pishran shows in your inbox the reports and actions coming due, reports returned or accepted, agendas and the decisions concerning your agency, and, if you wish, sends them by e-mail too."},
	"notify.mail_off":          {FA: "ارسال رایانامه در این سامانه پیکربندی نشده است؛ اعلان‌ها فقط در کارتابل می‌آیند.", EN: "E-mail is not configured on this server: notices appear in the inbox only."},
	"notify.saved":             {FA: "انتخاب شما ذخیره شد.", EN: "Your choice is saved."},
	"notify.mode":              {FA: "رایانامه اعلان‌ها", EN: "E-mail me"},
	"notify.mode.immediate":    {FA: "هر اعلان بی‌درنگ", EN: "each notice at once"},
	"notify.mode.daily":        {FA: "یک خلاصه در روز", EN: "one daily digest"},
	"notify.mode.off":          {FA: "هیچ (فقط کارتابل)", EN: "nothing (the inbox only)"},
	"notify.address":           {FA: "نشانی رایانامه", EN: "E-mail address"},
	"notify.address_hint":      {FA: "خالی بگذارید تا به نشانی حساب شما فرستاده شود:", EN: "Leave empty to use your account's address:"},
	"notify.address_hint_none": {FA: "حساب شما نشانی رایانامه ندارد؛ برای دریافت رایانامه نشانی بنویسید.", EN: "Your account has no e-mail address: write one to receive e-mail."},
	"notify.save":              {FA: "ذخیره", EN: "Save"},

	"notify.unsub_title":   {FA: "لغو اشتراک رایانامه", EN: "Unsubscribe from e-mail"},
	"notify.unsub_confirm": {FA: "رایانامه‌های اعلان پیشران برای این حساب خاموش شود؟", EN: "Turn off Pishran's notice e-mails for this account?"},
	"notify.unsub_submit":  {FA: "خاموش کردن رایانامه‌ها", EN: "Turn e-mail off"},
	"notify.unsub_done":    {FA: "رایانامه‌های اعلان خاموش شد برای حساب", EN: "Notice e-mails are off for the account"},
	"notify.unsub_after":   {FA: "اعلان‌ها همچنان در کارتابل شما می‌آیند. برای روشن کردن دوباره، پس از ورود به صفحه «اعلان‌ها» بروید.", EN: "Notices still appear in your inbox. To turn e-mail on again, sign in and open Notifications."},

	"notify.deliveries_title":   {FA: "رایانامه‌های نرسیده", EN: "Failed e-mail deliveries"},
	"notify.deliveries_lead":    {FA: "اعلان‌هایی که سرور رایانامه نپذیرفت: آن‌ها که کنار گذاشته شده‌اند (پاسخ ۵xx یا تلاش‌های پیاپی) و آن‌ها که دوباره فرستاده می‌شوند. خطای پیکربندی (ورود یا TLS) همه را نگه می‌دارد تا درست شود.", EN: "Notices the mail server did not accept: those given up (a 5xx answer, or too many attempts) and those waiting to be tried again. A setup error (authentication or TLS) holds them all until it is fixed."},
	"notify.deliveries_caption": {FA: "اعلان‌های نرسیده، تازه‌ترین نخست", EN: "Notices not delivered, newest first"},
	"notify.deliveries_none":    {FA: "هیچ رایانامه‌ای نرسیده نمانده است.", EN: "No delivery has failed."},
	"notify.counts":             {FA: "در صف: {0} | فرستاده: {1} | نرسیده: {2} | در انتظار خلاصه روزانه: {3}", EN: "queued: {0} | sent: {1} | failed: {2} | waiting for a digest: {3}"},
	"notify.col_kind":           {FA: "اعلان", EN: "Notice"},
	"notify.col_to":             {FA: "گیرنده", EN: "To"},
	"notify.col_state":          {FA: "وضعیت", EN: "State"},
	"notify.col_attempts":       {FA: "تلاش‌ها", EN: "Attempts"},
	"notify.col_error":          {FA: "آخرین خطا", EN: "Last error"},
	"notify.col_act":            {FA: "کار", EN: "Act"},
	"notify.state_failed":       {FA: "کنار گذاشته شد", EN: "given up"},
	"notify.state_retrying":     {FA: "تلاش دوباره در", EN: "next try"},
	"notify.retry":              {FA: "فرستادن دوباره", EN: "Send again"},
	"notify.retried":            {FA: "اعلان دوباره در صف ارسال است.", EN: "The notice is queued again."},

	"notify.send_link":          {FA: "پیوند به نشانی رایانامه حساب فرستاده شود", EN: "E-mail the link to the account's address"},
	"notify.send_link_no_email": {FA: "(حساب نشانی رایانامه ندارد)", EN: "(the account has no e-mail address)"},
	"notify.link_mailed":        {FA: "پیوند به نشانی رایانامه حساب فرستاده می‌شود.", EN: "The link is being e-mailed to the account's address."},
}

func init() {
	for k, v := range notifyCatalog {
		if _, dup := catalog[k]; dup {
			panic("web: catalog key " + k + " defined twice")
		}
		catalog[k] = v
	}
}
