package pii

import "slices"

// mapFindings turns the findings more of a pass over out, the result of
// a pass over some text that found found in it (sorted, disjoint), into
// findings over that text: an offset outside the placeholders moves by
// the difference in length of the placeholders and values before it; a
// span that starts or ends inside a placeholder starts or ends with the
// value it stands for.
func mapFindings(out string, found, more []Finding) []Finding {
	type seg struct{ at, end, start, stop int } // placeholder in out, value in text
	segs := make([]seg, 0, len(found))
	at := 0
	for i, f := range found {
		if i == 0 {
			at = f.Start
		} else {
			at += f.Start - found[i-1].End
		}
		size, _, _ := parsePlaceholder(out[at:])
		segs = append(segs, seg{at, at + size, f.Start, f.End})
		at += size
	}
	// toText maps offset x of out; end says x ends a span.
	toText := func(x int, end bool) int {
		shift := 0 // text offset minus out offset, after the segments seen
		for _, s := range segs {
			switch {
			case x <= s.at:
				return x + shift
			case x < s.end && end:
				return s.stop
			case x < s.end:
				return s.start
			}
			shift = s.stop - s.end
		}
		return x + shift
	}
	mapped := make([]Finding, len(more))
	for i, f := range more {
		f.Start, f.End = toText(f.Start, false), toText(f.End, true)
		mapped[i] = f
	}
	return mapped
}

// mergeFindings adds the findings of a later pass to those of the
// first, both over the same text, in order of position; a finding of
// the first that a later one covers is dropped, so no two overlap.
func mergeFindings(found, later []Finding) []Finding {
	out := make([]Finding, 0, len(found)+len(later))
	for _, f := range found {
		covered := false
		for _, g := range later {
			if g.Start <= f.Start && f.End <= g.End {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, f)
		}
	}
	out = append(out, later...)
	slices.SortFunc(out, func(a, b Finding) int { return a.Start - b.Start })
	return out
}
