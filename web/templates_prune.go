package web

import (
	"html/template"
	"text/template/parse"
)

// Every page is parsed with every shared template (sharedTemplates), 90
// sets in all (45 pages × 2 languages), each holding its own copy of every
// shared part: 28 MiB of parse trees that stayed live for the life of the
// process, most of them parts the page never calls. A page's set keeps
// only what it can execute: the layout, the templates its own file
// defines (its blocks, and the fragments renderFragment executes by
// name), and what those call, transitively. {{template}} names are
// constants, so what a page can reach is known once it is parsed.

// sharedNames lists the templates the shared files define.
func sharedNames(funcs template.FuncMap) (map[string]bool, error) {
	t, err := template.New("shared").Funcs(funcs).ParseFS(templateFS, sharedTemplates...)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, x := range t.Templates() {
		out[x.Name()] = true
	}
	return out, nil
}

// prunePage returns a set with the templates of t a page can execute:
// "layout", those not defined by a shared file (shared), and the
// templates they call.
func prunePage(t *template.Template, funcs template.FuncMap, shared map[string]bool) (*template.Template, error) {
	reach := map[string]bool{}
	var visit func(name string)
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.IfNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			visit(n.Name)
		}
	}
	visit = func(name string) {
		if reach[name] {
			return
		}
		x := t.Lookup(name)
		if x == nil || x.Tree == nil {
			return
		}
		reach[name] = true
		walk(x.Tree.Root)
	}
	visit("layout")
	for _, x := range t.Templates() {
		if !shared[x.Name()] {
			visit(x.Name())
		}
	}
	out := template.New(t.Name()).Funcs(funcs)
	for name := range reach {
		if _, err := out.AddParseTree(name, t.Lookup(name).Tree); err != nil {
			return nil, err
		}
	}
	return out, nil
}
