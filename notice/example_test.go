package notice_test

import (
	"os"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/notice"
)

func exampleComposer() *notice.Composer {
	return &notice.Composer{
		BaseURL: "https://pishran.example.ir",
		From:    notice.Address{Name: notice.DefaultFromName, Address: "no-reply@pishran.example.ir"},
		Secret:  []byte("0123456789abcdef0123456789abcdef"),
		Now:     func() time.Time { return time.Date(2026, 11, 3, 6, 0, 0, 0, time.UTC) },
	}
}

func Example() {
	due := domain.NewDate(2026, 11, 21)
	m, err := exampleComposer().Compose(notice.Notice{
		Kind:    notice.ReportDueSoon,
		Key:     notice.Key(notice.ReportDueSoon, "e-prescription", "1405-08", "ali"),
		To:      notice.Recipient{Username: "ali", Name: domain.T("علی رضایی", "Ali Rezaei"), Address: "ali@moh.example.ir"},
		At:      time.Date(2026, 11, 3, 6, 0, 0, 0, time.UTC),
		Path:    "/work/reports/new?project=e-prescription&period=1405-08",
		Project: &notice.Ref{ID: "e-prescription", Name: domain.T("نسخه الکترونیک", "Electronic prescription")},
		Period:  "1405-08",
		Due:     &due,
	})
	if err != nil {
		panic(err)
	}
	os.Stdout.WriteString(m.Subject + "\n")
	// Output:
	// موعد گزارش آبان ۱۴۰۵ پروژه «نسخه الکترونیک»: ۳۰ آبان ۱۴۰۵ — Report for Aban 1405 (1405-08) on "Electronic prescription" due 2026-11-21
}
