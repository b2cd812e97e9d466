package pii

import (
	"cmp"
	"slices"
	"unicode/utf8"
)

// candidate is a span with the type and priority of its detector.
type candidate struct {
	Span
	typ  Type
	prio int // index of the detector: lower wins
	// protected marks a placeholder already in the text: it blocks
	// detectors and is written out unchanged.
	protected bool
}

// resolve adds to kept (which holds the protected placeholders) the
// candidates that survive overlap resolution and returns kept sorted by
// position. Candidates are taken by priority, then longest first, then
// leftmost. One that partly overlaps a kept span keeps its uncovered
// parts that still hold a letter or digit, so a value found by a weaker
// detector is never left in clear because a stronger one took a piece
// of it.
func resolve(text string, cands []candidate, kept []candidate) []candidate {
	slices.SortFunc(kept, byStart)
	slices.SortFunc(cands, func(a, b candidate) int {
		if c := cmp.Compare(a.prio, b.prio); c != 0 {
			return c
		}
		if c := cmp.Compare(b.End-b.Start, a.End-a.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.Start, b.Start)
	})
	for _, c := range cands {
		// first kept span ending after c starts
		k, _ := slices.BinarySearchFunc(kept, c.Start, func(e candidate, t int) int {
			return cmp.Compare(e.End, t+1)
		})
		if k == len(kept) || kept[k].Start >= c.End {
			kept = slices.Insert(kept, k, c)
			continue
		}
		kept = keepUncovered(text, c, kept, k)
	}
	return kept
}

// keepUncovered inserts the parts of c outside kept spans, starting the
// search at kept[k], the first kept span that overlaps c.
func keepUncovered(text string, c candidate, kept []candidate, k int) []candidate {
	from := c.Start
	var pieces [4]candidate
	parts := pieces[:0]
	for ; k < len(kept) && kept[k].Start < c.End; k++ {
		if kept[k].Start > from {
			parts = appendPiece(text, parts, c, from, kept[k].Start)
		}
		from = max(from, kept[k].End)
	}
	if from < c.End {
		parts = appendPiece(text, parts, c, from, c.End)
	}
	for _, p := range parts {
		i, _ := slices.BinarySearchFunc(kept, p.Start, func(e candidate, t int) int {
			return cmp.Compare(e.Start, t)
		})
		kept = slices.Insert(kept, i, p)
	}
	return kept
}

// appendPiece appends c cut to [start, end), trimmed of ASCII punctuation
// and spaces at both ends, if anything is left.
func appendPiece(text string, dst []candidate, c candidate, start, end int) []candidate {
	for start < end && text[start] < utf8.RuneSelf && !isAlnum(text[start]) {
		start++
	}
	for end > start && text[end-1] < utf8.RuneSelf && !isAlnum(text[end-1]) {
		end--
	}
	if start == end {
		return dst
	}
	p := c
	p.Start, p.End, p.Key = start, end, ""
	return append(dst, p)
}

func byStart(a, b candidate) int { return cmp.Compare(a.Start, b.Start) }
