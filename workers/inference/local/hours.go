package local

import (
	"fmt"
	"slices"
	"time"
)

// weekOrder lists the days the way a clinic's week is read: Monday first.
var weekOrder = [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday,
	time.Thursday, time.Friday, time.Saturday, time.Sunday}

// hours answers about opening hours: for "now", for today or tomorrow,
// for named days, or for the whole week. The clinic's hours note follows.
func (w *writer) hours(days, rel uint8) {
	w.source("hours")
	if w.closedAllWeek() {
		w.say(w.t.noHours)
		w.missing = true
		return
	}
	today := w.now.Weekday()
	switch {
	case rel&(1<<relNow) != 0:
		w.hoursNow()
	case rel != 0:
		if rel&(1<<relToday) != 0 {
			w.hoursRelative(w.t.today, today)
		}
		if rel&(1<<relTomorrow) != 0 {
			w.hoursRelative(w.t.tomorrow, (today+1)%7)
		}
	case days != 0:
		for _, d := range weekOrder {
			if days&(1<<d) != 0 {
				w.hoursOn(d)
			}
		}
	default:
		w.hoursWeek()
	}
	w.say(w.c.HoursNote.In(w.t.lang))
}

func (w *writer) closedAllWeek() bool {
	for _, spans := range w.idx.week {
		if len(spans) > 0 {
			return false
		}
	}
	return true
}

// spans writes a day's periods: "from 09:00 to 12:00 and from 13:00 to
// 18:00".
func (w *writer) spans(spans []span) string {
	parts := make([]string, len(spans))
	for i, s := range spans {
		parts[i] = fmt.Sprintf(w.t.span, w.t.clock(s.open), w.t.clock(s.close))
	}
	return join(parts, w.t.and)
}

func (w *writer) hoursOn(d time.Weekday) {
	if spans := w.idx.week[d]; len(spans) > 0 {
		w.sayf(w.t.dayOpen, w.t.days[d], w.spans(spans))
		return
	}
	w.sayf(w.t.dayClosed, w.t.days[d])
	w.nextOpening(d)
}

func (w *writer) hoursRelative(label string, d time.Weekday) {
	if spans := w.idx.week[d]; len(spans) > 0 {
		w.sayf(w.t.relOpen, label, w.t.days[d], w.spans(spans))
		return
	}
	w.sayf(w.t.relClosed, label, w.t.days[d])
	w.nextOpening(d)
}

// hoursNow says whether the clinic is open at this moment, and if not,
// when it opens next.
func (w *writer) hoursNow() {
	d, hhmm := w.now.Weekday(), w.now.Format("15:04")
	for _, s := range w.idx.week[d] {
		if s.open <= hhmm && hhmm < s.close {
			w.sayf(w.t.openNow, w.t.clock(s.close))
			return
		}
	}
	w.say(w.t.closedNow)
	var later []span
	for _, s := range w.idx.week[d] {
		if s.open > hhmm {
			later = append(later, s)
		}
	}
	if len(later) > 0 {
		w.sayf(w.t.relOpen, w.t.today, w.t.days[d], w.spans(later))
		return
	}
	w.nextOpening(d)
}

// nextOpening says on which day after d the clinic opens again.
func (w *writer) nextOpening(d time.Weekday) {
	for k := 1; k <= 7; k++ {
		next := (d + time.Weekday(k)) % 7
		if spans := w.idx.week[next]; len(spans) > 0 {
			w.sayf(w.t.nextOpen, w.t.days[next], w.spans(spans))
			return
		}
	}
}

// hoursWeek describes the week, grouping consecutive days with the same
// hours ("Tuesday to Friday from 09:00 to 18:00"), then the closed days.
func (w *writer) hoursWeek() {
	var items, closed []string
	for i := 0; i < len(weekOrder); {
		d := weekOrder[i]
		spans := w.idx.week[d]
		if len(spans) == 0 {
			closed = append(closed, w.t.days[d])
			i++
			continue
		}
		j := i + 1
		for j < len(weekOrder) && slices.Equal(w.idx.week[weekOrder[j]], spans) {
			j++
		}
		items = append(items, w.dayGroup(weekOrder[i:j])+" "+w.spans(spans))
		i = j
	}
	w.sayf(w.t.hoursIntro, join(items, w.t.and))
	if len(closed) > 0 {
		w.sayf(w.t.closedOn, join(closed, w.t.and))
	}
}

// dayGroup names consecutive days: "Monday", "Monday and Tuesday",
// "Monday to Friday".
func (w *writer) dayGroup(days []time.Weekday) string {
	first, last := w.t.days[days[0]], w.t.days[days[len(days)-1]]
	switch len(days) {
	case 1:
		return fmt.Sprintf(w.t.daysOne, first)
	case 2:
		return fmt.Sprintf(w.t.daysOne, first+w.t.and+last)
	}
	return fmt.Sprintf(w.t.daysRange, first, last)
}
