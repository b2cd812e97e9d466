package embedded

import (
	"time"

	"github.com/nats-io/nats-server/v2/server"
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

// InboxPrefix is the reply-inbox prefix of a component; its subscribe
// permission covers only its own inboxes.
func InboxPrefix(component string) string { return "_INBOX." + component }

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

// responses lets a worker answer the reply inbox of the messages it
// received, any number of times (streamed chunks), for a minute.
func responses() *server.ResponsePermission {
	return &server.ResponsePermission{MaxMsgs: -1, Expires: time.Minute}
}

// Permissions returns the NATS permissions of a component. The rule that
// matters most: only the sanitiser may publish on *.chat.infer, so
// nothing that bypassed redaction can reach a model.
func Permissions(component string) *server.Permissions {
	// TODO(#4): every replica of a component shares its user, so one
	// edge replica could subscribe to another's inboxes; a user or an
	// account per replica would keep them apart.
	inbox := InboxPrefix(component) + ".>"
	switch component {
	case Edge:
		pub := []string{"iglowly.*.chat.sanitise"}
		pub = append(pub, kvRead(BucketSessions)...)
		pub = append(pub, kvWrite(BucketSessions)...)
		pub = append(pub, kvRead(BucketClinics)...)
		pub = append(pub, kvGet(BucketLimits)...)
		pub = append(pub, kvWrite(BucketLimits)...)
		pub = append(pub, securityEvents)
		return perms(pub, []string{inbox}, nil)
	case Sanitiser:
		return perms([]string{"iglowly.*.chat.infer", securityEvents},
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
	}
	if len(sub) == 0 {
		p.Subscribe.Deny = []string{">"}
	}
	return p
}
