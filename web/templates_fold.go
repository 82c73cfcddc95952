package web

import (
	"bytes"
	"errors"
	"html/template"
	"strings"
	"text/template/parse"

	"github.com/pishran/pishran/domain"
)

// Constant folding (issue 12). A page's set is parsed once per language,
// so a call whose arguments are literals — {{t "project.kind"}}, the
// hashed URL of {{asset "css/site.css"}}, {{if isRTL}} — has one value in
// that set whatever the data. Executed, each such call cost two calls by
// reflection (the function, then the escaper html/template put after it):
// a project page made a few hundred of them, a third of its rendering.
// foldTemplates escapes the set (as its first execution would), then
// replaces each such action with the text it always writes, escaped as
// html/template escapes it there, and each {{if}} on a constant with the
// branch it always takes. What a page writes is unchanged.

// errProbe stops the execution foldTemplates starts only to escape a set.
var errProbe = errors.New("web: escaping probe")

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errProbe }

// escapeProbes are the escaper chains html/template puts after a value
// in the contexts a folded call may sit in, each with a template that
// writes a string in that context: what the probe writes between its
// prefix and its suffix is the string escaped as that chain escapes it.
var escapeProbes = map[string][2]string{
	"_html_template_htmlescaper":   {"<p>", "</p>"},
	"_html_template_rcdataescaper": {"<title>", "</title>"},
	"_html_template_attrescaper":   {`<p title="`, `">`},
	"_html_template_urlfilter _html_template_urlnormalizer _html_template_attrescaper": {`<a href="`, `">`},
}

// folder folds one language's page sets.
type folder struct {
	calls  map[string]func(args []string) string // calls with literal arguments
	bools  map[string]bool                       // calls without arguments that {{if}} tests
	probes map[string]*template.Template
}

func (s *Site) newFolder(l Lang) (*folder, error) {
	f := &folder{
		calls: map[string]func([]string) string{
			"t": func(args []string) string {
				rest := make([]any, len(args)-1)
				for i, a := range args[1:] {
					rest[i] = a
				}
				return l.T(args[0], rest...)
			},
			"asset": func(args []string) string {
				if len(args) != 1 {
					panic("asset takes one name")
				}
				return s.assets.url(args[0])
			},
		},
		bools:  map[string]bool{"isRTL": l == FA},
		probes: map[string]*template.Template{},
	}
	for chain, p := range escapeProbes {
		t, err := template.New("probe").Parse(p[0] + "{{.}}" + p[1])
		if err != nil {
			return nil, err
		}
		if err := t.Execute(&bytes.Buffer{}, ""); err != nil {
			return nil, err
		}
		// The probe's chain must be the one it stands for.
		var got []string
		for _, n := range t.Tree.Root.Nodes {
			if a, ok := n.(*parse.ActionNode); ok {
				for _, c := range a.Pipe.Cmds[1:] {
					got = append(got, c.String())
				}
			}
		}
		if strings.Join(got, " ") != chain {
			return nil, errors.New("web: escaping probe " + chain + " escapes with " + strings.Join(got, " "))
		}
		f.probes[chain] = t
	}
	return f, nil
}

// fold escapes t from its "layout" and folds every template of t.
func (f *folder) fold(t *template.Template) error {
	if err := t.ExecuteTemplate(failWriter{}, "layout", nil); err != nil && !errors.Is(err, errProbe) {
		var terr *template.Error
		if errors.As(err, &terr) {
			return err // the set does not escape: rendering would fail alike
		}
	}
	for _, x := range t.Templates() {
		if x.Tree != nil {
			x.Tree.Root.Nodes = f.list(x.Tree.Root.Nodes)
		}
	}
	return nil
}

// list folds a list of nodes.
func (f *folder) list(nodes []parse.Node) []parse.Node {
	out := make([]parse.Node, 0, len(nodes))
	add := func(n parse.Node) {
		if tx, ok := n.(*parse.TextNode); ok && len(out) > 0 {
			if prev, ok := out[len(out)-1].(*parse.TextNode); ok {
				out[len(out)-1] = &parse.TextNode{NodeType: parse.NodeText, Pos: prev.Pos, Text: append(bytes.Clone(prev.Text), tx.Text...)}
				return
			}
		}
		out = append(out, n)
	}
	for _, n := range nodes {
		switch x := n.(type) {
		case *parse.ActionNode:
			if s, ok := f.action(x); ok {
				add(&parse.TextNode{NodeType: parse.NodeText, Pos: x.Pos, Text: []byte(s)})
				continue
			}
			fuse(x.Pipe)
		case *parse.IfNode:
			f.branches(&x.BranchNode)
			fuseCondition(x.Pipe)
			if v, ok := f.condition(x.Pipe); ok {
				branch := x.List
				if !v {
					branch = x.ElseList
				}
				if branch == nil {
					continue
				}
				if !declares(branch) {
					for _, c := range branch.Nodes {
						add(c)
					}
					continue
				}
			}
		case *parse.RangeNode:
			f.branches(&x.BranchNode)
		case *parse.WithNode:
			f.branches(&x.BranchNode)
		}
		add(n)
	}
	return out
}

func (f *folder) branches(b *parse.BranchNode) {
	if b.List != nil {
		b.List.Nodes = f.list(b.List.Nodes)
	}
	if b.ElseList != nil {
		b.ElseList.Nodes = f.list(b.ElseList.Nodes)
	}
}

// declares reports whether a branch declares a variable at its own level:
// spliced into its parent, the variable would outlive the branch.
func declares(l *parse.ListNode) bool {
	for _, n := range l.Nodes {
		if a, ok := n.(*parse.ActionNode); ok && len(a.Pipe.Decl) > 0 {
			return true
		}
	}
	return false
}

// condition is the value of an {{if}}'s pipeline that is one constant call.
func (f *folder) condition(p *parse.PipeNode) (value, ok bool) {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return false, false
	}
	id, isID := p.Cmds[0].Args[0].(*parse.IdentifierNode)
	if !isID {
		return false, false
	}
	value, ok = f.bools[id.Ident]
	return value, ok
}

// action is what an escaped action writes when it is a constant call,
// with ok; ok is false for any other action.
func (f *folder) action(a *parse.ActionNode) (out string, ok bool) {
	p := a.Pipe
	if len(p.Decl) > 0 || len(p.Cmds) < 2 || len(p.Cmds[0].Args) < 2 {
		return "", false
	}
	id, isID := p.Cmds[0].Args[0].(*parse.IdentifierNode)
	if !isID || f.calls[id.Ident] == nil {
		return "", false
	}
	var args []string
	for _, x := range p.Cmds[0].Args[1:] {
		s, isString := x.(*parse.StringNode)
		if !isString {
			return "", false
		}
		args = append(args, s.Text)
	}
	chain := make([]string, 0, len(p.Cmds)-1)
	for _, c := range p.Cmds[1:] {
		if len(c.Args) != 1 {
			return "", false
		}
		e, isID := c.Args[0].(*parse.IdentifierNode)
		if !isID {
			return "", false
		}
		chain = append(chain, e.Ident)
	}
	probe := f.probes[strings.Join(chain, " ")]
	if probe == nil {
		return "", false
	}
	value, ok := f.call(id.Ident, args)
	if !ok {
		return "", false
	}
	var b bytes.Buffer
	if probe.Execute(&b, value) != nil {
		return "", false
	}
	pre, post := escapeProbes[strings.Join(chain, " ")][0], escapeProbes[strings.Join(chain, " ")][1]
	s, okPre := strings.CutPrefix(b.String(), pre)
	s, okPost := strings.CutSuffix(s, post)
	return s, okPre && okPost
}

// call calls a constant function; ok is false when it panics (the page
// then fails where it always did: when it is rendered).
func (f *folder) call(name string, args []string) (out string, ok bool) {
	defer func() {
		if recover() != nil {
			out, ok = "", false
		}
	}()
	return f.calls[name](args), true
}

// Fusing (issue 12). An action that calls a function and writes what it
// answers was two calls by reflection, the function's then its escaper's;
// fused, it is one: a function of the same arguments that answers what
// the escaper would have written. For a string, the escapers of HTML
// text, of a quoted attribute and of RCDATA write the same
// (htmlEscapeString); for template.HTML, the escaper of HTML text writes
// it as it is. {{if not (isZero X)}} is likewise one call, isSet.

// htmlReplacedChains are the escaper chains that write a string as
// htmlEscapeString does.
var htmlReplacedChains = map[string]bool{
	"_html_template_htmlescaper":   true,
	"_html_template_attrescaper":   true,
	"_html_template_rcdataescaper": true,
}

// fusedString names, by function answering a string, its fused function
// (fusedFuncs); fusedHTML lists the functions answering template.HTML.
var (
	fusedString = map[string]string{"t": "_fused_t", "text": "_fused_text", "label": "_fused_label", "num": "_fused_num",
		"digits": "_fused_digits", "reason": "_fused_reason", "tn": "_fused_tn"}
	fusedHTML = map[string]bool{"date": true, "stamp": true, "period": true, "who": true, "agency": true,
		"actionItem": true, "actionStatus": true, "projectLink": true}
)

// fusedFuncs are the fused functions of funcs (one language's FuncMap).
func fusedFuncs(funcs template.FuncMap) template.FuncMap {
	t, text, label := funcs["t"].(func(string, ...any) string), funcs["text"].(func(domain.Text) string), funcs["label"].(func(string, any) string)
	num, digits, reason := funcs["num"].(func(int) string), funcs["digits"].(func(string) string), funcs["reason"].(func(any) string)
	tn := funcs["tn"].(func(string, int) string)
	return template.FuncMap{
		"_fused_t":      func(key string, args ...any) string { return htmlEscapeString(t(key, args...)) },
		"_fused_text":   func(x domain.Text) string { return htmlEscapeString(text(x)) },
		"_fused_label":  func(group string, v any) string { return htmlEscapeString(label(group, v)) },
		"_fused_num":    func(n int) string { return htmlEscapeString(num(n)) },
		"_fused_digits": func(s string) string { return htmlEscapeString(digits(s)) },
		"_fused_reason": func(r any) string { return htmlEscapeString(reason(r)) },
		"_fused_tn":     func(key string, n int) string { return htmlEscapeString(tn(key, n)) },
		"_fused_isSet":  func(x domain.Text) bool { return !x.IsZero() },
	}
}

// htmlEscapeString escapes s as html/template escapes a string in HTML
// text or a quoted attribute: byte for byte, the ASCII characters below,
// every other byte as it is (TestHTMLEscapeString holds it to
// html/template's own).
var htmlEscapeString = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;").Replace

// fuse makes an escaped action's pipeline one call where it can.
func fuse(p *parse.PipeNode) {
	if len(p.Decl) > 0 || len(p.Cmds) != 2 || len(p.Cmds[0].Args) == 0 || len(p.Cmds[1].Args) != 1 {
		return
	}
	fn, isID := p.Cmds[0].Args[0].(*parse.IdentifierNode)
	esc, escID := p.Cmds[1].Args[0].(*parse.IdentifierNode)
	if !isID || !escID {
		return
	}
	switch {
	case fusedString[fn.Ident] != "" && htmlReplacedChains[esc.Ident]:
		p.Cmds[0].Args[0] = parse.NewIdentifier(fusedString[fn.Ident]).SetPos(fn.Pos)
	case fusedHTML[fn.Ident] && esc.Ident == "_html_template_htmlescaper":
	default:
		return
	}
	p.Cmds = p.Cmds[:1]
}

// fuseCondition makes {{if not (isZero X)}} {{if _fused_isSet X}}.
func fuseCondition(p *parse.PipeNode) {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 2 {
		return
	}
	not, isID := p.Cmds[0].Args[0].(*parse.IdentifierNode)
	inner, isPipe := p.Cmds[0].Args[1].(*parse.PipeNode)
	if !isID || not.Ident != "not" || !isPipe || len(inner.Decl) > 0 || len(inner.Cmds) != 1 || len(inner.Cmds[0].Args) != 2 {
		return
	}
	if z, ok := inner.Cmds[0].Args[0].(*parse.IdentifierNode); !ok || z.Ident != "isZero" {
		return
	}
	p.Cmds[0].Args = []parse.Node{parse.NewIdentifier("_fused_isSet").SetPos(not.Pos), inner.Cmds[0].Args[1]}
}
