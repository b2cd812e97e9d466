// Package embedded runs a NATS server with JetStream inside the process,
// with one user per component and the same least-privilege permissions as
// production, and provisions the JetStream buckets the assistant uses.
package embedded

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Options configures an embedded server.
type Options struct {
	// StoreDir is the JetStream state folder. It must be set: an empty one
	// would make the server share a temporary folder with other servers.
	StoreDir string
	// Listen is a host:port to accept TCP clients on, for components in
	// other processes; "" serves in-process connections only.
	Listen string
	// Name is the server name; default "iglowly-dev".
	Name string
	// Replicas says how many replicas of each component get a user of
	// their own (edge-1, edge-2…); default one user per component, named
	// as the component.
	Replicas Replicas
}

// Server is a running embedded NATS server with its component users.
type Server struct {
	ns         *server.Server
	users      []User
	passwords  map[string]string
	violations *violations
}

// Start starts the server and waits until it accepts clients.
func Start(opts Options) (*Server, error) {
	if opts.StoreDir == "" {
		return nil, errors.New("embedded: store dir is required")
	}
	users, err := opts.Replicas.Users()
	if err != nil {
		return nil, fmt.Errorf("embedded: %w", err)
	}
	s := &Server{users: users, passwords: make(map[string]string)}
	so := &server.Options{
		ServerName:         opts.Name,
		JetStream:          true,
		StoreDir:           opts.StoreDir,
		JetStreamMaxMemory: 256 << 20,
		JetStreamMaxStore:  1 << 30,
		JetStreamKey:       randomSecret(),
		NoSigs:             true,
		NoLog:              true,
		MaxPayload:         1 << 20,
	}
	if so.ServerName == "" {
		so.ServerName = "iglowly-dev"
	}
	if err := listenOptions(so, opts.Listen); err != nil {
		return nil, err
	}
	for _, u := range users {
		s.passwords[u.Name()] = randomSecret()
		so.Users = append(so.Users, &server.User{
			Username: u.Name(), Password: s.passwords[u.Name()],
			Permissions: u.Permissions(),
		})
	}
	s.violations = newViolations(so)
	ns, err := server.NewServer(so)
	if err != nil {
		return nil, fmt.Errorf("creating nats server: %w", err)
	}
	s.violations.hook(ns, so)
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		return nil, errors.New("embedded: nats server did not become ready")
	}
	if err := s.violations.run(ns); err != nil {
		ns.Shutdown()
		return nil, fmt.Errorf("connecting the violations reporter: %w", err)
	}
	s.ns = ns
	return s, nil
}

func listenOptions(so *server.Options, listen string) error {
	if listen == "" {
		so.DontListen = true
		return nil
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("embedded: listen address: %w", err)
	}
	so.Host = host
	so.Port, err = strconv.Atoi(port)
	if err != nil {
		return fmt.Errorf("embedded: listen port: %w", err)
	}
	if so.Port == 0 {
		so.Port = server.RANDOM_PORT
	}
	return nil
}

// Connect opens a connection as the component's user, the first
// replica's if it has several, in-process unless the server listens on
// TCP and TCP is asked for with opts.
func (s *Server) Connect(component string, opts ...nats.Option) (*nats.Conn, error) {
	u, ok := s.first(component)
	if !ok {
		return nil, fmt.Errorf("embedded: unknown component %q", component)
	}
	return s.connect(u, opts)
}

// ConnectUser opens a connection as one replica's user, such as edge-2,
// with that replica's inbox prefix.
func (s *Server) ConnectUser(name string, opts ...nats.Option) (*nats.Conn, error) {
	u, ok := ParseUser(name)
	if _, known := s.passwords[name]; !ok || !known {
		return nil, fmt.Errorf("embedded: unknown user %q", name)
	}
	return s.connect(u, opts)
}

func (s *Server) connect(u User, opts []nats.Option) (*nats.Conn, error) {
	base := []nats.Option{
		nats.InProcessServer(s.ns),
		nats.UserInfo(u.Name(), s.passwords[u.Name()]),
		nats.Name("iglowly-" + u.Name()),
		nats.CustomInboxPrefix(u.InboxPrefix()),
	}
	nc, err := nats.Connect("", append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("connecting %s: %w", u.Name(), err)
	}
	return nc, nil
}

// first returns the first user of a component.
func (s *Server) first(component string) (User, bool) {
	for _, u := range s.users {
		if u.Component == component {
			return u, true
		}
	}
	return User{}, false
}

// Users returns the server's component users, one per replica.
func (s *Server) Users() []User { return slices.Clone(s.users) }

// Credentials returns the user name and password of a user, such as
// edge-2, or of a component's first user, for components started as
// separate processes against ClientURL.
func (s *Server) Credentials(name string) (user, password string) {
	if pw, ok := s.passwords[name]; ok {
		return name, pw
	}
	u, _ := s.first(name)
	return u.Name(), s.passwords[u.Name()]
}

// ClientURL returns the TCP URL of the server, or "" if it does not
// listen.
func (s *Server) ClientURL() string {
	if s.ns.Addr() == nil {
		return ""
	}
	return s.ns.ClientURL()
}

// NATS returns the underlying server, for tests and advisories.
func (s *Server) NATS() *server.Server { return s.ns }

// Shutdown stops the server and waits for it.
func (s *Server) Shutdown() {
	s.violations.close()
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
}

func randomSecret() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic("embedded: no randomness: " + err.Error())
	}
	return hex.EncodeToString(b)
}
