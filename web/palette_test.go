package web

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestPalette computes the WCAG 2 contrast ratio of every text/background
// pair the stylesheet uses, from the custom properties in site.css, and
// fails below AA: 4.5:1 for text, 3:1 for focus rings, field edges and
// chart bars (non-text, WCAG 1.4.11). The figures, logged with -v:
//
//	go test ./web/ -run TestPalette -v
func TestPalette(t *testing.T) {
	css, err := staticFS.ReadFile("static/css/site.css")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, m := range regexp.MustCompile(`--([a-z-]+):\s*(#[0-9a-fA-F]{6})`).FindAllStringSubmatch(string(css), -1) {
		vars[m[1]] = m[2]
	}
	color := func(name string) string {
		if strings.HasPrefix(name, "#") {
			return name
		}
		c, ok := vars[name]
		if !ok {
			t.Fatalf("site.css defines no --%s", name)
		}
		return c
	}
	pairs := []struct {
		fg, bg string
		min    float64
	}{
		{"text", "bg", 4.5}, {"text", "surface", 4.5}, {"muted", "bg", 4.5}, {"muted", "surface", 4.5},
		{"link", "bg", 4.5}, {"link", "surface", 4.5}, {"link-visited", "bg", 4.5}, {"link-visited", "surface", 4.5},
		{"on-accent", "accent", 4.5}, {"text", "note-bg", 4.5}, {"amber", "note-bg", 4.5},
		{"text", "badge-bg", 4.5}, {"muted", "badge-bg", 4.5},
		{"green", "green-bg", 4.5}, {"amber", "amber-bg", 4.5}, {"red", "red-bg", 4.5},
		{"gray", "bg", 4.5},
		{"focus", "bg", 3}, {"focus", "surface", 3}, {"border", "bg", 3}, {"bar", "bar-bg", 3}, {"bar-sourced", "bar-bg", 3},
	}
	for _, c := range categoryColors {
		pairs = append(pairs, struct {
			fg, bg string
			min    float64
		}{c, "bg", 3})
	}
	for _, p := range pairs {
		r := contrast(color(p.fg), color(p.bg))
		t.Logf("%-14s on %-9s %5.2f:1 (needs %.1f)", p.fg, p.bg, r, p.min)
		if r < p.min {
			t.Errorf("%s on %s: contrast %.2f:1, below %.1f:1", p.fg, p.bg, r, p.min)
		}
	}
	// The page background must be light and the text dark.
	if luminance(color("bg")) < 0.9 || luminance(color("text")) > 0.05 {
		t.Error("the palette is not dark text on a light background")
	}
}

func luminance(hex string) float64 {
	ch := func(i int) float64 {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(0) + 0.7152*ch(1) + 0.0722*ch(2)
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}
