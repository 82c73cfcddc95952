package textnorm

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"سلامت هوشمند", "سلامت هوشمند"},
		{"سلامت هوشمند", "سلامت هوشمند"},             // Arabic kaf, yeh
		{"سامانه ملي", "سامانه ملی"},                 // Arabic yeh
		{"مصطفى", "مصطفی"},                           // alef maksura
		{"دبيرخانة", "دبیرخانه"},                     // teh marbuta
		{"خانۀ ملت", "خانه ملت"},                     // heh with yeh above
		{"فناوری‌اطلاعات", "فناوری اطلاعات"},         // ZWNJ is a space
		{"فناوری  \u00a0 اطلاعات", "فناوری اطلاعات"}, // runs of spaces
		{"أمنیت إسلامی آب", "امنیت اسلامی اب"},       // hamza on alef, madda
		{"مؤسسه مسئول", "موسسه مسیول"},               // hamza on waw, on yeh
		{"اجزاء", "اجزا"},                            // lone hamza
		{"مُحَمَّدٌ", "محمد"},                        // harakat, shadda, tanwin
		{"رحمٰن", "رحمن"},                            // superscript alef
		{"پـــروژه", "پروژه"},                        // tatweel
		{"۱۴۰۲ ١٤٠٢ 1402", "1402 1402 1402"},         // three digit sets
		{"E-Government PORTAL", "e government portal"},
		{"«پنجره ملی خدمات»، (فاز ۲)", "پنجره ملی خدمات فاز 2"},
		{"\u200fمتن\u200e", "متن"}, // direction marks
		{"", ""},
		{"  ...  ", ""},
	} {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

func TestSquashAndJoined(t *testing.T) {
	a, b, c := Squash("سامانه ملي ۲"), Squash("سامانه‌ملی 2"), Squash("سامانه ملی  ٢")
	if a != b || b != c {
		t.Errorf("Squash: %q %q %q differ", a, b, c)
	}
	if Squash("سامانه ملی") == Squash("سامانه محلی") {
		t.Error("Squash made two different titles alike")
	}
	got := strings.Join(Joined("فناوری‌اطلاعات و ارتباطات", false), ",")
	if got != "فناوریاطلاعات" {
		t.Errorf("Joined (half-spaces only) = %q", got)
	}
	got = strings.Join(Joined("دولت هوشمند ملی", true), ",")
	if got != "دولتهوشمند,هوشمندملی" {
		t.Errorf("Joined (pairs) = %q", got)
	}
}

func TestTokensKeepOriginalPlaces(t *testing.T) {
	s := "پروژهٔ «سلامتِ هوشمند»"
	toks := Tokens(s)
	if len(toks) != 3 {
		t.Fatalf("tokens %v", toks)
	}
	if s[toks[1].Start:toks[1].End] != "سلامتِ" || toks[1].Word != "سلامت" {
		t.Errorf("token %+v: %q", toks[1], s[toks[1].Start:toks[1].End])
	}
}

func TestSnippet(t *testing.T) {
	text := "این پروژه برای <b>سلامت</b> هوشمند مردم است و " + strings.Repeat("چیزی دیگر ", 40)
	spans := Snippet(text, Words("سلامت هوشمند"), 60)
	h := HTML(spans)
	if !strings.Contains(h, "<mark>سلامت</mark>") || !strings.Contains(h, "<mark>هوشمند</mark>") {
		t.Errorf("matched words not marked: %s", h)
	}
	if strings.Contains(h, "<b>") || !strings.Contains(h, "&lt;b&gt;") {
		t.Errorf("markup in the text not escaped: %s", h)
	}
	if !strings.HasSuffix(Plain(spans), "…") {
		t.Errorf("a cut snippet does not say so: %q", Plain(spans))
	}
	// A prefix term marks the whole word; no match, the start of the text.
	if h := HTML(Snippet("پروژه‌ها", []string{"پروژ"}, 50)); h != "<mark>پروژه</mark>\u200cها" {
		t.Errorf("prefix: %q", h)
	}
	if p := Plain(Snippet("short text", []string{"zzz"}, 50)); p != "short text" {
		t.Errorf("no match: %q", p)
	}
}

func TestCleanForms(t *testing.T) {
	if got := Digits("۱۴۰۲/٠٩/19"); got != "1402/09/19" {
		t.Errorf("Digits: %q", got)
	}
	if got := PersianLetters("علي كريمي ٤ دبيرخانة"); got != "علی کریمی ۴ دبیرخانة" {
		t.Errorf("PersianLetters: %q", got)
	}
}

// FuzzFold: folding is idempotent, never grows a text beyond twice its
// size, and the words it gives are the tokens' words.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"سلامت هوشمند", "فناوری‌اطلاعات", "مُحَمَّدٌ", "۱۴۰۲ E-Gov", "\xff\xfeأ", "İSTANBUL ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a := Fold(s)
		if b := Fold(a); b != a {
			t.Fatalf("Fold not idempotent: %q → %q → %q", s, a, b)
		}
		if len(a) > 2*len(s) {
			t.Fatalf("Fold grew %d bytes to %d", len(s), len(a))
		}
		if !utf8.ValidString(a) {
			t.Fatalf("Fold gave invalid UTF-8 %q", a)
		}
		if Squash(a) != Squash(s) {
			t.Fatalf("Squash(Fold) %q != Squash %q", Squash(a), Squash(s))
		}
		for _, tk := range Tokens(s) {
			if tk.Start < 0 || tk.End > len(s) || tk.Start >= tk.End {
				t.Fatalf("token %+v out of %q", tk, s)
			}
		}
		if p := Plain(Snippet(s, Words(s), 40)); len(p) > len(s)+8 {
			t.Fatalf("snippet %q longer than its text %q", p, s)
		}
	})
}

func TestNear(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"سامانه ملی سلامت هوشمند", "سامانه‌ملي سلامت هوشمند", true},        // letter forms, half-space
		{"پنجره ملی خدمات دولت هوشمند", "پنجره ملی خدمت دولت هوشمند", true}, // one letter
		{"پروژه فاز ۱", "پروژه فاز 2", false},                               // other digits
		{"پروژه فاز ۱", "پروژه فاز 1", true},                                // same digits
		{"سامانه ملی", "سامانه محلی", false},                                // short: one letter is another name
		{"درگاه ملی مجوزها", "پنجره ملی خدمات", false},
		{"", "", false},
	} {
		if got := Near(Squash(c.a), Squash(c.b)); got != c.want {
			t.Errorf("Near(%q, %q) = %v; want %v", c.a, c.b, got, c.want)
		}
	}
}
