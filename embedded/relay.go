package embedded

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/schemas"
)

// A production server run from "iglowly nats-config --security-relay"
// has an application account, holding every component's user, and a
// system account, where the server publishes an advisory for each
// refused login. "iglowly security relay" reads those advisories as
// RelaySystemUser and files each as the content-free auth_failed event
// of the system pseudo-clinic that the embedded server files from its
// own log (see violations.go), as RelayUser. Permission violations have
// no advisory: given the servers' log files, the relay reads them there
// and files each as the embedded server does.
const (
	// RelayUser is the relay's user in the application account: it may
	// publish the system pseudo-clinic's auth_failed events and every
	// clinic's permission_violation events, nothing else, and subscribe
	// to nothing.
	RelayUser = "security-relay"
	// RelaySystemUser is the relay's user in the system account: it may
	// subscribe to AuthErrorAdvisories and nothing else, and publish
	// nothing.
	RelaySystemUser = "security-relay-system"
)

// AuthErrorAdvisories is the subject of every node's advisories of
// refused logins, in the system account.
const AuthErrorAdvisories = "$SYS.SERVER.*.CLIENT.AUTH.ERR"

// relaySource is the CloudEvents source of the relay's events.
const relaySource = "/security/relay"

// maxAdvisory is the largest advisory the relay reads; a client_disconnect
// advisory without a JWT is well under 2 KiB.
const maxAdvisory = 64 << 10

// RelayPermissions returns the permissions of RelayUser.
func RelayPermissions() *server.Permissions {
	return perms([]string{
		schemas.SecuritySubject(config.SystemClinic, schemas.SecAuthFailed),
		"iglowly.*.security." + string(schemas.SecPermissionViolation),
	}, nil, nil)
}

// RelaySystemPermissions returns the permissions of RelaySystemUser.
func RelaySystemPermissions() *server.Permissions {
	return perms(nil, []string{AuthErrorAdvisories}, nil)
}

// Relay turns the server's advisories of refused logins into
// auth_failed events, rate-limited and without blocking like those of
// the embedded server: the claimed user is kept only if it names a
// replica of a component, and nothing else of the advisory is (not the
// client's address, name or anything it sent).
type Relay struct {
	v   *violations
	sub *nats.Subscription
}

// StartRelay subscribes on sys, a connection of the system account, to
// the advisories of refused logins, and files their events on app, a
// connection of the application account.
func StartRelay(sys, app *nats.Conn) (*Relay, error) {
	users := componentUserNames()
	users[RelayUser], users[RelaySystemUser] = true, true
	r := &Relay{v: newFiler(users)}
	r.v.source = relaySource
	r.v.start(app)
	sub, err := sys.Subscribe(AuthErrorAdvisories, r.see)
	if err != nil {
		r.v.close()
		return nil, fmt.Errorf("subscribing to login advisories: %w", err)
	}
	if err := sys.Flush(); err != nil {
		_ = sub.Unsubscribe()
		r.v.close()
		return nil, fmt.Errorf("subscribing to login advisories: %w", err)
	}
	r.sub = sub
	return r, nil
}

// componentUserNames returns every name a replica of a component can
// have: edge, edge-1 to edge-99, and so on.
func componentUserNames() map[string]bool {
	names := map[string]bool{}
	for _, comp := range Components {
		for i := range config.MaxComponentReplicas + 1 {
			names[config.NATSUser(comp, i)] = true
		}
	}
	return names
}

// advisory is what the relay reads of a client_disconnect advisory.
type advisory struct {
	Type   string `json:"type"`
	Client struct {
		User string `json:"user"`
	} `json:"client"`
}

// errNotAdvisory is the problem of a message that is no login advisory.
var errNotAdvisory = errors.New("not a client_disconnect advisory")

// parseAdvisory returns the claimed user of a login advisory.
func parseAdvisory(data []byte) (string, error) {
	if len(data) > maxAdvisory {
		return "", errNotAdvisory
	}
	var a advisory
	if err := json.Unmarshal(data, &a); err != nil ||
		a.Type != server.DisconnectEventMsgType {
		return "", errNotAdvisory
	}
	return a.Client.User, nil
}

// see files the refused login of an advisory. It runs on the
// subscription's goroutine and never blocks on publishing; what is no
// advisory is counted as dropped.
func (r *Relay) see(m *nats.Msg) {
	user, err := parseAdvisory(m.Data)
	if err != nil {
		r.v.dropped.Add(1)
		return
	}
	r.v.enqueue(loginViolation(user, r.v.users))
}

// SeeLogLine files the permission violation in a line of a server's log
// file, if it holds one, as the embedded server files those it logs: an
// event of the clinic the subject names (of the system pseudo-clinic if
// it names none) with the user, if it names a replica of a component,
// and the code, and nothing else of the line. Refused logins are read
// from the advisories, not here, and the relay's own refusals are not
// filed, so that a refused event cannot make another. It never blocks.
func (r *Relay) SeeLogLine(line string) {
	if !strings.Contains(line, "Violation") {
		return
	}
	x, ok := parseViolation(line, nil, r.v.users)
	if !ok {
		return
	}
	if x.user == RelayUser || x.user == RelaySystemUser {
		r.v.dropped.Add(1)
		return
	}
	r.v.enqueue(x)
}

// Stats counts the refused logins the relay saw: filed, held back by
// the rate limit, or dropped (including messages that were no
// advisory).
func (r *Relay) Stats() ViolationStats {
	return ViolationStats{Filed: r.v.filed.Load(), System: r.v.system.Load(),
		Limited: r.v.limited.Load(), Dropped: r.v.dropped.Load()}
}

// Close stops reading advisories, files the violations still queued,
// flushes the events filed and closes the application account's
// connection. Called once nothing calls SeeLogLine any more, it files
// every line handed over, so that the relay may save how far it read.
func (r *Relay) Close() {
	_ = r.sub.Unsubscribe()
	r.fileQueued()
	r.v.close()
}

// fileQueued files what is queued, beside the goroutine that files,
// which may be filing one; what is queued meanwhile is filed too.
func (r *Relay) fileQueued() {
	for {
		select {
		case x := <-r.v.queue:
			r.v.file(x)
		default:
			return
		}
	}
}
