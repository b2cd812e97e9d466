package natsconf

import (
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"
	"golang.org/x/crypto/bcrypt"

	"github.com/iglowly/assistant/embedded"
)

// inboxOf is the inbox prefix of a user, as config.NATS.Connect derives
// it from the user's name; a user of no component, such as the relay's,
// gets _INBOX.<user>.
func inboxOf(user string) string {
	u, ok := embedded.ParseUser(user)
	if !ok {
		return "_INBOX." + user
	}
	return u.InboxPrefix()
}

// replicaUsers returns the users of r, failing the test on bad counts.
func replicaUsers(t *testing.T, r embedded.Replicas) []embedded.User {
	t.Helper()
	users, err := r.Users()
	if err != nil {
		t.Fatal(err)
	}
	return users
}

// setReplicaEnv puts the password of each of r's users and the
// JetStream key into the environment.
func setReplicaEnv(t *testing.T, r embedded.Replicas) {
	t.Helper()
	for _, u := range replicaUsers(t, r) {
		t.Setenv(PasswordVar(u.Name()), password(u.Name()))
	}
	t.Setenv("JETSTREAM_KEY", testKey)
}

// twoEdges is what the replica tests run: two edges, two response
// workers, one of each other component.
var twoEdges = embedded.Replicas{embedded.Edge: 2, embedded.Response: 2}

// TestReplicaUsersInConfig checks that --replicas writes one user per
// replica, named as the code names them, each with the password of its
// own variable and exactly the permissions the code gives it.
func TestReplicaUsersInConfig(t *testing.T) {
	r := embedded.Replicas{embedded.Edge: 2, embedded.Sanitiser: 3}
	setReplicaEnv(t, r)
	c := load(t, "--name", "n1", "--insecure-no-tls", "--replicas", "edge=2,sanitiser=3")
	path := writeConfig(t, c)
	o := parse(t, path)
	got := map[string]permView{}
	for _, u := range o.Users {
		got[u.Username] = viewOf(u.Permissions)
		if u.Password != password(u.Username) {
			t.Errorf("%s: the password is not $%s", u.Username, PasswordVar(u.Username))
		}
	}
	want := map[string]permView{}
	for _, u := range replicaUsers(t, r) {
		want[u.Name()] = viewOf(u.Permissions())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("users %q, want %q with the code's permissions",
			slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
	if _, ok := want["edge-2"]; !ok || got["edge-1"].SubAllow[0] != "_INBOX.edge.1.>" {
		t.Errorf("edge-1 subscribes to %q, want its own inboxes only", got["edge-1"].SubAllow)
	}
	raw, _ := os.ReadFile(path)
	for _, v := range []string{"EDGE_2_NATS_PASSWORD", "SANITISER_3_NATS_PASSWORD"} {
		if !strings.Contains(string(raw), "#   "+v+": ") {
			t.Errorf("the header does not list %s", v)
		}
	}
	again, err := Render(load(t, HeaderArgs(raw)...))
	if err != nil || string(again) != string(raw) {
		t.Errorf("the header's command writes another configuration: %v", err)
	}
}

// replicasNode starts a server from a configuration with twoEdges.
func replicasNode(t *testing.T) *node {
	t.Helper()
	setReplicaEnv(t, twoEdges)
	c := load(t, "--name", "replicas", "--insecure-no-tls", "--replicas", "edge=2,response=2")
	return start(t, parse(t, writeConfig(t, c)), "", nil)
}

// TestReplicasReadOnlyOwnInboxes proves, with clients of a server run
// from the generated configuration, that a replica reads its own inboxes
// and no other replica's, nor every inbox at once.
func TestReplicasReadOnlyOwnInboxes(t *testing.T) {
	n := replicasNode(t)
	users := replicaUsers(t, twoEdges)
	for _, u := range users {
		subjects := []string{">", "_INBOX.>", "_INBOX." + u.Component + ".>"}
		for _, other := range users {
			subjects = append(subjects, other.InboxPrefix()+".x")
		}
		for _, subject := range subjects {
			allowed := subject == u.InboxPrefix()+".x" || subject == u.InboxPrefix()+".>"
			t.Run(u.Name()+" "+subject, func(t *testing.T) {
				denied := violation(t, n, u.Name(), func(nc *nats.Conn) error {
					_, err := nc.SubscribeSync(subject)
					return err
				})
				if denied == allowed {
					t.Errorf("denied=%v, want allowed=%v", denied, allowed)
				}
			})
		}
	}
}

// TestResponseAnswersEveryEdgeReplica proves that either response
// replica may answer, with several messages, the inbox of either edge
// replica that inference hands it as the reply, and that only that edge
// receives the answers.
func TestResponseAnswersEveryEdgeReplica(t *testing.T) {
	n := replicasNode(t)
	edges := map[string]*nats.Subscription{}
	conns := map[string]*nats.Conn{}
	for _, name := range []string{"edge-1", "edge-2"} {
		conns[name] = dial(t, n, name)
		sub, err := conns[name].SubscribeSync(inboxOf(name) + ".>")
		if err != nil {
			t.Fatal(err)
		}
		if err := conns[name].Flush(); err != nil {
			t.Fatal(err)
		}
		edges[name] = sub
	}
	for _, worker := range []string{"response-1", "response-2"} {
		for name, sub := range edges {
			t.Run(worker+" to "+name, func(t *testing.T) {
				answerAsReply(t, n, embedded.Inference, worker, "iglowly.demo.chat.respond",
					conns[name], sub)
				for other, osub := range edges {
					if other != name && received(t, conns[other], osub) {
						t.Errorf("%s received an answer meant for %s", other, name)
					}
				}
			})
		}
	}
}

// TestReplicasFlagProblems checks that every bad --replicas pair is
// named, all at once, with the other problems of the flags.
func TestReplicasFlagProblems(t *testing.T) {
	_, err := Load([]string{"--insecure-no-tls", "--replicas",
		"3,edge=0,sanitiser=100,intruder=2,response=2,response=3,inference=x"})
	for _, want := range []string{"--name", `"3"`, "edge: 0", "sanitiser: 100",
		`"intruder"`, "response is given twice", `"inference=x"`, "provision --replicas"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q is not named in %v", want, err)
		}
	}
	c := load(t, "--name", "n1", "--insecure-no-tls", "--replicas", "")
	if names := c.userNames(); !slices.Equal(names, embedded.Components) {
		t.Errorf("--replicas \"\" gives users %q, want one per component", names)
	}
}

// TestReplicaPasswordFiles checks that with a password folder each
// replica's password comes from its own file, hashed, and that a
// missing one is named.
func TestReplicaPasswordFiles(t *testing.T) {
	t.Setenv("JETSTREAM_KEY", testKey)
	dir := t.TempDir()
	for _, u := range replicaUsers(t, twoEdges) {
		err := os.WriteFile(filepath.Join(dir, u.Name()+".password"),
			[]byte(password(u.Name())), 0o600)
		if err != nil {
			t.Fatal(err)
		}
	}
	c := load(t, "--name", "n1", "--insecure-no-tls", "--passwords", dir,
		"--replicas", "edge=2,response=2")
	c.BcryptCost = bcrypt.MinCost
	o := parse(t, writeConfig(t, c))
	for _, u := range o.Users {
		if bcrypt.CompareHashAndPassword([]byte(u.Password), []byte(password(u.Username))) != nil {
			t.Errorf("%s: the hash is not of its own password", u.Username)
		}
	}
	_ = os.Remove(filepath.Join(dir, "edge-2.password"))
	if _, err := Render(c); err == nil || !strings.Contains(err.Error(), "edge-2 password") {
		t.Errorf("a missing edge-2.password: %v", err)
	}
}
