package sheet

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
)

// Month is a Jalali reporting month: agencies report by Jalali month (issue
// 13 stores reporting periods as such). Its String form, "1405-08", is the
// one a period is stored in.
type Month struct{ Year, Month int }

// String returns the month as YYYY-MM: 1405-08.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, m.Month) }

// FA names the month in Persian: آبان ۱۴۰۵.
func (m Month) FA() string {
	fa, _ := jalali.MonthName(m.Month)
	return fa + " " + jalali.PersianDigits(strconv.Itoa(m.Year))
}

// EN names the month in English: Aban 1405.
func (m Month) EN() string {
	_, en := jalali.MonthName(m.Month)
	return en + " " + strconv.Itoa(m.Year)
}

// Start returns the Gregorian day the month begins on.
func (m Month) Start() domain.Date {
	y, mo, d, _ := jalali.ToGregorian(m.Year, m.Month, 1)
	return domain.NewDate(y, mo, d)
}

// End returns the Gregorian day the month ends on.
func (m Month) End() domain.Date {
	y, mo, d, _ := jalali.ToGregorian(m.Year, m.Month, jalali.MonthLength(m.Year, m.Month))
	return domain.NewDate(y, mo, d)
}

// monthNames maps each way of writing a month's name (as Key folds it) to
// its number: Persian, the common transliterations, and the spellings with
// Arabic letters (which Key folds too).
var monthNames = func() map[string]int {
	m := map[string]int{}
	for i := 1; i <= 12; i++ {
		fa, en := jalali.MonthName(i)
		m[Key(fa)], m[Key(en)] = i, i
	}
	for k, v := range map[string]int{
		"اردی بهشت": 2, "amordad": 5, "mordaad": 5, "shahrivar": 6, "mehr": 7, "day": 10, "dei": 10,
		"esfand": 12, "farvardin": 1, "ordibehesht": 2, "khordad": 3, "tir": 4, "aban": 8, "azar": 9, "bahman": 11,
	} {
		m[Key(k)] = v
	}
	return m
}()

// ParseMonth reads a Jalali month: 1405-08, 1405/8, ۱۴۰۵-۰۸, «آبان ۱۴۰۵»,
// «۱۴۰۵ آبان», "Aban 1405". A Gregorian month (2026-11) is refused with a
// message that says so.
func ParseMonth(s string) (Month, error) {
	orig := s
	k := Key(s) // digits ASCII, spaces folded, "-" made a space
	if k == "" {
		return Month{}, errf("خالی است", "empty")
	}
	k = strings.ReplaceAll(k, "/", " ")
	fields := strings.Fields(k)
	if len(fields) != 2 {
		// "آبان1405" with no space
		if i := strings.IndexAny(k, "0123456789"); i > 0 {
			fields = []string{strings.TrimSpace(k[:i]), k[i:]}
		} else {
			return Month{}, monthError(orig)
		}
	}
	var y, m int
	a, b := fields[0], fields[1]
	ya, erra := strconv.Atoi(a)
	yb, errb := strconv.Atoi(b)
	switch {
	case erra == nil && errb == nil: // 1405 08
		if len(a) != 4 {
			return Month{}, monthError(orig)
		}
		y, m = ya, yb
	case erra == nil: // 1405 آبان
		y, m = ya, monthNames[b]
	case errb == nil: // آبان 1405
		y, m = yb, monthNames[a]
	}
	if m < 1 || m > 12 || y == 0 {
		return Month{}, monthError(orig)
	}
	if y >= minGregorian {
		return Month{}, errf("«%s» ماه میلادی است؛ دوره گزارش ماه شمسی است، مانند ۱۴۰۵-۰۸ یا «آبان ۱۴۰۵»",
			"%q is a Gregorian month: reporting periods are Jalali months, such as 1405-08 or Aban 1405", orig)
	}
	if y < 1300 {
		return Month{}, errf("«%s»: سال شمسی باید از ۱۳۰۰ به بعد باشد", "%q: the Jalali year must be 1300 or later", orig)
	}
	return Month{y, m}, nil
}

func monthError(s string) error {
	return errf("«%s» ماه شمسی نیست؛ مانند ۱۴۰۵-۰۸ یا «آبان ۱۴۰۵» بنویسید",
		"%q is not a Jalali month: write it as 1405-08 or Aban 1405", s)
}
