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
