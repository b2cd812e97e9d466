package natsconf

import (
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"

	"github.com/iglowly/assistant/config/secrets"
)

// AuthSecrets are the secrets of a cluster's nodes in clear, as "iglowly
// nats-auth" keeps them in Vault.
type AuthSecrets struct {
	// Passwords holds the password of each user of the configuration.
	Passwords map[string]secrets.Secret
	// RoutePassword is the route user's password.
	RoutePassword secrets.Secret
	// JetStreamKey is the key JetStream encrypts the stored streams with.
	JetStreamKey secrets.Secret
}

// UserNames returns the users c writes, in order: one per replica of
// each component, then the relay's with SecurityRelay; none if c is not
// valid.
func (c *Config) UserNames() []string { return c.userNames() }

// RenderAuth returns the secrets file of c (SecretsFile), which defines
// each variable the configuration refers to: every user's password as a
// bcrypt hash, the route user's password as a hash too, the route URLs
// with that password in clear (the nodes dial each other with it), and
// the JetStream key. The text is a secret: write it with mode 0600 where
// only the NATS nodes read it. Errors name the secret at fault, never a
// value.
func RenderAuth(c *Config, s AuthSecrets) ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.SecretsFile == "" {
		return nil, errors.New("nats-auth: the configuration has no --secrets-file")
	}
	w := &writer{}
	w.comment("The secrets of the iGlowly NATS nodes, written by \"iglowly nats-auth\"\n" +
		"from Vault for the configurations that include it. Do not edit it: run\n" +
		"the job again. It holds the route password and the JetStream key in\n" +
		"clear: only the NATS nodes may read it.")
	var errs []error
	for _, user := range c.userNames() {
		h, err := hashed(user+"'s password", s.Passwords[user], c.BcryptCost)
		errs = append(errs, err)
		w.line("%s: %s", PasswordVar(user), q(h))
	}
	if len(c.Routes) > 0 {
		h, err := hashed("the route password", s.RoutePassword, c.BcryptCost)
		errs = append(errs, err)
		w.line("%s: %s", c.RoutePassword.Env, q(h))
		for i, r := range c.Routes {
			w.line("%s%d: %s", c.RouteURLEnv, i+1,
				q("nats-route://route:"+s.RoutePassword.Reveal()+"@"+r))
		}
	}
	errs = append(errs, checkAuthSecret("the JetStream key", s.JetStreamKey))
	w.line("%s: %s", c.Key.Env, q(s.JetStreamKey.Reveal()))
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return []byte(w.b.String()), nil
}

// hashed checks a secret and returns its bcrypt hash.
func hashed(what string, v secrets.Secret, cost int) (string, error) {
	if err := checkAuthSecret(what, v); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword(v.Bytes(), cost)
	if err != nil {
		return "", fmt.Errorf("nats-auth: hashing %s: %w", what, err)
	}
	return string(h), nil
}

// checkAuthSecret holds a secret to the rules of readSecret.
func checkAuthSecret(what string, v secrets.Secret) error {
	if v.IsZero() {
		return fmt.Errorf("nats-auth: %s is missing", what)
	}
	if problem := secretProblem(v.Reveal()); problem != "" {
		return fmt.Errorf("nats-auth: %s %s", what, problem)
	}
	return nil
}
