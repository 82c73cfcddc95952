package domain

import (
	"time"
	_ "time/tzdata" // Tehran's rules travel in the binary, whatever the host has installed
)

// Tehran is the zone every time is shown in to people: the secretariat and
// the agencies work in Iran, whatever zone the server runs in. The zone data
// is embedded (time/tzdata), so a host without /usr/share/zoneinfo shows the
// same times. Instants are still stored and sent by the API in UTC.
var Tehran = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Tehran")
	if err != nil { // cannot happen: the zone data is embedded
		panic("domain: " + err.Error())
	}
	return loc
}()

// TehranDate returns the calendar day it is in Tehran at the instant t: the
// day a person in Iran would write down.
func TehranDate(t time.Time) Date {
	y, m, d := t.In(Tehran).Date()
	return Date{y, int(m), d}
}
