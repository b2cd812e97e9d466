package natsconf

import (
	"fmt"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/iglowly/assistant/embedded"
)

// roles says in a line what each component's user is for.
var roles = map[string]string{
	embedded.Edge: "The HTTP edge: publishes chat messages for the sanitiser, keeps\n" +
		"session metadata in the sessions bucket, reads the clinics bucket.",
	embedded.Sanitiser: "The only user that may publish on *.chat.infer: nothing that\n" +
		"bypassed redaction can reach a model.",
	embedded.Inference: "Reads clinic facts and passes drafts to the response worker.",
	embedded.Response:  "Reads clinic facts and answers only the reply inbox it was given.",
	embedded.Admin: "\"iglowly provision\": manages streams and buckets, never sees a chat\n" +
		"subject.",
}

// writeUsers writes one user per component.
//
// TODO(#4): a user in the system account, for the security events to
// receive the server's advisories ($SYS.SERVER.*.CLIENT.AUTH.ERR for
// failed logins). Permission violations have no advisory, only the
// client's -ERR and the server's log line: the embedded server turns
// those lines into security events (embedded/violations.go), but a
// server run from this configuration needs its log pipeline to do the
// same, and nothing here does it yet.
func writeUsers(w *writer, c *Config, r *resolved) error {
	w.open("authorization")
	w.line("users: [")
	w.depth++
	for _, comp := range embedded.Components {
		if role := roles[comp]; role != "" {
			w.comment(role)
		}
		pw := "$" + PasswordVar(comp)
		if c.Passwords != "env" {
			pw = q(r.hashes[comp])
		}
		w.open("")
		w.line("user: %s", q(comp))
		w.line("password: %s", pw)
		if err := writePermissions(w, embedded.Permissions(comp)); err != nil {
			return fmt.Errorf("permissions of %s: %w", comp, err)
		}
		w.close()
	}
	w.depth--
	w.line("]")
	w.close()
	return nil
}

func writePermissions(w *writer, p *server.Permissions) error {
	w.open("permissions:")
	for _, sp := range []struct {
		name string
		p    *server.SubjectPermission
	}{{"publish", p.Publish}, {"subscribe", p.Subscribe}} {
		if sp.p == nil {
			continue
		}
		w.open(sp.name + ":")
		if err := writeSubjects(w, "allow", sp.p.Allow); err != nil {
			return err
		}
		if err := writeSubjects(w, "deny", sp.p.Deny); err != nil {
			return err
		}
		w.close()
	}
	if rp := p.Response; rp != nil {
		w.line("allow_responses: { max: %d, expires: %s }", rp.MaxMsgs, q(rp.Expires.String()))
	}
	w.close()
	return nil
}

func writeSubjects(w *writer, name string, subjects []string) error {
	if len(subjects) == 0 {
		return nil
	}
	w.line("%s: [", name)
	w.depth++
	for _, s := range subjects {
		if !plainText(s) || s == "" {
			return fmt.Errorf("subject %q cannot be written", s)
		}
		w.line("%s", q(s))
	}
	w.depth--
	w.line("]")
	return nil
}
