package config

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ClinicStore serves clinic configuration from memory, kept current by
// watching the JetStream KV bucket "clinics". Reads never touch NATS.
type ClinicStore struct {
	clinics atomic.Pointer[map[string]*Clinic]
	mu      sync.Mutex // serialises writers of clinics
	watcher jetstream.KeyWatcher
	log     *slog.Logger
	// changed, if set, is called with each clinic a later update adds
	// or changes (see OnChange).
	changed atomic.Pointer[func(*Clinic)]
}

// OnChange sets f to be called, on the watch's goroutine, with each
// clinic that an update after the initial values adds or changes: a
// component checks there what it alone can check, such as a model
// provider's key.
func (s *ClinicStore) OnChange(f func(*Clinic)) {
	s.changed.Store(&f)
}

// WatchClinics loads every clinic of bucket and keeps them current until
// ctx ends. It returns once the initial values are loaded.
func WatchClinics(ctx context.Context, nc *nats.Conn, bucket string,
	log *slog.Logger) (*ClinicStore, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("opening jetstream: %w", err)
	}
	kv, err := js.KeyValue(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("binding %s bucket: %w", bucket, err)
	}
	w, err := kv.WatchAll(ctx)
	if err != nil {
		return nil, fmt.Errorf("watching %s bucket: %w", bucket, err)
	}
	s := &ClinicStore{watcher: w, log: log}
	empty := map[string]*Clinic{}
	s.clinics.Store(&empty)
	for e := range w.Updates() {
		if e == nil {
			go s.follow(w.Updates())
			return s, nil
		}
		s.apply(e)
	}
	return nil, errors.New("clinics watch ended before the initial values")
}

func (s *ClinicStore) follow(updates <-chan jetstream.KeyValueEntry) {
	for e := range updates {
		if e == nil {
			continue
		}
		if c := s.apply(e); c != nil {
			if f := s.changed.Load(); f != nil {
				(*f)(c)
			}
		}
	}
}

// apply stores the update e and returns the clinic it adds or changes,
// or nil.
func (s *ClinicStore) apply(e jetstream.KeyValueEntry) *Clinic {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := make(map[string]*Clinic, len(*s.clinics.Load())+1)
	for k, v := range *s.clinics.Load() {
		next[k] = v
	}
	switch e.Operation() {
	case jetstream.KeyValueDelete, jetstream.KeyValuePurge:
		delete(next, e.Key())
	default:
		c, err := ParseClinic(e.Value())
		if err != nil || c.ID != e.Key() {
			// A bad value keeps the last good one serving.
			s.log.Error("clinic_config_invalid", "clinic", e.Key(),
				"revision", e.Revision())
			return nil
		}
		next[c.ID] = c
		s.clinics.Store(&next)
		return c
	}
	s.clinics.Store(&next)
	return nil
}

// All returns every clinic, in no particular order.
func (s *ClinicStore) All() []*Clinic {
	m := *s.clinics.Load()
	out := make([]*Clinic, 0, len(m))
	for _, c := range m {
		out = append(out, c)
	}
	return out
}

// Get returns a clinic's configuration. The value must not be changed.
func (s *ClinicStore) Get(id string) (*Clinic, bool) {
	c, ok := (*s.clinics.Load())[id]
	return c, ok
}

// Stop ends the watch.
func (s *ClinicStore) Stop() error {
	if s.watcher == nil {
		return nil
	}
	return s.watcher.Stop()
}

// StaticClinics builds a store from fixed clinics, for tests and tools.
func StaticClinics(cs ...*Clinic) *ClinicStore {
	m := make(map[string]*Clinic, len(cs))
	for _, c := range cs {
		m[c.ID] = c
	}
	s := &ClinicStore{}
	s.clinics.Store(&m)
	return s
}
