package deploy

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
	"golang.org/x/crypto/bcrypt"

	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/embedded/natsconf"
)

// TestNATSConfigsGenerated checks that each node's file is exactly what
// "iglowly nats-config" writes, today, from the flags its header records
// (make nats-config), so that it cannot drift from embedded.Permissions,
// and that deploy/nats holds nothing else: no file is kept by hand.
func TestNATSConfigsGenerated(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("nats", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, node := range nodes {
		want = append(want, filepath.Join("nats", node+".conf"))
	}
	if !slices.Equal(files, want) {
		t.Errorf("deploy/nats holds %q, want only the generated %q", files, want)
	}
	for _, node := range nodes {
		t.Run(node, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("nats", node+".conf"))
			if err != nil {
				t.Fatal(err)
			}
			args := natsconf.HeaderArgs(raw)
			c, err := natsconf.Load(args)
			if err != nil || c.Name != node {
				t.Fatalf("the header's flags %q (%v) do not write node %s", args, err, node)
			}
			if !maps.Equal(c.Replicas, composeReplicas) {
				t.Errorf("written with --replicas %v, want a user for each of the "+
					"compose replicas %v", c.Replicas, composeReplicas)
			}
			text, err := natsconf.Render(c)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(text, raw) {
				t.Errorf("nats/%s.conf is not what iglowly nats-config writes now; "+
					"run make nats-config\n%s", node, firstDifference(text, raw))
			}
		})
	}
}

// firstDifference shows the first line where two texts differ.
func firstDifference(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d: %q, the generator writes %q", i+1, gl, wl)
		}
	}
	return ""
}

// loadNode parses nats/<node>.conf with nats-server's own loader, beside
// the secrets file that nats-auth would write for the secrets folder
// (natsSecrets). Every path in the file that
// the node's compose service mounts from deploy/secrets/ or this
// repository is first moved to where it is on this host (secrets is
// the folder gen-secrets.sh wrote), so a file that compose does not
// mount fails the load. Warnings fail the test as well as errors.
func loadNode(t *testing.T, node, secrets string) *server.Options {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("nats", node+".conf"))
	if err != nil {
		t.Fatal(err)
	}
	c := loadCompose(t)
	s := c.Services[node]
	if s == nil {
		t.Fatalf("docker-compose.yml has no service %s", node)
	}
	text := quotedPath.ReplaceAllStringFunc(string(raw), func(q string) string {
		return `"` + c.hostPath(t, s, secrets, strings.Trim(q, `"`)) + `"`
	})
	path := filepath.Join(t.TempDir(), "nats", node+".conf")
	if err := os.Mkdir(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	writeAuthFile(t, raw, path, secrets)
	opts := &server.Options{}
	if err := opts.ProcessConfigFile(path); err != nil {
		t.Fatalf("loading %s.conf: %v", node, err)
	}
	return opts
}

// quotedPath is an absolute path in quotes in a NATS configuration.
var quotedPath = regexp.MustCompile(`"/[^"]*"`)

// permView is a permission set in a comparable form: sorted lists, nil
// and empty alike.
type permView struct {
	PubAllow, PubDeny, SubAllow, SubDeny []string
	Responses                            string
}

func viewOf(p *server.Permissions) permView {
	var v permView
	if p == nil {
		return v
	}
	sorted := func(s []string) []string {
		if len(s) == 0 {
			return nil
		}
		out := slices.Clone(s)
		slices.Sort(out)
		return out
	}
	if p.Publish != nil {
		v.PubAllow, v.PubDeny = sorted(p.Publish.Allow), sorted(p.Publish.Deny)
	}
	if p.Subscribe != nil {
		v.SubAllow, v.SubDeny = sorted(p.Subscribe.Allow), sorted(p.Subscribe.Deny)
	}
	if p.Response != nil {
		v.Responses = fmt.Sprintf("max=%d expires=%s", p.Response.MaxMsgs, p.Response.Expires)
	}
	return v
}

func samePerms(a, b *server.Permissions) bool {
	return reflect.DeepEqual(viewOf(a), viewOf(b))
}

// TestSamePerms shows that the comparison used below tells permission
// sets apart, and ignores only order.
func TestSamePerms(t *testing.T) {
	edge := embedded.Permissions(embedded.Edge)
	reordered := embedded.Permissions(embedded.Edge)
	slices.Reverse(reordered.Publish.Allow)
	if !samePerms(edge, reordered) {
		t.Error("order of subjects matters to samePerms")
	}
	dropped := embedded.Permissions(embedded.Edge)
	dropped.Publish.Allow = dropped.Publish.Allow[1:]
	longer := embedded.Permissions(embedded.Sanitiser)
	longer.Response.Expires *= 2
	denied := embedded.Permissions(embedded.Admin)
	denied.Subscribe.Deny = []string{"iglowly.>"}
	for name, pair := range map[string][2]*server.Permissions{
		"dropped subject": {edge, dropped},
		"other component": {edge, embedded.Permissions(embedded.Sanitiser)},
		"response expiry": {embedded.Permissions(embedded.Sanitiser), longer},
		"added deny":      {embedded.Permissions(embedded.Admin), denied},
		"no responses": {embedded.Permissions(embedded.Response),
			embedded.Permissions(embedded.Admin)},
	} {
		if samePerms(pair[0], pair[1]) {
			t.Errorf("%s: samePerms saw no difference", name)
		}
	}
}

// TestNATSUsersMatchCode checks that every node's users are exactly one
// per compose replica and the relay's two, each with the bcrypt hash of
// its password and exactly the permissions the code gives that replica:
// its component's, with its own reply inboxes.
func TestNATSUsersMatchCode(t *testing.T) {
	secrets := genSecrets(t)
	for _, node := range nodes {
		t.Run(node, func(t *testing.T) {
			opts := loadNode(t, node, secrets)
			users := make(map[string]*server.User)
			for _, u := range opts.Users {
				users[u.Username] = u
			}
			got := slices.Sorted(maps.Keys(users))
			want := slices.Sorted(slices.Values(natsUsers()))
			if !slices.Equal(got, want) {
				t.Fatalf("users %q, want exactly %q", got, want)
			}
			for _, name := range natsUsers() {
				u, code := users[name], userPermissions(t, name)
				err := bcrypt.CompareHashAndPassword([]byte(u.Password),
					[]byte(natsPassword(t, secrets, name)))
				if err != nil {
					t.Errorf("%s: password is not the hash of its password: %v",
						name, err)
				}
				if !samePerms(u.Permissions, code) {
					t.Errorf("%s: permissions differ from the code's\n"+
						"conf: %+v\ncode: %+v", name, viewOf(u.Permissions),
						viewOf(code))
				}
			}
		})
	}
}

// userPermissions returns the permissions the code gives a NATS user: a
// replica's, or the relay's.
func userPermissions(t *testing.T, name string) *server.Permissions {
	t.Helper()
	switch name {
	case embedded.RelayUser:
		return embedded.RelayPermissions()
	case embedded.RelaySystemUser:
		return embedded.RelaySystemPermissions()
	}
	return replicaUser(t, name).Permissions()
}

// TestNATSClusterConfig checks ports, the cluster routes and JetStream of
// every node.
func TestNATSClusterConfig(t *testing.T) {
	secrets := genSecrets(t)
	env := natsSecrets(t, secrets)
	for _, node := range nodes {
		t.Run(node, func(t *testing.T) {
			o := loadNode(t, node, secrets)
			if o.ServerName != node || o.Port != 4222 || o.HTTPPort != 8222 {
				t.Errorf("name %q port %d monitor %d, want %s 4222 8222",
					o.ServerName, o.Port, o.HTTPPort, node)
			}
			if !o.JetStream || o.StoreDir != "/data/jetstream" {
				t.Errorf("jetstream %v in %q, want on in /data/jetstream", o.JetStream,
					o.StoreDir)
			}
			if o.JetStreamKey != env["JETSTREAM_KEY"] || o.JetStreamCipher != server.ChaCha {
				t.Error("jetstream is not encrypted with $JETSTREAM_KEY and chachapoly")
			}
			c := o.Cluster
			if c.Name != "iglowly" || c.Port != 6222 || c.Username != "route" ||
				bcrypt.CompareHashAndPassword([]byte(c.Password),
					[]byte(env["NATS_ROUTE_PASSWORD"])) != nil {
				t.Errorf("cluster %q port %d user %q: want iglowly, 6222, route with "+
					"$NATS_ROUTE_PASSWORD", c.Name, c.Port, c.Username)
			}
			checkRoutes(t, node, o, env["NATS_ROUTE_PASSWORD"])
		})
	}
}

// checkRoutes checks that a node routes to every node of the cluster,
// itself included (nats-server drops that one), as the route user.
func checkRoutes(t *testing.T, node string, o *server.Options, password string) {
	var hosts, want []string
	for _, n := range nodes {
		want = append(want, n+":6222")
	}
	for _, r := range o.Routes {
		hosts = append(hosts, r.Host)
		pw, _ := r.User.Password()
		if r.Scheme != "nats-route" || r.User.Username() != "route" || pw != password {
			t.Errorf("route to %s does not log in as route with $NATS_ROUTE_PASSWORD", r.Host)
		}
	}
	slices.Sort(hosts)
	if !slices.Equal(hosts, want) {
		t.Errorf("%s routes to %q, want every node %q", node, hosts, want)
	}
}
