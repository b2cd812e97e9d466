package stage

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/internal/testutil"
	"github.com/iglowly/assistant/schemas"
)

// TestPoolBoundsConcurrency runs more messages than the pool has room
// for, with handlers that wait: at most the bound run at once, and every
// message is handled exactly once.
func TestPoolBoundsConcurrency(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var running, peak, handled atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	p := newPool(ctx, 3, func(_ context.Context, msg *nats.Msg) {
		defer wg.Done()
		n := running.Add(1)
		for {
			old := peak.Load()
			if n <= old || peak.CompareAndSwap(old, n) {
				break
			}
		}
		<-release
		running.Add(-1)
		handled.Add(1)
	})
	const total = 20
	wg.Add(total)
	done := make(chan struct{})
	go func() {
		for i := 0; i < total; i++ {
			p.run(&nats.Msg{Subject: "x"})
		}
		close(done)
	}()
	// The pool is full after three; run blocks until one is free.
	select {
	case <-done:
		t.Fatal("run did not wait for a free goroutine")
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	<-done
	wg.Wait()
	if peak.Load() != 3 {
		t.Errorf("peak concurrency %d, want 3", peak.Load())
	}
	if handled.Load() != total {
		t.Errorf("handled %d of %d", handled.Load(), total)
	}
}

// TestPoolStopsWaitingWhenCancelled checks that a full pool does not
// block its caller once the stage is stopping.
func TestPoolStopsWaitingWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	block := make(chan struct{})
	defer close(block)
	p := newPool(ctx, 1, func(context.Context, *nats.Msg) { <-block })
	p.run(&nats.Msg{})
	returned := make(chan struct{})
	go func() {
		p.run(&nats.Msg{})
		close(returned)
	}()
	cancel()
	select {
	case <-returned:
	case <-time.After(2 * time.Second):
		t.Fatal("run still blocked after cancel")
	}
}

func encoded(t *testing.T, subject, clinic string) *nats.Msg {
	t.Helper()
	e, err := schemas.NewEvent(schemas.TypeAnswerChunk, "/test", clinic,
		schemas.AnswerChunk{Text: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := schemas.Encode(subject, &e)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// TestReceiveEventChecksTheSubjectsClinic checks that an event is read
// only on its own clinic's subjects.
func TestReceiveEventChecksTheSubjectsClinic(t *testing.T) {
	cases := []struct {
		subject, clinic string
		ok              bool
	}{
		{"iglowly.demo.chat.respond", "demo", true},
		{"iglowly.demo-2.chat.respond", "demo", false},
		{"iglowly.DEMO.chat.respond", "demo", false},
		{"iglowly.de.chat.respond", "demo", false},
		{"other.demo.chat.respond", "demo", false},
	}
	for _, c := range cases {
		t.Run(c.subject, func(t *testing.T) {
			msg := encoded(t, c.subject, c.clinic)
			in, err := ReceiveEvent(msg)
			if c.ok && (err != nil || in.Clinic != c.clinic) {
				t.Fatalf("refused: %v", err)
			}
			if !c.ok && (!errors.Is(err, ErrClinicMismatch) || in.Clinic != "") {
				t.Fatalf("accepted: clinic %q, %v", in.Clinic, err)
			}
		})
	}
}

func TestFailureHasFixedTexts(t *testing.T) {
	if f := Failure(CodeModelFailed); f.Code != CodeModelFailed || f.Message == "" {
		t.Errorf("Failure(model_failed) = %+v", f)
	}
	// A code no stage knows, as a forged failure might carry, becomes
	// internal, so no text from outside reaches a visitor.
	if f := Failure("Jan Peeters"); f.Code != CodeInternal || f.Message != failureText[CodeInternal] {
		t.Errorf("unknown code kept: %+v", f)
	}
}

// TestInlineBytes checks where messages are handled: a small one on the
// subscription's goroutine, so the next waits for it, and a large one on
// the pool, so the next does not.
func TestInlineBytes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		inline int
		size   int
		serial bool
	}{
		{"small inline", 64, 10, true},
		{"large to the pool", 64, 100, false},
		{"no inlining", 0, 10, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nc := testutil.InProcessNATS(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			release := make(chan struct{})
			started := make(chan struct{}, 2)
			_, err := Serve(ctx, nc, Config{Name: "t", Version: "0.0.1", Subject: "s.x",
				Queue: "q", InlineBytes: tc.inline},
				func(context.Context, *nats.Msg) { started <- struct{}{}; <-release })
			if err != nil {
				t.Fatal(err)
			}
			payload := make([]byte, tc.size)
			_ = nc.Publish("s.x", payload)
			_ = nc.Publish("s.x", payload)
			<-started
			select {
			case <-started:
				if tc.serial {
					t.Error("the second message ran while the first still did")
				}
			case <-time.After(300 * time.Millisecond):
				if !tc.serial {
					t.Error("the second message waited for the first")
				}
			}
			close(release)
		})
	}
}
