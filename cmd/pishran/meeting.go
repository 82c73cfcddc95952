package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/minutes"
	"github.com/pishran/pishran/service"
)

const meetingUsage = `Usage:
  pishran meeting list    [--series CODE] [--db DB]       list meetings
  pishran meeting agenda  ID [--db DB]                    print a planned meeting's proposed agenda
  pishran meeting minutes ID [--lang fa|en] [--format md|html] [--out FILE] [--public-url URL] [--db DB]
                                                          render a meeting's minutes
`

// cmdMeeting runs the meeting subcommands, as the operator at the console
// (the system actor: it sees confidential projects too).
func cmdMeeting(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, meetingUsage)
		return fmt.Errorf("meeting: a subcommand is required (list, agenda, minutes)")
	}
	switch args[0] {
	case "--help", "-h", "help":
		fmt.Fprint(stderr, meetingUsage)
		return nil
	case "list":
		return cmdMeetingList(ctx, args[1:], stdout, stderr)
	case "agenda":
		return cmdMeetingAgenda(ctx, args[1:], stdout, stderr)
	case "minutes":
		return cmdMeetingMinutes(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprint(stderr, meetingUsage)
	return fmt.Errorf("meeting: unknown subcommand %q", args[0])
}

func cmdMeetingList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("meeting list", "meeting list [--series CODE] [--db DB]", stderr)
	series := fs.String("series", "", "only this series' meetings")
	dsn := dbFlag(fs)
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("meeting list takes no arguments, got %q", rest)
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	// A meeting's paging key is its row id, returned beside the page: the
	// walk's key is the last key of the page just read.
	var keys []string
	meetings := func(p domain.Page) (ms []*domain.Meeting, err error) {
		ms, keys, err = svc.Meetings(ctx, service.System, domain.MeetingFilter{Series: *series}, p)
		return ms, err
	}
	n := 0
	for m, err := range domain.Walk(meetings, func(*domain.Meeting) string { return keys[len(keys)-1] }) {
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%-20s %s  %-8s %s\n", m.ID, m.Date, m.State, m.Title.In("en"))
		n++
	}
	fmt.Fprintf(stdout, "%d meetings.\n", n)
	return nil
}

func cmdMeetingAgenda(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("meeting agenda", "meeting agenda ID [--db DB]", stderr)
	dsn := dbFlag(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return fmt.Errorf("meeting agenda needs exactly one meeting id, such as itec-27")
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	m, items, err := svc.ProposeAgenda(ctx, service.System, rest[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Proposed agenda of %s (%s, %s)\n\n", m.ID, m.Date, m.Date.Jalali())
	for i, it := range items {
		ref := it.Project
		if it.Kind == domain.AgendaAction {
			ref = fmt.Sprintf("action #%d (%s, due %s)", it.Action, it.Owner, it.Due)
		} else if it.Kind == domain.AgendaOther {
			ref = "other"
		}
		var reasons []string
		for _, r := range it.Reasons {
			reasons = append(reasons, string(r))
		}
		fmt.Fprintf(stdout, "%3d. %s — %s\n     %s\n     [%s]\n", i+1, ref, it.Title.EN, it.Title.FA, strings.Join(reasons, ", "))
	}
	fmt.Fprintf(stdout, "\n%d items.\n", len(items))
	return nil
}

func cmdMeetingMinutes(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("meeting minutes", "meeting minutes ID [--lang fa|en] [--format md|html] [--out FILE] [--public-url URL] [--db DB]", stderr)
	lang := fs.String("lang", "fa", "fa (Persian, right to left, Jalali dates) or en")
	format := fs.String("format", "md", "md (Markdown) or html (a printable page)")
	out := fs.String("out", "-", "file to write, - for standard output")
	public := publicURLFlag(fs) // the verification addresses the minutes print
	dsn := dbFlag(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return fmt.Errorf("meeting minutes needs exactly one meeting id, such as itec-26")
	}
	if !slices.Contains(minutes.Langs, *lang) {
		return fmt.Errorf("--lang must be fa or en, not %q", *lang)
	}
	if !slices.Contains(minutes.Formats, *format) {
		return fmt.Errorf("--format must be md or html, not %q", *format)
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	in, err := svc.Minutes(ctx, service.System, rest[0])
	if err != nil {
		return err
	}
	in.Base = *public
	b, err := minutes.Render(in, *lang, *format)
	if err != nil {
		return err
	}
	if *out == "-" {
		_, err = stdout.Write(b)
		return err
	}
	return writeFileAtomic(*out, b)
}
