package natsconf

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

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

// Account names of the configuration.
const (
	// AppAccount holds every component's user, with JetStream.
	AppAccount = "IGLOWLY"
	// SystemAccount is the server's system account, where it publishes
	// its advisories.
	SystemAccount = "SYS"
)

// writeAccounts writes the application account, with JetStream and one
// user per replica of each component (the component's name for its
// only replica, <component>-<n> for replica n of several, --replicas),
// each with the permissions the code gives it, subscribe on its own
// inboxes included; and the system account. With --security-relay each
// account also has the user of "iglowly security relay", which turns
// the server's advisories of refused logins into security events.
func writeAccounts(w *writer, c *Config, r *resolved) error {
	users, err := c.Replicas.Users()
	if err != nil {
		return fmt.Errorf("--replicas: %w", err)
	}
	w.comment("Components are users of the application account, the only one with\n" +
		"JetStream. The system account gets the server's advisories: no\n" +
		"component is in it.")
	w.line("system_account: %s", q(SystemAccount))
	w.open("accounts")
	w.open(AppAccount)
	w.line("jetstream: enabled")
	w.line("users: [")
	w.depth++
	for _, u := range users {
		if role := roles[u.Component]; role != "" && u.Replica <= 1 {
			w.comment(role)
		}
		if err := writeUser(w, c, r, u.Name(), u.Permissions()); err != nil {
			return err
		}
	}
	if c.SecurityRelay {
		w.comment(relayRoles[embedded.RelayUser])
		if err := writeUser(w, c, r, embedded.RelayUser, embedded.RelayPermissions()); err != nil {
			return err
		}
	}
	w.depth--
	w.line("]")
	w.close()
	return writeSystemAccount(w, c, r)
}

// relayRoles says what the users of "iglowly security relay" are for.
var relayRoles = map[string]string{
	embedded.RelayUser: "\"iglowly security relay\": may publish the auth_failed events of\n" +
		"the system pseudo-clinic and nothing else.",
	embedded.RelaySystemUser: "\"iglowly security relay\": reads the advisories of\n" +
		"refused logins and nothing else.",
}

func writeSystemAccount(w *writer, c *Config, r *resolved) error {
	w.open(SystemAccount)
	if c.SecurityRelay {
		w.line("users: [")
		w.depth++
		w.comment(relayRoles[embedded.RelaySystemUser])
		err := writeUser(w, c, r, embedded.RelaySystemUser,
			embedded.RelaySystemPermissions())
		if err != nil {
			return err
		}
		w.depth--
		w.line("]")
	} else {
		w.comment("No users: --security-relay adds the relay's.")
	}
	w.close()
	w.close()
	return nil
}

// writeUser writes one user with its password and permissions.
func writeUser(w *writer, c *Config, r *resolved, name string,
	p *server.Permissions) error {
	pw := "$" + PasswordVar(name)
	if c.Passwords != "env" {
		pw = q(r.hashes[name])
	}
	w.open("")
	w.line("user: %s", q(name))
	w.line("password: %s", pw)
	if err := writePermissions(w, p); err != nil {
		return fmt.Errorf("permissions of %s: %w", name, err)
	}
	w.close()
	return nil
}

// userNames returns the names of the users c writes, or none if
// --replicas is not valid (Validate says so).
func (c *Config) userNames() []string {
	users, err := c.Replicas.Users()
	if err != nil {
		return nil
	}
	names := make([]string, len(users))
	for i, u := range users {
		names[i] = u.Name()
	}
	if c.SecurityRelay {
		names = append(names, embedded.RelayUser, embedded.RelaySystemUser)
	}
	return names
}

// replicasFlag is --replicas: component=count pairs, comma-separated,
// such as edge=2,sanitiser=2. Its problems are kept for Validate, which
// names them with all the others.
type replicasFlag struct{ c *Config }

// String shows the pairs, for the flag package.
func (f replicasFlag) String() string {
	if f.c == nil {
		return ""
	}
	var pairs []string
	for _, comp := range embedded.Components {
		if n, ok := f.c.Replicas[comp]; ok {
			pairs = append(pairs, comp+"="+strconv.Itoa(n))
		}
	}
	return strings.Join(pairs, ",")
}

// Set parses the pairs.
func (f replicasFlag) Set(v string) error {
	f.c.Replicas, f.c.replicasErr = ParseReplicas(v)
	return nil
}

// ParseReplicas reads component=count pairs such as edge=2,sanitiser=2,
// naming every pair that does not parse; "" is one replica of each.
// Counts are checked by embedded.Replicas.Check.
func ParseReplicas(v string) (embedded.Replicas, error) {
	r := embedded.Replicas{}
	if v == "" {
		return r, nil
	}
	var errs []error
	for pair := range strings.SplitSeq(v, ",") {
		comp, num, ok := strings.Cut(pair, "=")
		n, err := strconv.Atoi(num)
		_, dup := r[comp]
		switch {
		case !ok || err != nil:
			errs = append(errs, fmt.Errorf("%q: want component=count, such as edge=2 "+
				"(the copies of the buckets are iglowly provision --replicas)", pair))
		case dup:
			errs = append(errs, fmt.Errorf("%s is given twice", comp))
		default:
			r[comp] = n
		}
	}
	return r, errors.Join(errs...)
}

// validateReplicas names the problems of --replicas.
func (c *Config) validateReplicas() error {
	err := errors.Join(c.replicasErr, c.Replicas.Check())
	if err != nil {
		return fmt.Errorf("--replicas: %w", err)
	}
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
