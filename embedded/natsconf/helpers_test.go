package natsconf

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/embedded"
)

// testKey is the JetStream key the tests put in the environment.
const testKey = "test-jetstream-key-0123456789abcdefghij"

// password is the test password of a component.
func password(component string) string {
	return "test-password-of-" + component + "-0123456789abcdef"
}

// setEnv puts the component passwords and the JetStream key into the
// environment, where nats-server resolves the $VAR references of a
// configuration written with the default env: secrets.
func setEnv(t *testing.T) {
	t.Helper()
	for _, c := range embedded.Components {
		t.Setenv(PasswordVar(c), password(c))
	}
	t.Setenv("JETSTREAM_KEY", testKey)
}

// load is Load that fails the test on a problem.
func load(t *testing.T, args ...string) *Config {
	t.Helper()
	c, err := Load(args)
	if err != nil {
		t.Fatalf("nats-config %q: %v", args, err)
	}
	return c
}

// writeConfig renders c into a file of a temporary folder.
func writeConfig(t *testing.T, c *Config) string {
	t.Helper()
	text, err := Render(c)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), c.Name+".conf")
	if err := os.WriteFile(path, text, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// parse loads a configuration file with nats-server's own parser.
func parse(t *testing.T, path string) *server.Options {
	t.Helper()
	o := &server.Options{}
	if err := o.ProcessConfigFile(path); err != nil {
		t.Fatalf("nats-server refuses the configuration: %v", err)
	}
	return o
}

// serverLog keeps what a server logs, for the tests to search.
type serverLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *serverLog) add(level, format string, a ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, level+" "+fmt.Sprintf(format, a...))
}

func (l *serverLog) Noticef(f string, a ...any) { l.add("INF", f, a...) }
func (l *serverLog) Warnf(f string, a ...any)   { l.add("WRN", f, a...) }
func (l *serverLog) Fatalf(f string, a ...any)  { l.add("FTL", f, a...) }
func (l *serverLog) Errorf(f string, a ...any)  { l.add("ERR", f, a...) }
func (l *serverLog) Debugf(f string, a ...any)  {}
func (l *serverLog) Tracef(f string, a ...any)  {}

// grep returns the lines that contain s.
func (l *serverLog) grep(s string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range l.lines {
		if strings.Contains(line, s) {
			out = append(out, line)
		}
	}
	return out
}

// node is a server started from a configuration file.
type node struct {
	*server.Server
	log *serverLog
}

// start starts a server from opts as parsed, with its client port moved
// to a free loopback port, monitoring off and the store in store ("" for
// a temporary folder); adjust, if given, changes the options further.
func start(t *testing.T, opts *server.Options, store string, adjust func(*server.Options)) *node {
	t.Helper()
	opts.Host, opts.Port = "127.0.0.1", server.RANDOM_PORT
	opts.HTTPHost, opts.HTTPPort = "", 0
	if store == "" {
		store = t.TempDir()
	}
	opts.StoreDir = store
	opts.NoSigs = true
	if adjust != nil {
		adjust(opts)
	}
	s, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	n := &node{Server: s, log: &serverLog{}}
	s.SetLogger(n.log, false, false)
	s.Start()
	t.Cleanup(n.stop)
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatalf("%s did not accept clients", s.Name())
	}
	return n
}

func (n *node) stop() {
	n.Shutdown()
	n.WaitForShutdown()
}

// dial connects to n as a component with its test password and its own
// inbox prefix, as config.NATS.Connect does.
func dial(t *testing.T, n *node, user string, opts ...nats.Option) *nats.Conn {
	t.Helper()
	nc, err := tryDial(n, user, opts...)
	if err != nil {
		t.Fatalf("connecting as %s: %v", user, err)
	}
	t.Cleanup(nc.Close)
	return nc
}

func tryDial(n *node, user string, opts ...nats.Option) (*nats.Conn, error) {
	base := []nats.Option{
		nats.UserInfo(user, password(user)),
		nats.CustomInboxPrefix(inboxOf(user)),
		nats.Name("iglowly-" + user),
		nats.NoReconnect(),
		// The tests read violations from LastError; without a handler
		// nats.go would print each one.
		nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {}),
	}
	return nats.Connect(n.ClientURL(), append(base, opts...)...)
}
