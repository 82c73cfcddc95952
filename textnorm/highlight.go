package textnorm

import (
	"html"
	"strings"
	"unicode/utf8"
)

// Span is a piece of a snippet: text as written, and whether it is a word
// the query matched.
type Span struct {
	Text  string
	Match bool
}

// Matches reports whether a folded word matches one of the query's folded
// terms: the same word, or a word the term begins (a term typed in part).
func Matches(word string, terms []string) bool {
	for _, t := range terms {
		if strings.HasPrefix(word, t) {
			return true
		}
	}
	return false
}

// Snippet cuts from text a window of about width runes around its first
// word matching terms (the start of text when none does), with the
// matching words marked. The spans hold the original text, so "…" marks a
// cut and nothing is folded in what a reader sees.
func Snippet(text string, terms []string, width int) []Span {
	toks := Tokens(text)
	first := -1
	for i, t := range toks {
		if Matches(t.Word, terms) {
			first = i
			break
		}
	}
	from, to := 0, len(text)
	if utf8.RuneCountInString(text) > width {
		if first >= 0 {
			from = backRunes(text, toks[first].Start, width/4)
		}
		to = forwardRunes(text, from, width)
		from, to = wordEdge(text, from, toks, true), wordEdge(text, to, toks, false)
	}
	var out []Span
	if from > 0 {
		out = append(out, Span{Text: "… "})
	}
	at := from
	for _, t := range toks {
		if t.Start < from || t.End > to {
			continue
		}
		if !Matches(t.Word, terms) {
			continue
		}
		if t.Start > at {
			out = append(out, Span{Text: text[at:t.Start]})
		}
		out = append(out, Span{Text: text[t.Start:t.End], Match: true})
		at = t.End
	}
	if to > at {
		out = append(out, Span{Text: text[at:to]})
	}
	if to < len(text) {
		out = append(out, Span{Text: " …"})
	}
	return out
}

// backRunes steps n runes back from byte i.
func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

// forwardRunes steps n runes on from byte i.
func forwardRunes(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// wordEdge moves a cut at byte i out of the word it falls in: to the
// word's start for the window's start, to its end for the window's end.
func wordEdge(s string, i int, toks []Token, start bool) int {
	for _, t := range toks {
		if t.Start < i && i < t.End {
			if start {
				return t.Start
			}
			return t.End
		}
	}
	return i
}

// HTML writes spans as HTML: every piece escaped first, then the matched
// words wrapped in <mark>. Nothing of the text can become markup.
func HTML(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		if s.Match {
			b.WriteString("<mark>")
			b.WriteString(html.EscapeString(s.Text))
			b.WriteString("</mark>")
			continue
		}
		b.WriteString(html.EscapeString(s.Text))
	}
	return b.String()
}

// Plain is the spans' text, unmarked.
func Plain(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		b.WriteString(s.Text)
	}
	return b.String()
}
