package embedded

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/schemas"
)

// Component names, each a NATS user of its own with least privilege.
const (
	Edge      = "edge"
	Sanitiser = "sanitiser"
	Inference = "inference"
	Response  = "response"
	// Admin provisions buckets and writes clinic configuration.
	Admin = "admin"
)

// Components lists every component that connects to NATS.
var Components = []string{Edge, Sanitiser, Inference, Response, Admin}

// Bucket names of the JetStream key-value stores.
const (
	BucketSessions = "sessions"
	BucketClinics  = "clinics"
	// BucketLimits holds the edges' shared rate limits and daily chat
	// counts: hashed addresses, session ids and numbers, never content.
	BucketLimits = "limits"
)

// InboxPrefix is the reply-inbox prefix of a component that runs one
// replica; its subscribe permission covers only its own inboxes.
func InboxPrefix(component string) string {
	return config.InboxPrefix(component, 0)
}

// User is the NATS user of one replica of a component. A component that
// runs one replica has one user of its own name; one that runs several
// has a user per replica, <component>-1 to <component>-<n>, each with
// reply inboxes that no other replica may read.
type User struct {
	// Component is what the replica runs, one of Components.
	Component string
	// Replica is the replica's number from 1, or 0 for the only replica.
	Replica int
}

// Name is the user's name: edge, or edge-2 for the second of several.
func (u User) Name() string { return config.NATSUser(u.Component, u.Replica) }

// InboxPrefix is the prefix of the user's reply inboxes: _INBOX.edge, or
// _INBOX.edge.2 for the second of several edges.
func (u User) InboxPrefix() string { return config.InboxPrefix(u.Component, u.Replica) }

// Permissions returns the user's permissions: those of its component,
// with the subscribe permission on its own inboxes only.
func (u User) Permissions() *server.Permissions {
	return permissions(u.Component, u.InboxPrefix()+".>")
}

// ParseUser returns the user of a name, if it names a replica of one of
// Components.
func ParseUser(name string) (User, bool) {
	comp, replica, ok := config.ParseNATSUser(name)
	if !ok || !slices.Contains(Components, comp) {
		return User{}, false
	}
	return User{Component: comp, Replica: replica}, true
}

// Replicas says how many replicas of each component run, so how many
// NATS users each has; a component it does not name runs one.
type Replicas map[string]int

// Check names every component that is unknown or whose count is not 1 to
// config.MaxComponentReplicas.
func (r Replicas) Check() error {
	var errs []error
	for _, comp := range slices.Sorted(maps.Keys(r)) {
		n := r[comp]
		switch {
		case !slices.Contains(Components, comp):
			errs = append(errs, fmt.Errorf("replicas of %q: no such component, want one of %s",
				comp, strings.Join(Components, ", ")))
		case n < 1 || n > config.MaxComponentReplicas:
			errs = append(errs, fmt.Errorf("replicas of %s: %d, want 1 to %d",
				comp, n, config.MaxComponentReplicas))
		}
	}
	return errors.Join(errs...)
}

// Users returns the NATS users of every component, in the order of
// Components and then of the replicas.
func (r Replicas) Users() ([]User, error) {
	if err := r.Check(); err != nil {
		return nil, err
	}
	var users []User
	for _, comp := range Components {
		n := r[comp]
		if n <= 1 {
			users = append(users, User{Component: comp})
			continue
		}
		for i := 1; i <= n; i++ {
			users = append(users, User{Component: comp, Replica: i})
		}
	}
	return users, nil
}

// kvRead is what reading and watching a bucket needs.
func kvRead(bucket string) []string {
	return []string{
		"$JS.API.STREAM.INFO.KV_" + bucket,
		"$JS.API.DIRECT.GET.KV_" + bucket + ".$KV." + bucket + ".>",
		"$JS.API.CONSUMER.CREATE.KV_" + bucket + ".>",
		"$JS.API.CONSUMER.DELETE.KV_" + bucket + ".>",
		"$JS.FC.KV_" + bucket + ".>",
	}
}

// kvGet is what reading keys of a bucket needs, without watching it.
func kvGet(bucket string) []string {
	return kvRead(bucket)[:2]
}

// kvWrite is what putting and deleting keys of a bucket needs.
func kvWrite(bucket string) []string {
	return []string{"$KV." + bucket + ".>"}
}

// securityEvents is where every component may report security events:
// publish only, content-free by their schema, kept in StreamSecurity.
// No component but the admin tools may read them.
const securityEvents = "iglowly.*.security.>"

// systemSecurityEvents are the events of no clinic (failed NATS logins,
// violations that name no clinic), which only the embedded server's own
// violations user files: no component may forge them.
const systemSecurityEvents = "iglowly." + config.SystemClinic + ".security.>"

// responses lets a worker answer the reply inbox of the messages it
// received, any number of times (streamed chunks), for a minute.
func responses() *server.ResponsePermission {
	return &server.ResponsePermission{MaxMsgs: -1, Expires: time.Minute}
}

// Permissions returns the NATS permissions of a component that runs one
// replica; User.Permissions gives those of each of several.
func Permissions(component string) *server.Permissions {
	return User{Component: component}.Permissions()
}

// permissions returns the permissions of a replica of component whose
// inboxes are inbox. The rule that matters most: only the sanitiser may
// publish on *.chat.infer, so nothing that bypassed redaction can reach
// a model.
func permissions(component, inbox string) *server.Permissions {
	switch component {
	case Edge:
		pub := []string{"iglowly.*.chat.sanitise"}
		// Whether every stage has a worker: service discovery's ping of
		// each stage's service, answered on the edge's inbox.
		for _, name := range schemas.Services {
			pub = append(pub, "$SRV.PING."+name)
		}
		pub = append(pub, kvRead(BucketSessions)...)
		pub = append(pub, kvWrite(BucketSessions)...)
		pub = append(pub, kvRead(BucketClinics)...)
		pub = append(pub, kvGet(BucketLimits)...)
		pub = append(pub, kvWrite(BucketLimits)...)
		pub = append(pub, securityEvents)
		return perms(pub, []string{inbox}, nil)
	case Sanitiser:
		// The sanitiser alone counts questions, with the labels of its
		// own triage, on the day of each clinic's time zone: it reads the
		// clinics' public configuration for it.
		pub := append([]string{"iglowly.*.chat.infer", securityEvents, schemas.AnalyticsWildcard},
			kvRead(BucketClinics)...)
		return perms(pub,
			[]string{"iglowly.*.chat.sanitise", "$SRV.>", inbox}, responses())
	case Inference:
		// Inference may answer only what it receives with a reply subject:
		// service discovery on $SRV. The sanitiser hands it the edge's
		// inbox in a header, never as the reply, so the only way from a
		// model to the edge is through the response worker's guard.
		pub := append([]string{"iglowly.*.chat.respond", securityEvents},
			kvRead(BucketClinics)...)
		return perms(pub,
			[]string{"iglowly.*.chat.infer", "$SRV.>", inbox}, responses())
	case Response:
		return perms(append(kvRead(BucketClinics), securityEvents),
			[]string{"iglowly.*.chat.respond", "$SRV.>", inbox}, responses())
	case Admin:
		// Admin tools manage streams and buckets; they never see chat
		// subjects.
		return perms([]string{"$JS.API.>", "$KV.>"}, []string{inbox}, nil)
	}
	// Unknown components get nothing at all.
	return perms(nil, nil, nil)
}

func perms(pub, sub []string, resp *server.ResponsePermission) *server.Permissions {
	p := &server.Permissions{
		Publish:   &server.SubjectPermission{Allow: pub},
		Subscribe: &server.SubjectPermission{Allow: sub},
		Response:  resp,
	}
	if len(pub) == 0 {
		p.Publish.Deny = []string{">"}
	} else if slices.Contains(pub, securityEvents) {
		p.Publish.Deny = []string{systemSecurityEvents}
	}
	if len(sub) == 0 {
		p.Subscribe.Deny = []string{">"}
	}
	return p
}
