package embedded

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/schemas"
)

// nats-server 2.15.3 sends no advisory when it refuses a client's publish
// or subscribe: it answers the client with -ERR and logs a line such as
//
//	pipe - cid:7 - "v1.56.0:go:iglowly-edge" - "$G/user:edge" - Publish
//	Violation - Subject "iglowly.demo.chat.infer"
//
// (on one line).
//
// The embedded server's logger is wrapped to recognise those lines and
// turn each into a content-free security event of the clinic the subject
// names, or of the system pseudo-clinic (config.SystemClinic) if it names
// none. A refused login is logged too, as
//
//	pipe - cid:9 - authentication error - User "edge"
//
// and becomes an auth_failed event of the system pseudo-clinic. Events
// of the system pseudo-clinic are rate-limited, as anyone who reaches
// the port can provoke them. A production server files its refused
// logins through "iglowly security relay" (relay.go), and needs its log
// pipeline for permission violations (see docs/operations.md).
//
// violationsUser is the NATS user that files the events. It may publish
// permission violation events and nothing else; it is no component, so
// no production configuration has it.
const violationsUser = "iglowly-violations"

// violationSource is the CloudEvents source of the events.
const violationSource = "/embedded/nats"

// violationQueue is how many violations wait to be filed; more are
// dropped and counted, so that a client provoking violations in a loop
// cannot hold up the server's logging or grow memory.
const violationQueue = 256

// Limits of the events of the system pseudo-clinic: a burst of
// systemBurst, then one per systemEvery. What the limit refuses is
// counted, and the next event filed there carries the count as
// "suppressed", so a flood of bad logins neither fills the stream
// (pushing out older events) nor goes unseen.
const (
	systemBurst = 20
	systemEvery = time.Second
)

// loginFailed is the code of a refused NATS login.
const loginFailed = "nats_login_failed"

// violationMarkers are the server's log phrases of permission violations
// and the event code each gets. A subject never holds a space, so the
// last marker in a line is the server's own, whatever the client named
// its connection.
var violationMarkers = []struct{ marker, code string }{
	{" - Publish Violation - Subject ", "publish_denied"},
	{" - Publish Violation - Reply ", "reply_denied"},
	{" - Subscription Violation - Subject ", "subscribe_denied"},
	{" - Subscription Violation Too Many Tokens - Subject ", "subscribe_denied"},
}

// ViolationStats counts the permission violations and refused logins
// the embedded server logged.
type ViolationStats struct {
	// Filed were published as security events, a clinic's or the system
	// pseudo-clinic's.
	Filed uint64
	// System were filed on the system pseudo-clinic: refused logins and
	// violations on subjects that name no clinic.
	System uint64
	// Limited were not filed, held back by the system pseudo-clinic's
	// rate limit; the next event filed there counts them.
	Limited uint64
	// Dropped were lost: the queue was full, the server was stopping or
	// the publish failed.
	Dropped uint64
}

// violation is one refused operation: who, which clinic ("" for none),
// what kind and code.
type violation struct {
	user, clinic, code string
	kind               schemas.SecurityKind
}

// violations wraps the server's logger and files the violations it sees.
type violations struct {
	inner    server.Logger
	users    map[string]bool
	password string
	queue    chan violation
	done     chan struct{}
	wg       sync.WaitGroup
	stop     sync.Once
	nc       *nats.Conn
	limit    bucket
	clock    func() time.Time
	// source is the CloudEvents source of the events filed.
	source string

	filed, system, limited, dropped atomic.Uint64
	// suppressed counts what the limit held back since the last system
	// event filed.
	suppressed atomic.Uint64
}

// newViolations returns a watcher that knows the users of so, and adds
// its own user to so.
func newViolations(so *server.Options) *violations {
	v := newFiler(map[string]bool{})
	v.password = randomSecret()
	for _, u := range so.Users {
		v.users[u.Username] = true
	}
	so.Users = append(so.Users, &server.User{
		Username: violationsUser, Password: v.password,
		Permissions: perms([]string{
			"iglowly.*.security." + string(schemas.SecPermissionViolation),
			schemas.SecuritySubject(config.SystemClinic, schemas.SecAuthFailed),
		}, nil, nil),
	})
	return v
}

// newFiler returns a filer of the violations of users; start makes it
// file them.
func newFiler(users map[string]bool) *violations {
	return &violations{
		users:  users,
		queue:  make(chan violation, violationQueue),
		done:   make(chan struct{}),
		limit:  bucket{burst: systemBurst, every: systemEvery},
		clock:  time.Now,
		source: violationSource,
	}
}

// hook puts v in front of the server's logger, if it has one, which
// keeps every line. The embedded server runs with NoLog and so has none:
// v is then its only logger, and drops every line it does not file.
func (v *violations) hook(ns *server.Server, so *server.Options) {
	v.inner = ns.Logger()
	ns.SetLoggerV2(v, so.Debug, so.Trace, so.TraceVerbose)
}

// run connects as the violations user and files queued violations until
// close.
func (v *violations) run(ns *server.Server) error {
	nc, err := nats.Connect("", nats.InProcessServer(ns),
		nats.UserInfo(violationsUser, v.password), nats.Name(violationsUser))
	if err != nil {
		return err
	}
	v.start(nc)
	return nil
}

// start files queued violations on nc until close.
func (v *violations) start(nc *nats.Conn) {
	v.nc = nc
	v.wg.Go(func() {
		for {
			select {
			case <-v.done:
				return
			case x := <-v.queue:
				v.file(x)
			}
		}
	})
}

// file publishes the security event of x, naming the component whose
// replica it was. An event of the system pseudo-clinic carries what the
// rate limit held back before it.
func (v *violations) file(x violation) {
	component := x.user
	if u, ok := ParseUser(x.user); ok {
		component = u.Component
	}
	ev := schemas.SecurityEvent{Kind: x.kind, Component: component,
		Code: x.code}
	var held uint64
	if x.clinic == config.SystemClinic {
		held = v.suppressed.Swap(0)
		if held > 0 {
			ev.Counts = map[string]int{"suppressed": int(held)}
		}
	}
	e, err := schemas.NewEvent(schemas.TypeSecurityEvent, v.source,
		x.clinic, ev)
	if err == nil {
		err = schemas.Publish(v.nc,
			schemas.SecuritySubject(x.clinic, ev.Kind), "", &e)
	}
	if err != nil {
		v.suppressed.Add(held)
		v.dropped.Add(1)
		return
	}
	v.filed.Add(1)
	if x.clinic == config.SystemClinic {
		v.system.Add(1)
	}
}

// close stops filing and flushes what was filed.
func (v *violations) close() {
	v.stop.Do(func() {
		close(v.done)
		v.wg.Wait()
		if v.nc != nil {
			_ = v.nc.Flush()
			v.nc.Close()
		}
	})
}

// Violations counts the permission violations and refused logins the
// server logged, filed as security events or not.
func (s *Server) Violations() ViolationStats {
	v := s.violations
	return ViolationStats{Filed: v.filed.Load(), System: v.system.Load(),
		Limited: v.limited.Load(), Dropped: v.dropped.Load()}
}

// see queues the violation or refused login in a server log line, if it
// holds one. The server calls it holding its logging lock, so it must
// not block.
func (v *violations) see(format string, args []any) {
	x, ok := parseAuthError(format, args, v.users)
	if !ok && strings.Contains(format, "Violation") {
		x, ok = parseViolation(format, args, v.users)
		if x.user == violationsUser {
			return
		}
	}
	if ok {
		v.enqueue(x)
	}
}

// enqueue queues x, or counts it as limited or dropped, without
// blocking.
func (v *violations) enqueue(x violation) {
	if x.clinic == "" {
		x.clinic = config.SystemClinic
	}
	if x.clinic == config.SystemClinic && !v.limit.take(v.clock()) {
		v.limited.Add(1)
		v.suppressed.Add(1)
		return
	}
	select {
	case <-v.done:
		v.dropped.Add(1)
	case v.queue <- x:
	default:
		v.dropped.Add(1)
	}
}

// parseAuthError reads a refused login from a server log line, which the
// server writes as the client's prefix and then " - %v - %s" with
// server.ErrAuthentication and the claimed identity (`User "edge"`), or
// " - authentication error" alone when the client claimed none. The user
// is kept only if it is one of users, "unknown" otherwise; nothing else
// of the line is kept: no password ever reaches a log line, and the
// client's address stays out of the event.
func parseAuthError(format string, args []any,
	users map[string]bool) (violation, bool) {
	x := loginViolation("", users)
	if len(args) == 0 &&
		strings.HasSuffix(format, " - "+server.ErrAuthentication.Error()) {
		return x, true
	}
	if len(args) != 2 || !strings.HasSuffix(format, " - %v - %s") {
		return violation{}, false
	}
	if err, _ := args[0].(error); !errors.Is(err, server.ErrAuthentication) {
		return violation{}, false
	}
	who, _ := args[1].(string)
	if quoted, ok := strings.CutPrefix(who, "User "); ok {
		if name, err := strconv.Unquote(quoted); err == nil {
			x = loginViolation(name, users)
		}
	}
	return x, true
}

// loginViolation is the refused login of the claimed user name, kept
// only if it is one of users, "unknown" otherwise.
func loginViolation(name string, users map[string]bool) violation {
	x := violation{user: "unknown", clinic: config.SystemClinic,
		code: loginFailed, kind: schemas.SecAuthFailed}
	if users[name] {
		x.user = name
	}
	return x
}

// bucket is a token bucket: burst events at once, then one per every.
type bucket struct {
	mu     sync.Mutex
	burst  int
	every  time.Duration
	tokens float64
	last   time.Time
}

// take reports whether an event may pass at now, and spends a token if so.
func (b *bucket) take(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch d := now.Sub(b.last); {
	case b.last.IsZero():
		b.tokens, b.last = float64(b.burst), now
	case d > 0:
		// A clock that went back refills nothing and is not kept.
		b.tokens = min(float64(b.burst), b.tokens+float64(d)/float64(b.every))
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// parseViolation reads a permission violation from a server log line:
// the user, if it is one of users ("unknown" otherwise), the clinic of
// the subject, if it names a valid one ("" otherwise), and the code. Nothing else of the
// subject is kept.
func parseViolation(format string, args []any,
	users map[string]bool) (violation, bool) {
	line := format
	if len(args) > 0 {
		line = fmt.Sprintf(format, args...)
	}
	for _, m := range violationMarkers {
		i := strings.LastIndex(line, m.marker)
		if i < 0 {
			continue
		}
		subject, err := strconv.QuotedPrefix(line[i+len(m.marker):])
		if err != nil {
			return violation{}, false
		}
		subject, _ = strconv.Unquote(subject)
		x := violation{user: lineUser(line[:i], users), code: m.code,
			kind: schemas.SecPermissionViolation}
		x.clinic, _ = schemas.ClinicFromSubject(subject)
		return x, true
	}
	return violation{}, false
}

// lineUser returns the user of a client's log prefix, which ends with
// the quoted "<account>/user:<name>", if it is one of users.
func lineUser(prefix string, users map[string]bool) string {
	i := strings.LastIndex(prefix, ` - "`)
	if i < 0 {
		return "unknown"
	}
	acs, err := strconv.Unquote(prefix[i+3:])
	if err != nil {
		return "unknown"
	}
	_, label, _ := strings.Cut(acs, "/")
	user, ok := strings.CutPrefix(label, "user:")
	if !ok || !users[user] && user != violationsUser {
		return "unknown"
	}
	return user
}

// Noticef passes the line on.
func (v *violations) Noticef(format string, args ...any) {
	if v.inner != nil {
		v.inner.Noticef(format, args...)
	}
}

// Warnf passes the line on.
func (v *violations) Warnf(format string, args ...any) {
	v.see(format, args)
	if v.inner != nil {
		v.inner.Warnf(format, args...)
	}
}

// Fatalf passes the line on.
func (v *violations) Fatalf(format string, args ...any) {
	if v.inner != nil {
		v.inner.Fatalf(format, args...)
	}
}

// Errorf files the violation the line reports, if any, and passes the
// line on.
func (v *violations) Errorf(format string, args ...any) {
	v.see(format, args)
	if v.inner != nil {
		v.inner.Errorf(format, args...)
	}
}

// Debugf passes the line on.
func (v *violations) Debugf(format string, args ...any) {
	if v.inner != nil {
		v.inner.Debugf(format, args...)
	}
}

// Tracef passes the line on.
func (v *violations) Tracef(format string, args ...any) {
	if v.inner != nil {
		v.inner.Tracef(format, args...)
	}
}
