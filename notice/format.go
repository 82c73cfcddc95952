package notice

import (
	"fmt"
	"time"
	_ "time/tzdata" // Tehran's time zone, whatever the host has installed

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
)

// tehran is the zone every time in a notice is shown in: the people who read
// them work in Iran, whatever zone the server runs in.
var tehran = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Tehran")
	if err != nil { // cannot happen: the zone data is embedded
		panic("notice: " + err.Error())
	}
	return loc
}()

// faDigits writes ASCII digits as Persian ones.
func faDigits(v any) string { return jalali.PersianDigits(fmt.Sprint(v)) }

// faDate is a day in the Jalali calendar with Persian digits: ۱۹ آذر ۱۴۰۲.
func faDate(d domain.Date) string {
	jy, jm, jd := jalali.FromGregorian(d.Y, d.M, d.D)
	name, _ := jalali.MonthName(jm)
	return jalali.PersianDigits(fmt.Sprintf("%d %s %d", jd, name, jy))
}

// enDate is a day in ISO form: 2023-12-10.
func enDate(d domain.Date) string { return d.String() }

// faTime is a moment in Tehran time, Jalali with Persian digits:
// ۱۹ آذر ۱۴۰۲، ساعت ۱۴:۳۰ به وقت تهران.
func faTime(t time.Time) string {
	t = t.In(tehran)
	return faDate(domain.NewDate(t.Year(), int(t.Month()), t.Day())) + "، ساعت " +
		jalali.PersianDigits(t.Format("15:04")) + " به وقت تهران"
}

// enTime is a moment in Tehran time, ISO: 2023-12-10 14:30 Tehran time (UTC+03:30).
func enTime(t time.Time) string {
	t = t.In(tehran)
	return t.Format("2006-01-02 15:04") + " Tehran time (UTC" + t.Format("-07:00") + ")"
}

// faPeriod names a Jalali month in Persian: آبان ۱۴۰۵.
func faPeriod(p string) string {
	y, m, ok := parsePeriod(p)
	if !ok {
		return jalali.PersianDigits(p)
	}
	name, _ := jalali.MonthName(m)
	return name + " " + jalali.PersianDigits(fmt.Sprint(y))
}

// enPeriod names a Jalali month in English with its numeric form:
// Aban 1405 (1405-08).
func enPeriod(p string) string {
	y, m, ok := parsePeriod(p)
	if !ok {
		return p
	}
	_, name := jalali.MonthName(m)
	return fmt.Sprintf("%s %d (%s)", name, y, p)
}

// daysBetween counts the Tehran calendar days from the day of t to d
// (negative when d is earlier).
func daysBetween(t time.Time, d domain.Date) int {
	t = t.In(tehran)
	return domain.NewDate(t.Year(), int(t.Month()), t.Day()).DaysUntil(d)
}
