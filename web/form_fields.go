package web

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The older staff forms (meetings, agenda, outcomes, reports, accounts,
// designation) show a refusal in one box at the top (the form-error
// template). The service names the field it refuses by its API path —
// items[1].drop_reason — which means nothing to a person: fieldRef turns
// it into the field's name in the person's language, a list's row by its
// number in the page's digits ("دلیل حذف، بند ۲ دستور جلسه"), and, where
// the workspace has one input for that path, the element to go to. A path
// it cannot name is not shown at all: never the API's words.

// fieldRef is a refused field as the form-error box names it.
type fieldRef struct {
	Label string // empty: not named
	ID    string // the input's element id, when known
}

var fieldSegment = regexp.MustCompile(`^([a-z_]+)(?:\[(\d+)\])?$`)

// fieldAnchors are the inputs of the older forms, by the path they feed;
// %d is the row's number (1-based), as the form numbers its rows. Only
// paths one form in the workspace feeds are listed.
var fieldAnchors = map[string]string{
	"items[]":             "pos-%d",
	"items[].drop_reason": "drop-%d",
	"risks[].text":        "risk-%d-fa",
	"narrative":           "report-narrative-fa",
	"period":              "report-period",
	"projected_end":       "report-end",
	"projected_cost":      "report-pcost",
	"actual_cost":         "report-acost",
	"resolution":          "outcome-resolution",
	"owner":               "outcome-owner",
	"due":                 "outcome-due",
	"username":            "account-username",
	"display_name":        "account-name-fa",
	"email":               "account-email",
	"series":              "meeting-series",
	"url":                 "evidence-url",
	"file":                "evidence-file",
}

// fieldRef names the field at path for the person reading in l.
func (l Lang) fieldRef(path string) fieldRef {
	if path == "" {
		return fieldRef{}
	}
	var rows []string
	var shape strings.Builder
	leaf, n := "", 0
	for i, seg := range strings.Split(path, ".") {
		m := fieldSegment.FindStringSubmatch(seg)
		if m == nil {
			return fieldRef{}
		}
		if i > 0 {
			shape.WriteByte('.')
		}
		shape.WriteString(m[1])
		leaf = m[1]
		if m[2] != "" {
			shape.WriteString("[]")
			idx, err := strconv.Atoi(m[2])
			if err != nil {
				return fieldRef{}
			}
			n = idx + 1
			key := "fieldrow." + m[1]
			if _, ok := catalog[key]; !ok {
				return fieldRef{}
			}
			rows = append(rows, l.T(key, n))
			leaf = ""
		}
	}
	var parts []string
	if leaf != "" {
		key := "fieldname." + leaf
		if _, ok := catalog[key]; !ok {
			return fieldRef{}
		}
		parts = append(parts, l.T(key))
	}
	for i := len(rows) - 1; i >= 0; i-- {
		parts = append(parts, rows[i])
	}
	ref := fieldRef{Label: strings.Join(parts, l.T("fieldname.sep"))}
	if id, ok := fieldAnchors[shape.String()]; ok {
		if strings.Contains(id, "%d") {
			id = fmt.Sprintf(id, n)
		}
		ref.ID = id
	}
	return ref
}
