package web

import "testing"

// TestFieldRef: a refused field's API path is named for people — the
// field, its row by number in the page's digits — with its input where the
// workspace has one; a path it cannot name is not named at all.
func TestFieldRef(t *testing.T) {
	for _, c := range []struct {
		path   string
		lang   Lang
		label  string
		anchor string
	}{
		{"items[1].drop_reason", FA, "دلیل حذف، بند ۲ دستور جلسه", "drop-2"},
		{"items[1].drop_reason", EN, "reason for dropping, agenda item 2", "drop-2"},
		{"items[11]", FA, "بند ۱۲ دستور جلسه", "pos-12"},
		{"risks[0].text", EN, "text, risk 1", "risk-1-fa"},
		{"milestones[2].percent", FA, "درصد پیشرفت، مرحله ۳", ""},
		{"due", FA, "مهلت", "outcome-due"},
		{"username", EN, "username", "account-username"},
		{"no_such_field", FA, "", ""},
		{"items[x].drop_reason", EN, "", ""},
		{"widgets[0].title", EN, "", ""},
		{"", FA, "", ""},
	} {
		got := c.lang.fieldRef(c.path)
		if got.Label != c.label || got.ID != c.anchor {
			t.Errorf("%s fieldRef(%q) = %+v, want %q #%s", c.lang, c.path, got, c.label, c.anchor)
		}
	}
}
