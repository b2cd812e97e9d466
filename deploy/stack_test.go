package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/internal/logtail"
	"github.com/iglowly/assistant/internal/testutil"
	"github.com/iglowly/assistant/schemas"
)

// TestComposeStack runs the iglowly services of docker-compose.yml as
// processes of the real binary against the three-node cluster started
// from deploy/nats: compose's commands, environment and services, one
// per replica, each logged in as its own user, and the security relay,
// with only addresses and mounted paths moved to this host. A session
// opened on one edge then chats through the other. Vault is the one part
// that cannot run here (config/secrets/vaulttest runs a real core in a
// module of its own, and the nats-auth job against it): the processes
// read their vault:// secrets from files instead, see withoutVault, and
// the nodes the secrets file that nats-auth would write, see loadNode.
func TestComposeStack(t *testing.T) {
	bin := iglowlyBinary(t)
	c := loadCompose(t)
	secrets := genSecrets(t)
	cl := startCluster(t, secrets)
	cl.waitForMetaLeader(t)
	keys := stackKeys(t, secrets)
	prov := c.process(t, bin, c.Services["provision"], secrets, cl.urls(),
		withoutVault(t, c.Services["provision"].env(t, secrets), keys))
	if out, err := prov.CombinedOutput(); err != nil {
		t.Fatalf("provision: %v\n%s", err, out)
	}
	logs := &syncBuffer{}
	var edges []string
	want := make(map[string]int)
	for _, name := range slices.Sorted(maps.Keys(c.Services)) {
		s := c.Services[name]
		if s.Image != iglowlyImage || name == "provision" || len(s.Profiles) > 0 ||
			s.job() == "nats-auth" {
			continue
		}
		env := s.env(t, secrets)
		if s.job() == "security relay" {
			want[embedded.RelayUser]++
			want[embedded.RelaySystemUser]++
		} else {
			want[env["IGLOWLY_NATS_USER"]]++
		}
		extra := withoutVault(t, env, keys)
		if s.component() == embedded.Edge {
			addr := freeAddr(t)
			edges = append(edges, "http://"+addr)
			extra["IGLOWLY_HTTP"] = addr
			// One host: each edge's metrics on an address of its own,
			// as each container has its own network.
			extra["IGLOWLY_METRICS_ADDR"] = freeAddr(t)
		}
		cmd := c.process(t, bin, s, secrets, cl.urls(), extra)
		if s.job() == "security relay" {
			cl.moveLogs(t, s, cmd)
			movePositions(t, s, cmd)
		}
		start(t, cmd, logs)
	}
	if len(edges) < 2 {
		t.Fatalf("%d edges, want two to chat across", len(edges))
	}
	cl.waitForConnections(t, want, logs)
	chatAcrossEdges(t, c, edges, logs)
	violationFiled(t, cl, logs)
	cl.noChatInLogs(t)
}

// stackQuestion is the chat message of TestComposeStack, which no log
// may hold.
const stackQuestion = "How much does botox cost?"

// noChatInLogs fails if a node's log file, on disk as in the compose
// volume that the relay reads, holds the chat message; the files must
// exist, or the test would prove nothing.
func (c *cluster) noChatInLogs(t *testing.T) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(c.logs, "*"))
	if err != nil || len(files) != len(nodes) {
		t.Fatalf("%d log files of the nodes (%v), want %d", len(files), err, len(nodes))
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(raw) == 0 || strings.Contains(string(raw), stackQuestion) {
			t.Errorf("%s is empty or holds the chat message", filepath.Base(f))
		}
	}
}

// moveLogs points the relay's --nats-log files, in the volume it mounts,
// to the folder where the nodes of the cluster write their logs.
func (c *cluster) moveLogs(t *testing.T, s *service, cmd *exec.Cmd) {
	t.Helper()
	n := 0
	for i, a := range cmd.Args {
		if i > 0 && cmd.Args[i-1] == "--nats-log" {
			dir := volumeAt(t, s, path.Dir(a))
			if !slices.ContainsFunc(s.Volumes, func(v string) bool {
				return v == dir+":"+path.Dir(a)+":ro"
			}) {
				t.Errorf("the relay mounts %s writable", dir)
			}
			cmd.Args[i] = filepath.Join(c.logs, path.Base(a))
			n++
		}
	}
	if n != len(nodes) {
		t.Errorf("the relay follows %d log files, want one per node", n)
	}
}

// movePositions points the relay's --positions file, on the named volume
// it mounts writable, to a folder of the test; once the relay has
// stopped, the file must hold a position of each node's log.
func movePositions(t *testing.T, s *service, cmd *exec.Cmd) {
	t.Helper()
	i := slices.Index(cmd.Args, "--positions")
	if i < 0 || i+1 >= len(cmd.Args) {
		t.Fatal("the relay keeps no --positions file")
	}
	dir := path.Dir(cmd.Args[i+1])
	if vol := volumeAt(t, s, dir); !slices.Contains(s.Volumes, vol+":"+dir) {
		t.Errorf("the relay does not mount %s writable at %s", vol, dir)
	}
	file := filepath.Join(t.TempDir(), path.Base(cmd.Args[i+1]))
	cmd.Args[i+1] = file
	// Registered before start's, so run after the relay has stopped.
	t.Cleanup(func() {
		ps, err := logtail.ReadPositions(file)
		if err != nil || len(ps) != len(nodes) {
			t.Errorf("positions of %d logs (%v) at stop, want %d", len(ps), err, len(nodes))
		}
	})
}

// violationFiled makes edge-1 publish on an infer subject, which its node
// refuses and logs, and waits for the relay to file the event of the
// clinic the subject names.
func violationFiled(t *testing.T, cl *cluster, logs *syncBuffer) {
	t.Helper()
	edge := cl.connect(t, 1, "edge-1",
		nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {}))
	_ = edge.Publish("iglowly.demo.chat.infer", []byte("bypass"))
	_ = edge.Flush()
	js, err := jetstream.New(cl.connect(t, 0, embedded.Admin))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		// The cluster may move its meta leader meanwhile: a read that
		// finds no responder is tried again.
		var events []embedded.StoredSecurityEvent
		events, err = embedded.ReadSecurityEvents(ctx, js, "demo",
			time.Now().Add(-time.Hour), 100)
		for _, e := range events {
			if e.Kind == "permission_violation" && e.Component == embedded.Edge &&
				e.Code == "publish_denied" {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the relay filed no event of edge-1's violation (last read: %v)\nlogs:\n%s",
		err, logs.String())
}

// stackKeys writes the keys that vault-init makes in Vault, and the NATS
// passwords that nats-auth makes there (those of the cluster's secrets
// file), for the processes of TestComposeStack, by the vault://
// reference they replace.
func stackKeys(t *testing.T, secretsDir string) map[string]string {
	t.Helper()
	dir := t.TempDir()
	keys := make(map[string]string)
	write := func(ref string, value []byte) {
		f := filepath.Join(dir, strconv.Itoa(len(keys))+".key")
		if err := os.WriteFile(f, value, 0o600); err != nil {
			t.Fatal(err)
		}
		keys[ref] = "file://" + f
	}
	for _, ref := range []string{"vault://iglowly/edge/session-keys#current",
		"vault://iglowly/edge/address-key#key"} {
		write(ref, testutil.KeyFile())
	}
	for _, u := range natsUsers() {
		write(passwordRef(u), []byte(natsPassword(t, secretsDir, u)))
	}
	return keys
}

// withoutVault returns the settings that replace a service's Vault
// settings for TestComposeStack: each vault:// reference by the file of
// keys, the Vault address and login by nothing. A reference that keys
// lacks fails the test.
func withoutVault(t *testing.T, env, keys map[string]string) map[string]string {
	t.Helper()
	extra := make(map[string]string)
	for k, v := range env {
		switch {
		case strings.HasPrefix(k, "IGLOWLY_VAULT_"):
			extra[k] = ""
		case strings.HasPrefix(v, "vault://"):
			if keys[v] == "" {
				t.Fatalf("%s: no key for %s in the stack test", k, v)
			}
			extra[k] = keys[v]
		}
	}
	return extra
}

// waitForConnections waits until the cluster has exactly the wanted
// number of client connections of each user: every replica started,
// logged in as its own component, over mutual TLS with the certificate
// that its service mounts, and serving, see serving.
func (c *cluster) waitForConnections(t *testing.T, want map[string]int, logs *syncBuffer) {
	t.Helper()
	var got map[string]int
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		got = make(map[string]int)
		for _, s := range c.servers {
			cz, err := s.Connz(&server.ConnzOptions{Username: true, Subscriptions: true,
				Limit: 1024})
			if err != nil {
				t.Fatal(err)
			}
			for _, ci := range cz.Conns {
				if !serving(ci) {
					continue
				}
				got[ci.AuthorizedUser]++
				// A connection still in its handshake has no user yet.
				if ci.AuthorizedUser != "" {
					c.checkPeerCert(t, s.Name(), ci)
				}
			}
		}
		if maps.Equal(got, want) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("connections per user %v, want %v\nlogs:\n%s", got, want, logs.String())
}

// stageOf is the stage each worker serves.
var stageOf = map[string]string{
	embedded.Sanitiser: schemas.StageSanitise,
	embedded.Inference: schemas.StageInfer,
	embedded.Response:  schemas.StageRespond,
}

// serving reports whether a connection is ready for chats: a worker's
// once it subscribed to its stage, since a message forwarded to a stage
// nobody serves yet is lost and its chat waits for the edge's timeout;
// any other's at once.
func serving(ci *server.ConnInfo) bool {
	for component, stage := range stageOf {
		if strings.HasPrefix(ci.AuthorizedUser, component+"-") {
			return slices.Contains(ci.Subs, schemas.ChatWildcard(stage))
		}
	}
	return true
}

// checkPeerCert checks that a client connection of a node uses TLS and
// shows the client certificate of its user that gen-secrets.sh wrote.
func (c *cluster) checkPeerCert(t *testing.T, node string, ci *server.ConnInfo) {
	t.Helper()
	user := ci.AuthorizedUser
	if ci.TLSVersion == "" {
		t.Fatalf("%s connected to %s without TLS", user, node)
	}
	file, _ := clientFiles(c.secrets, clientName(user))
	sum := sha256.Sum256(readCert(t, file).Raw)
	if len(ci.TLSPeerCerts) == 0 || ci.TLSPeerCerts[0].CertSha256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("%s connected to %s without its own client certificate", user, node)
	}
}

// process is the command a compose service's container runs, as a
// process on this host with the cluster's URLs.
func (c *composeFile) process(t *testing.T, bin string, s *service, secrets, urls string,
	extra map[string]string) *exec.Cmd {
	t.Helper()
	env := s.env(t, secrets)
	env["IGLOWLY_NATS_URL"] = urls
	maps.Copy(env, extra)
	var list []string
	for k, v := range env {
		if v != "" {
			list = append(list, k+"="+c.hostPath(t, s, secrets, v))
		}
	}
	args := make([]string, len(s.Command))
	for i, a := range s.Command {
		args[i] = c.hostPath(t, s, secrets, a)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = list
	return cmd
}

// start starts a long-running component and stops it at the end of the
// test, as compose does, with SIGTERM first.
func start(t *testing.T, cmd *exec.Cmd, logs io.Writer) {
	t.Helper()
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
}

// chatAcrossEdges opens a session on the first edge and asks through the
// second, with the origin the demo clinic allows.
func chatAcrossEdges(t *testing.T, c *composeFile, edges []string, logs *syncBuffer) {
	t.Helper()
	prov := c.Services["provision"]
	raw, err := os.ReadFile(c.hostPath(t, prov, "", "/config/demo.json"))
	if err != nil {
		t.Fatal(err)
	}
	clinic, err := config.ParseClinic(raw)
	if err != nil {
		t.Fatal(err)
	}
	origin := clinic.AllowedOrigins[0]
	var session struct{ Token string }
	retry(t, logs, func() (int, []byte) {
		return post(edges[0]+"/v1/sessions", origin, "", `{"clinic":"demo"}`)
	}, http.StatusCreated, &session)
	var answer struct {
		Answer string `json:"answer"`
	}
	retry(t, logs, func() (int, []byte) {
		return post(edges[1]+"/v1/chat", origin, session.Token,
			`{"message":"`+stackQuestion+`","lang":"en"}`)
	}, http.StatusOK, &answer)
	if answer.Answer == "" {
		t.Error("empty answer")
	}
	if strings.Contains(logs.String(), stackQuestion) {
		t.Error("a component logged the chat message")
	}
}

// retry calls f until it returns want, for the components' start-up,
// then decodes the body into v.
func retry(t *testing.T, logs *syncBuffer, f func() (int, []byte), want int, v any) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		status, body := f()
		if status == want {
			if err := json.Unmarshal(body, v); err != nil {
				t.Fatalf("decoding %s: %v", body, err)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("got %d %s, want %d\nlogs:\n%s", status, body, want, logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func post(url, origin, token, body string) (int, []byte) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return 0, []byte(err.Error())
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", origin)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

func freeAddr(t *testing.T) string { return testutil.FreeAddr(t) }

type syncBuffer = testutil.LogBuffer
