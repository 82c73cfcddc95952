package web

import "github.com/pishran/pishran/domain"

// exchangeCatalog holds the strings of the exchange's evidence (issue 15):
// the integrations on project pages, the staff pages of identities,
// services and declarations, and divergences on the report review. It
// joins the catalog when the package loads.
var exchangeCatalog = map[string]domain.Text{
	"exchange.title":            {FA: "شواهد مرکز ملی تبادل اطلاعات", EN: "Evidence from the National Information Exchange"},
	"exchange.lead":             {FA: "تبادل‌هایی که این پروژه اعلام کرده، به داوری خود مرکز تبادل: برقرار، ناموفق، خاموش یا هرگز دیده نشده. فقط آمار ساعتی و روزانه نگه داشته می‌شود، نه هیچ پیام یا داده شخصی.", EN: "The integrations this project declares, as the exchange's own logs judge them: live, failing, silent or never seen. Only hourly and daily counts are kept, never a message or anyone's data."},
	"exchange.integration":      {FA: "تبادل (مصرف‌کننده ← ارائه‌دهنده)", EN: "Integration (consumer ← provider)"},
	"exchange.state":            {FA: "وضعیت", EN: "State"},
	"exchange.first_seen":       {FA: "نخستین دیده‌شدن", EN: "First seen"},
	"exchange.last_success":     {FA: "آخرین تبادل موفق", EN: "Last success"},
	"exchange.days":             {FA: "۹۰ روز گذشته", EN: "Last 90 days"},
	"exchange.unmapped":         {FA: "دستگاه نگاشته نشده", EN: "unmapped agency"},
	"exchange.window":           {FA: "{0} روز: {1} موفق، {2} ناموفق", EN: "{0} days: {1} succeeded, {2} failed"},
	"exchange.none_declared":    {FA: "این پروژه هنوز تبادلی اعلام نکرده است.", EN: "The project declares no integration yet."},
	"exchange.evidenced_since":  {FA: "به گواهی مرکز تبادل از", EN: "evidenced by the exchange since"},
	"exchange.spark_label":      {FA: "{0} روز: {1} تبادل موفق، {2} ناموفق", EN: "{0} days: {1} successful exchanges, {2} failed"},
	"exchange.divergence_title": {FA: "این گزارش با شواهد مرکز تبادل نمی‌خواند", EN: "This report is contradicted by the exchange"},
	"exchange.claimed_done":     {FA: "انجام‌شده اعلام شده در", EN: "reported done on"},
	"exchangestate.live":        {FA: "برقرار", EN: "live"},
	"exchangestate.failing":     {FA: "ناموفق", EN: "failing"},
	"exchangestate.silent":      {FA: "خاموش", EN: "silent"},
	"exchangestate.never-seen":  {FA: "هرگز دیده نشده", EN: "never seen"},
	"staffrole.exchange":        {FA: "مرکز تبادل (فقط درون‌ریزی)", EN: "exchange operator (imports only)"},
}

func init() {
	for k, v := range exchangeCatalog {
		if _, dup := catalog[k]; dup {
			panic("web: catalog key " + k + " defined twice")
		}
		catalog[k] = v
	}
}
